package searchdtest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xinwen/xinwen/internal/manticore"
)

// Cluster is a set of running searchd nodes.
type Cluster struct {
	Nodes   []manticore.Node
	tb      testing.TB
	bin     string
	configs []string
	cmds    []*exec.Cmd
	exited  []chan struct{}
}

// Binary returns the path of searchd: $SEARCHD, or searchd on PATH. Without
// one it fails the test under CI and skips it elsewhere.
func Binary(tb testing.TB) string {
	tb.Helper()
	bin := os.Getenv("SEARCHD")
	if bin == "" {
		var err error
		bin, err = exec.LookPath("searchd")
		if err != nil {
			if os.Getenv("CI") != "" {
				tb.Fatalf("CI must have searchd (apt-get install sphinxsearch): %v", err)
			}
			tb.Skip("searchd is not installed (apt-get install sphinxsearch); CI runs this test")
		}
	}
	return bin
}

// Start starts n searchd nodes on free loopback ports, each in its own
// directory under tb.TempDir(), waits until each answers, and stops them
// when the test ends.
func Start(tb testing.TB, n int) *Cluster {
	tb.Helper()
	return start(tb, n, "")
}

// StartManaged starts one searchd node, as Start does, that also holds
// table and its meta table (manticore.MetaTable) as local real-time
// indexes: a backend opened on it with Options.Table = table runs in
// managed mode.
func StartManaged(tb testing.TB, table string) *Cluster {
	tb.Helper()
	return start(tb, 1, table)
}

func start(tb testing.TB, n int, table string) *Cluster {
	tb.Helper()
	c := &Cluster{tb: tb, bin: Binary(tb)}
	dir := tb.TempDir()
	ports := freePorts(tb, 2*n)
	for i := range n {
		c.Nodes = append(c.Nodes, manticore.Node{
			Host: "127.0.0.1", SQLPort: ports[2*i], APIPort: ports[2*i+1],
			Dir:   filepath.Join(dir, fmt.Sprintf("node%d", i+1)),
			Table: table,
		})
	}
	cfgs, err := manticore.WriteConfigs(c.Nodes)
	if err != nil {
		tb.Fatal(err)
	}
	c.configs = cfgs
	c.cmds = make([]*exec.Cmd, n)
	c.exited = make([]chan struct{}, n)
	tb.Cleanup(c.stop)
	for i := range n {
		c.Restart(i)
	}
	return c
}

// Addrs returns the SphinxQL address of every node, in shard order.
func (c *Cluster) Addrs() []string {
	var out []string
	for _, n := range c.Nodes {
		out = append(out, n.SQLAddr())
	}
	return out
}

// DSN returns the addresses as serve's --manticore-dsn takes them.
func (c *Cluster) DSN() string { return strings.Join(c.Addrs(), ",") }

// Kill kills node i at once (SIGKILL: no flush, no goodbye) and waits until
// it is gone.
func (c *Cluster) Kill(i int) {
	c.tb.Helper()
	cmd := c.cmds[i]
	if cmd == nil {
		return
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-c.exited[i]
	c.cmds[i] = nil
}

// Restart starts node i (again), with its data, and waits until it
// answers.
func (c *Cluster) Restart(i int) {
	c.tb.Helper()
	if c.cmds[i] != nil {
		c.tb.Fatalf("node %d is running", i+1)
	}
	var out bytes.Buffer
	cmd := exec.Command(c.bin, "--config", c.configs[i], "--nodetach")
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		c.tb.Fatalf("start searchd node %d: %v", i+1, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	c.cmds[i], c.exited[i] = cmd, done
	addr := c.Nodes[i].SQLAddr()
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-done:
			c.cmds[i] = nil
			log, _ := os.ReadFile(filepath.Join(c.Nodes[i].Dir, "searchd.log"))
			c.tb.Fatalf("searchd node %d exited at start:\n%s\n%s", i+1, out.String(), log)
		default:
		}
		if conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			conn.Close()
			if conn, err := net.DialTimeout("tcp", c.Nodes[i].APIAddr(), 200*time.Millisecond); err == nil {
				conn.Close()
				return
			}
		}
		if time.Now().After(deadline) {
			c.tb.Fatalf("searchd node %d does not answer on %s after 30s:\n%s", i+1, addr, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop stops every running node (SIGTERM, then SIGKILL after 10 seconds).
func (c *Cluster) stop() {
	for i, cmd := range c.cmds {
		if cmd == nil {
			continue
		}
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-c.exited[i]:
		case <-time.After(10 * time.Second):
			cmd.Process.Signal(syscall.SIGKILL)
			<-c.exited[i]
		}
		c.cmds[i] = nil
	}
}

// ClosedAddr returns a loopback HOST:PORT that nothing listens on (a port
// that was free a moment ago): a node that is down.
func ClosedAddr(tb testing.TB) string {
	tb.Helper()
	return fmt.Sprintf("127.0.0.1:%d", freePorts(tb, 1)[0])
}

// freePorts returns n distinct free TCP ports on loopback.
func freePorts(tb testing.TB, n int) []int {
	tb.Helper()
	var ls []net.Listener
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}
