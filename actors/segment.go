package actors

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Result segments.
//
// The result writer stores the results one group commit holds for one detector as a single
// store entry, a segment, rather than one entry per result: the store's cost is mostly per
// entry (transaction bookkeeping, a skiplist node, a write-ahead-log record), so at ~20 results
// per commit this takes about a tenth of the server's CPU off a single-row detection. Each
// result keeps its own ID, time and value (FORMAT.md, version 4).
//
// A segment's key is its first result's key, result/<detector>/<time>-<seq>; its value is
// segmentMagic, segmentVersion, then per result: uvarint(time - key time, in ns), uvarint(seq),
// uvarint(len(value)), value (the JSON appendStored writes). A value that starts with '{' is a
// single result in the layout of versions 1-3, keyed by itself.

// resultRecord is one detection result waiting for the result writer.
type resultRecord struct {
	at  int64  // detection time, Unix nanoseconds
	seq uint64 // the detector's sequence number (the key keeps it modulo 10^6)
	val []byte // appendStored's JSON
}

const (
	segmentMagic   = 0x00 // a JSON value never starts with it
	segmentVersion = 1
	// maxSegmentSpan bounds the time between a segment's first and last result, so that a
	// listing from a start time finds every result at or after it by scanning from
	// start - maxSegmentSpan.
	maxSegmentSpan = int64(time.Second)
	// maxSegmentBytes bounds a segment's value (results beyond it start a new segment).
	maxSegmentBytes = 256 << 10
)

// appendSegments appends the segments of one detector's records, in their order, to keys and
// vals. A record earlier than its segment's first (the clock went back), more than
// maxSegmentSpan after it, or past maxSegmentBytes starts a new segment.
func appendSegments(keys, vals [][]byte, detector string, recs []resultRecord) ([][]byte, [][]byte) {
	prefix := resultPrefix(detector)
	for len(recs) > 0 {
		first := recs[0]
		size, n := 2, 0
		for n < len(recs) {
			r := recs[n]
			if n > 0 && (r.at < first.at || r.at-first.at > maxSegmentSpan || size+len(r.val) > maxSegmentBytes) {
				break
			}
			size += 3*binary.MaxVarintLen64 + len(r.val)
			n++
		}
		key := appendResultID(append(make([]byte, 0, len(prefix)+26), prefix...), time.Unix(0, first.at), first.seq)
		v := make([]byte, 0, size)
		v = append(v, segmentMagic, segmentVersion)
		for _, r := range recs[:n] {
			v = binary.AppendUvarint(v, uint64(r.at-first.at))
			v = binary.AppendUvarint(v, r.seq%1000000)
			v = binary.AppendUvarint(v, uint64(len(r.val)))
			v = append(v, r.val...)
		}
		keys, vals = append(keys, key), append(vals, v)
		recs = recs[n:]
	}
	return keys, vals
}

// errSegment reports a stored value that is neither a result nor a well-formed segment.
var errSegment = errors.New("malformed result segment")

// forEachResult calls fn with each result stored under a key whose suffix (after the detector's
// prefix) is suffix: its own suffix (<time>-<seq>, the ID without "res_"), its time in Unix
// nanoseconds and its JSON. fn returns false to stop. suffix and value are only read during
// the call; the bytes fn receives are valid only during its call.
func forEachResult(suffix, value []byte, fn func(suffix []byte, at int64, val []byte) bool) error {
	at, err := suffixTime(suffix)
	if err != nil {
		return err
	}
	if len(value) == 0 || value[0] != segmentMagic {
		fn(suffix, at, value) // versions 1-3: one result per key
		return nil
	}
	if len(value) < 2 || value[1] != segmentVersion {
		return fmt.Errorf("%w: version %v", errSegment, value[1:min(2, len(value))])
	}
	var id [26]byte
	for p := value[2:]; len(p) > 0; {
		dt, n1 := binary.Uvarint(p)
		if n1 <= 0 {
			return errSegment
		}
		seq, n2 := binary.Uvarint(p[n1:])
		if n2 <= 0 {
			return errSegment
		}
		l, n3 := binary.Uvarint(p[n1+n2:])
		if n3 <= 0 || l > uint64(len(p)-n1-n2-n3) || dt > uint64(maxSegmentSpan) {
			return errSegment
		}
		p = p[n1+n2+n3:]
		t := at + int64(dt)
		if !fn(appendResultID(id[:0], time.Unix(0, t), seq), t, p[:l]) {
			return nil
		}
		p = p[l:]
	}
	return nil
}

// suffixTime parses the nanoseconds of a result key's suffix <time19>-<seq6>.
func suffixTime(suffix []byte) (int64, error) {
	if len(suffix) < 19 {
		return 0, fmt.Errorf("%w: key suffix %q", errSegment, suffix)
	}
	var t int64
	for _, c := range suffix[:19] {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%w: key suffix %q", errSegment, suffix)
		}
		t = t*10 + int64(c-'0')
	}
	return t, nil
}
