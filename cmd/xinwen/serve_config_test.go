package main

// This file is in package main, not main_test like the other tests here:
// serveConfig is unexported, and a command cannot be imported.

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/query"
)

// TestServeConfigValidate: the defaults serve, and every value serve cannot
// run with is a usage error that names its flag.
func TestServeConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*serveConfig)
		says string // "": valid
	}{
		{"defaults", func(*serveConfig) {}, ""},
		{"no caps", func(c *serveConfig) { c.MaxConcurrent, c.MaxBody, c.MaxFacetSize = 0, 0, 0 }, ""},
		{"smallest window", func(c *serveConfig) { c.MaxWindow = query.MaxSize }, ""},
		{"most shards", func(c *serveConfig) { c.Shards = index.MaxShards }, ""},
		{"cluster", func(c *serveConfig) { c.Backend = backendConfig{Backend: backendManticore, DSN: "s1:9306,s2:9306"} }, ""},
		{"managed cluster", func(c *serveConfig) {
			c.Backend = backendConfig{Backend: backendManticore, DSN: "s1:9306", Table: "news"}
		}, ""},

		{"window below a page", func(c *serveConfig) { c.MaxWindow = query.MaxSize - 1 }, "--max-window must be at least 100"},
		{"negative facet size", func(c *serveConfig) { c.MaxFacetSize = -1 }, "--max-facet-size must be 0 or more"},
		{"negative shards", func(c *serveConfig) { c.Shards = -1 }, "--shards must be from 0"},
		{"too many shards", func(c *serveConfig) { c.Shards = index.MaxShards + 1 }, "--shards must be from 0"},
		{"no header timeout", func(c *serveConfig) { c.ReadHeaderTimeout = 0 }, "--read-header-timeout must be longer than 0, not 0s; try --read-header-timeout 5s"},
		{"negative read timeout", func(c *serveConfig) { c.ReadTimeout = -time.Second }, "--read-timeout must be longer than 0, not -1s; try --read-timeout 30s"},
		{"no write timeout", func(c *serveConfig) { c.WriteTimeout = 0 }, "--write-timeout must be longer than 0"},
		{"no idle timeout", func(c *serveConfig) { c.IdleTimeout = 0 }, "--idle-timeout must be longer than 0"},
		{"unknown backend", func(c *serveConfig) { c.Backend.Backend = "solr" }, `--backend must be bleve or manticore, not "solr"`},
		{"cluster without nodes", func(c *serveConfig) { c.Backend.Backend = backendManticore }, "--backend manticore needs --manticore-dsn"},
		{"nodes without cluster", func(c *serveConfig) { c.Backend.DSN = "s1:9306" }, "--manticore-dsn is for --backend manticore"},
		{"table without cluster", func(c *serveConfig) { c.Backend.Table = "news" }, "--manticore-table is for --backend manticore"},
		{"bad node address", func(c *serveConfig) { c.Backend = backendConfig{Backend: backendManticore, DSN: "nohostport"} }, `--manticore-dsn: cluster address "nohostport" is not HOST:PORT`},
		{"bad table", func(c *serveConfig) {
			c.Backend = backendConfig{Backend: backendManticore, DSN: "s1:9306", Table: "news-articles"}
		}, "--manticore-table: "},
	} {
		c := defaultServeConfig()
		tc.edit(&c)
		err := c.Validate()
		if tc.says == "" {
			if err != nil {
				t.Errorf("%s: %v, want nil", tc.name, err)
			}
			continue
		}
		var ue usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %v (%T), want a usage error saying %q", tc.name, err, err, tc.says)
		}
	}
}

// TestServeFlags: each of serve's flags sets its field, and no flags leave
// the defaults.
func TestServeFlags(t *testing.T) {
	c := defaultServeConfig()
	if err := parse(c.flagSet(io.Discard), nil); err != nil {
		t.Fatal(err)
	}
	if got, want := c, defaultServeConfig(); got != want {
		t.Errorf("no flags: %+v, want the defaults %+v", got, want)
	}

	c = defaultServeConfig()
	args := strings.Fields(`--data /d --addr :0 --demo --max-concurrent 3 --tokens /t --max-body 64KiB
		--max-window 200 --max-facet-size 5 --shards 2 --read-header-timeout 1s --read-timeout 2s
		--write-timeout 3s --idle-timeout 4s --backend manticore --manticore-dsn s1:9306 --manticore-table news`)
	if err := parse(c.flagSet(io.Discard), args); err != nil {
		t.Fatal(err)
	}
	want := serveConfig{
		Data: "/d", Addr: ":0", Demo: true, MaxConcurrent: 3, TokensFile: "/t", MaxBody: 64 << 10,
		MaxWindow: 200, MaxFacetSize: 5, Shards: 2, ReadHeaderTimeout: time.Second, ReadTimeout: 2 * time.Second,
		WriteTimeout: 3 * time.Second, IdleTimeout: 4 * time.Second,
		Backend: backendConfig{Backend: backendManticore, DSN: "s1:9306", Table: "news"},
	}
	if c != want {
		t.Errorf("every flag:\n%+v\nwant\n%+v", c, want)
	}
}
