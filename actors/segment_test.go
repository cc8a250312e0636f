package actors

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/topoforge/topoforge/messages"
	"github.com/topoforge/topoforge/persistence"
)

// TestSegmentsRoundTrip encodes records that must split (a span over maxSegmentSpan, a clock
// that goes back, a value past maxSegmentBytes) and decodes every result back with its own ID,
// time and value, in order.
func TestSegmentsRoundTrip(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC).UnixNano()
	var recs []resultRecord
	for i := range 40 {
		at := t0 + int64(i)*int64(100*time.Millisecond)
		if i == 25 {
			at -= int64(10 * time.Second) // the clock went back
		}
		val := fmt.Appendf(nil, `{"is_anomaly":%v,"n":%d}`, i%3 == 0, i)
		if i == 30 {
			val = append(bytes.Repeat([]byte(" "), maxSegmentBytes), val...)
		}
		recs = append(recs, resultRecord{at: at, seq: uint64(1_000_000 + i), val: val})
	}
	keys, vals := appendSegments(nil, nil, "d1", recs)
	if len(keys) < 5 || len(keys) >= len(recs) {
		t.Fatalf("%d segments for %d records, want several and fewer than the records", len(keys), len(recs))
	}
	i := 0
	for s, k := range keys {
		if !bytes.HasPrefix(k, []byte("result/d1/")) {
			t.Fatalf("segment key %q", k)
		}
		err := forEachResult(k[len("result/d1/"):], vals[s], func(suffix []byte, at int64, v []byte) bool {
			r := recs[i]
			want := appendResultID(nil, time.Unix(0, r.at), r.seq)
			if !bytes.Equal(suffix, want) || at != r.at || !bytes.Equal(v, r.val) {
				t.Errorf("result %d = %s %d %q, want %s %d %q", i, suffix, at, v[:min(len(v), 40)], want, r.at, r.val[:min(len(r.val), 40)])
			}
			i++
			return true
		})
		if err != nil {
			t.Fatalf("segment %d: %v", s, err)
		}
	}
	if i != len(recs) {
		t.Fatalf("decoded %d results, want %d", i, len(recs))
	}
	// Malformed values are errors, never panics; a version-3 value is one result.
	suffix := keys[0][len("result/d1/"):]
	for _, bad := range [][]byte{{segmentMagic}, {segmentMagic, 9}, {segmentMagic, segmentVersion, 0x80}, {segmentMagic, segmentVersion, 1, 1, 200, 'x'}} {
		if err := forEachResult(suffix, bad, func([]byte, int64, []byte) bool { return true }); err == nil {
			t.Errorf("forEachResult(%v): no error", bad)
		}
	}
	n := 0
	if err := forEachResult(suffix, []byte(`{"is_anomaly":true}`), func(s []byte, at int64, v []byte) bool {
		n++
		return bytes.Equal(s, suffix) && at == t0
	}); err != nil || n != 1 {
		t.Errorf("a single result value: %v, %d results", err, n)
	}
}

// TestResultsListingOverSegments lists results stored as segments, plus one result in the
// layout of version 3, with date ranges that cut through segments, anomalies_only and limits.
func TestResultsListingOverSegments(t *testing.T) {
	s, err := persistence.Open(persistence.SmallOptions(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	t0 := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * 100 * time.Millisecond) }
	var recs []resultRecord
	for i := range 30 { // 0 .. 2.9 s: three segments
		recs = append(recs, resultRecord{at: at(i).UnixNano(), seq: uint64(i + 1),
			val: fmt.Appendf(nil, `{"is_anomaly":%v,"anomaly_score":%d,"data_point":{"i":%d}}`, i%3 == 0, i, i)})
	}
	keys, vals := appendSegments(nil, nil, "d1", recs)
	keys = append(keys, appendResultID([]byte("result/d1/"), at(51), 99)) // version 3: one result
	vals = append(vals, []byte(`{"is_anomaly":true,"anomaly_score":51,"data_point":{"i":51}}`))
	if err := s.Write(keys, vals); err != nil {
		t.Fatal(err)
	}
	d := &detectorActor{id: "d1", deps: &detectorDeps{store: s}, log: slog.Default()}
	list := func(m messages.GetResults) (ids []string, total, anomalies int) {
		t.Helper()
		rep := d.results(&m)
		if rep.Err != nil {
			t.Fatalf("results(%+v): %v", m, rep.Err)
		}
		for _, r := range rep.Results {
			i := int(r.AnomalyScore)
			if !r.DetectedAt.Equal(at(i)) || r.DetectorID != "d1" || r.DataPoint["i"] != float64(i) || r.IsAnomaly != (i%3 == 0) {
				t.Errorf("result %s = %+v, want detected_at %v", r.ID, r, at(i))
			}
			ids = append(ids, fmt.Sprint(i))
		}
		return ids, rep.Total, rep.AnomalyCount
	}
	ids, total, anomalies := list(messages.GetResults{Limit: 4})
	if strings.Join(ids, " ") != "51 29 28 27" || total != 31 || anomalies != 11 {
		t.Errorf("newest 4 = %v, total %d, anomalies %d; want 51 29 28 27, 31, 11", ids, total, anomalies)
	}
	ids, total, _ = list(messages.GetResults{Limit: 100, Start: at(11), End: at(20)})
	if strings.Join(ids, " ") != "20 19 18 17 16 15 14 13 12 11" || total != 10 {
		t.Errorf("1.1 s .. 2.0 s = %v (total %d), want 20 .. 11", ids, total)
	}
	ids, total, anomalies = list(messages.GetResults{Limit: 2, Start: at(14), AnomaliesOnly: true})
	if strings.Join(ids, " ") != "51 27" || total != 6 || anomalies != 6 {
		t.Errorf("anomalies from 1.4 s = %v, total %d, anomalies %d; want 51 27, 6, 6", ids, total, anomalies)
	}
	if _, total, _ = list(messages.GetResults{Limit: 1, End: at(0).Add(-time.Nanosecond)}); total != 0 {
		t.Errorf("results before the first = %d", total)
	}
}
