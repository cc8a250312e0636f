package actors

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/topoforge/topoforge/detect"
	"github.com/topoforge/topoforge/messages"
)

func TestDecodeRows(t *testing.T) {
	var rd rowDecoder
	for round := range 2 { // the second round reuses the decoder's parser and buffers
		table, raws, err := rd.decode([]byte(`[ {"amount": 100.50, "merchant":"gro\"cery", "ok":true},
			{"merchant":"jewelry","amount":5e3,"extra":null,"ok":false, "amount": 7} ]`))
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if want := []string{"amount", "merchant", "ok", "extra"}; !reflect.DeepEqual(table.Columns, want) {
			t.Fatalf("columns %v, want %v", table.Columns, want)
		}
		want := [][]any{
			{json.Number("100.50"), `gro"cery`, true, nil},
			{json.Number("7"), "jewelry", false, nil}, // a repeated key keeps its last value
		}
		if !reflect.DeepEqual(table.Rows, want) {
			t.Fatalf("rows %#v, want %#v", table.Rows, want)
		}
		if got := string(raws[0]); got != `{"amount":100.50,"merchant":"gro\"cery","ok":true}` {
			t.Errorf("raw 0 = %s", got)
		}
		if got := string(raws[1]); got != `{"merchant":"jewelry","amount":5e3,"extra":null,"ok":false,"amount":7}` {
			t.Errorf("raw 1 = %s", got)
		}
	}
	// A repeated key keeps its last value whatever the types (numbers are set after the scan).
	table, _, err := rd.decode([]byte(`[{"a":1,"b":"x","a":"s"},{"b":true,"a":null},{"a":"t","a":2.5,"b":3,"b":false}]`))
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]any{{"s", "x"}, {nil, true}, {json.Number("2.5"), false}}; !reflect.DeepEqual(table.Rows, want) {
		t.Errorf("repeated keys: rows %#v, want %#v", table.Rows, want)
	}
	for in, field := range map[string]string{
		`{"a":1}`: "data", `[1]`: "data[0]", `[{"a":1},{"b":{"c":1}}]`: "data[1].b", `[{"a":[1]}]`: "data[0].a",
		`[{"a":1}`: "data", ``: "data",
	} {
		_, _, err := rd.decode([]byte(in))
		if err == nil {
			t.Errorf("decode(%s): no error", in)
			continue
		}
		if got := err.Details["field"]; got != field && !strings.Contains(err.Message, field) {
			t.Errorf("decode(%s): error %q %v does not name %s", in, err.Message, err.Details, field)
		}
	}
}

func TestAppendResultMatchesEncodingJSON(t *testing.T) {
	r := detect.Result{
		Score: 0.41, AnomalyScore: 0.99, Confidence: 1e-7, IsAnomaly: true,
		Explanation: "Anomalous: \"név\" is rare\x01",
		Contributions: []detect.Contribution{
			{Feature: "amount", Value: json.Number("1e3"), Direction: "high", Percentile: 0.999, Weight: 0.5},
			{Feature: "név", Value: "a\tb", Direction: "rare", Percentile: 0.01, Weight: 0.25},
			{Feature: "flag", Value: true, Direction: "common", Percentile: 0.9, Weight: 0.125},
			{Feature: "x", Value: 2.5, Direction: "typical", Percentile: 0.5, Weight: math.SmallestNonzeroFloat64},
			{Feature: "gone", Direction: "missing"},
		},
	}
	raw := json.RawMessage(`{"amount":1e3,"név":"a\tb"}`)
	got := appendResult(nil, raw, &r)
	want, err := json.Marshal(map[string]any{
		"data_point": raw, "is_anomaly": r.IsAnomaly, "anomaly_score": r.AnomalyScore, "confidence": r.Confidence,
		"score": r.Score, "explanation": r.Explanation, "contributions": r.Contributions,
	})
	if err != nil {
		t.Fatal(err)
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("appendResult wrote invalid JSON %s: %v", got, err)
	}
	_ = json.Unmarshal(want, &w)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("appendResult:\n%s\nencoding/json:\n%s", got, want)
	}
}

func TestAppendResultID(t *testing.T) {
	at := time.Unix(1700000000, 123)
	got := string(appendResultID(nil, at, 1234567))
	if got != "1700000000000000123-234567" {
		t.Errorf("appendResultID = %q", got)
	}
	if got := string(appendResultID(nil, time.Unix(0, 5), 7)); got != "0000000000000000005-000007" {
		t.Errorf("appendResultID = %q", got)
	}
}

// TestStoredResultFormats reads both stored forms of a result: the current one, whose key holds
// the ID, detector and time, and the older one that repeats them in the value.
func TestStoredResultFormats(t *testing.T) {
	at := time.Date(2026, 11, 24, 9, 0, 0, 123456789, time.UTC)
	suffix := appendResultID(nil, at, 42)
	r := detect.Result{IsAnomaly: true, AnomalyScore: 0.97, Confidence: 0.9, Explanation: "x is high"}
	raw := json.RawMessage(`{"x":9}`)
	var cur messages.StoredResult
	if err := json.Unmarshal(appendStored(nil, raw, &r), &cur); err != nil {
		t.Fatal(err)
	}
	storedFromKey(&cur, "det_1", suffix)
	want := messages.StoredResult{ID: "res_" + string(suffix), DetectorID: "det_1", IsAnomaly: true, AnomalyScore: 0.97,
		Confidence: 0.9, Explanation: "x is high", DetectedAt: at, DataPoint: map[string]any{"x": 9.0}}
	if !reflect.DeepEqual(cur, want) {
		t.Errorf("current form: %+v\nwant %+v", cur, want)
	}
	old := []byte(`{"id":"res_given","detector_id":"det_old","is_anomaly":true,"anomaly_score":0.97,"confidence":0.9,` +
		`"explanation":"x is high","detected_at":"2026-11-24T09:00:00.123456789Z","data_point":{"x":9}}`)
	var prev messages.StoredResult
	if err := json.Unmarshal(old, &prev); err != nil {
		t.Fatal(err)
	}
	storedFromKey(&prev, "det_1", suffix)
	want.ID, want.DetectorID = "res_given", "det_old"
	if !reflect.DeepEqual(prev, want) {
		t.Errorf("older form: %+v\nwant %+v", prev, want)
	}
}
