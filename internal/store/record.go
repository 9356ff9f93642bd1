package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/xinwen/xinwen/internal/news"
)

// Record layout (all integers big-endian):
//
//	[0]      format version (recordVersion)
//	[1]      flags (flagSimHash: the SimHash is set and indexed in the bands)
//	[2:10]   seq: sequence number of the article's latest change
//	[10:18]  added: sequence number of the article's first insertion
//	[18:26]  SimHash of the body
//	[26:42]  content hash: first 16 bytes of SHA-256 of the payload
//	[42:50]  PublishedAt in Unix seconds (flagPublished: it is not zero)
//	[50:52]  length of DuplicateOf
//	[52:]    DuplicateOf, then the payload: the article as JSON without DuplicateOf
const (
	recordVersion = 1
	headerLen     = 52
	hashLen       = 16

	flagSimHash   = 1 << 0
	flagPublished = 1 << 1
)

// record is a decoded article record. payload aliases bbolt memory when it
// comes from decodeRecord: use it only inside the transaction.
type record struct {
	seq     uint64
	added   uint64
	sim     uint64
	hasSim  bool
	hash    [hashLen]byte
	pub     int64 // Unix seconds
	hasPub  bool
	dupOf   string
	payload []byte
}

func (r *record) encode() []byte {
	b := make([]byte, headerLen, headerLen+len(r.dupOf)+len(r.payload))
	b[0] = recordVersion
	if r.hasSim {
		b[1] |= flagSimHash
	}
	if r.hasPub {
		b[1] |= flagPublished
	}
	binary.BigEndian.PutUint64(b[2:], r.seq)
	binary.BigEndian.PutUint64(b[10:], r.added)
	binary.BigEndian.PutUint64(b[18:], r.sim)
	copy(b[26:42], r.hash[:])
	binary.BigEndian.PutUint64(b[42:], uint64(r.pub))
	binary.BigEndian.PutUint16(b[50:], uint16(len(r.dupOf)))
	b = append(b, r.dupOf...)
	return append(b, r.payload...)
}

func decodeRecord(b []byte) (record, error) {
	var r record
	if len(b) < headerLen {
		return r, fmt.Errorf("record of %d bytes is shorter than its header", len(b))
	}
	if b[0] != recordVersion {
		return r, fmt.Errorf("record format %d, want %d", b[0], recordVersion)
	}
	r.hasSim = b[1]&flagSimHash != 0
	r.hasPub = b[1]&flagPublished != 0
	r.seq = binary.BigEndian.Uint64(b[2:])
	r.added = binary.BigEndian.Uint64(b[10:])
	r.sim = binary.BigEndian.Uint64(b[18:])
	copy(r.hash[:], b[26:42])
	r.pub = int64(binary.BigEndian.Uint64(b[42:]))
	n := int(binary.BigEndian.Uint16(b[50:]))
	if headerLen+n > len(b) {
		return r, fmt.Errorf("record DuplicateOf of %d bytes overruns the record", n)
	}
	r.dupOf = string(b[headerLen : headerLen+n])
	r.payload = b[headerLen+n:]
	return r, nil
}

// article decodes the payload and sets DuplicateOf from the header. The result
// shares no memory with the record.
func (r *record) article() (news.Article, error) {
	var a news.Article
	if err := json.Unmarshal(r.payload, &a); err != nil {
		return a, err
	}
	a.DuplicateOf = r.dupOf
	return a, nil
}

func u64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }
