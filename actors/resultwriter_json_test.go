package actors

import (
	"encoding/json"
	"math"
	"testing"
)

// TestCounterJSONMatchesEncodingJSON checks the hand-written counter encoders against
// encoding/json: same fields, same values when read back (the score sum bit for bit).
func TestCounterJSONMatchesEncodingJSON(t *testing.T) {
	for _, tot := range []detTotals{{}, {Total: 1, Anomalies: 0}, {Total: math.MaxInt64, Anomalies: 12345}} {
		var got detTotals
		if err := json.Unmarshal(tot.appendJSON(nil), &got); err != nil || got != tot {
			t.Errorf("%+v: %s read back as %+v (%v)", tot, tot.appendJSON(nil), got, err)
		}
		want, _ := json.Marshal(tot)
		if string(want) != string(tot.appendJSON(nil)) {
			t.Errorf("%+v: %s, encoding/json %s", tot, tot.appendJSON(nil), want)
		}
	}
	for _, h := range []hourStats{{}, {Count: 3, Anomalies: 1, ScoreSum: 1.0 / 3, Micros: 99}, {ScoreSum: 1e21}, {ScoreSum: 5e-324}, {ScoreSum: 123456.789}} {
		var got hourStats
		if err := json.Unmarshal(h.appendJSON(nil), &got); err != nil || got != h {
			t.Errorf("%+v: %s read back as %+v (%v)", h, h.appendJSON(nil), got, err)
		}
	}
}
