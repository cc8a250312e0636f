package stream

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// events is a test stream of two fields: noisy sines with a spike, a level shift and
// quantised stretches, so that snapshots fall in every phase (buffering, reference,
// warmup, scoring, suppression).
func events(n int) [][]float64 {
	a, b := sineSource(21, 45, 0.4), sineSource(22, 70, 0.2)
	out := make([][]float64, n)
	for i := range out {
		x, y := a(), 100+20*b()
		switch {
		case i == 900:
			x += 30
		case i >= 1400:
			y += 90
		}
		if i%300 < 40 {
			x = math.Round(x)
		}
		out[i] = []float64{x, y}
	}
	return out
}

func TestSnapshotRoundTrip(t *testing.T) {
	ev := events(2000)
	configs := map[string]Config{}
	c := DefaultConfig()
	c.Fields = []string{"x", "y"}
	configs["TwoFields"] = c
	c = DefaultConfig()
	c.Fields, c.Delay, c.Stride = []string{"x", "y"}, AutoDelay, 3
	configs["AutoDelayStride"] = c
	c = DefaultConfig()
	c.Fields, c.EmbeddingDim, c.MaxDim, c.WindowSize = []string{"x", "y"}, 1, 2, 20
	configs["Points"] = c
	for name, cfg := range configs {
		t.Run(name, func(t *testing.T) {
			for _, at := range []int{0, 10, 60, 200, 500, 901, 950, 1500} {
				orig := MustAnalyzer(t, cfg)
				for _, p := range ev[:at] {
					if _, _, err := orig.Push(p); err != nil {
						t.Fatal(err)
					}
				}
				snap, err := orig.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				again, _ := orig.MarshalBinary()
				if !bytes.Equal(snap, again) {
					t.Fatalf("at %d: MarshalBinary is not deterministic", at)
				}
				var restored Analyzer
				if err := restored.UnmarshalBinary(snap); err != nil {
					t.Fatalf("at %d: UnmarshalBinary: %v", at, err)
				}
				if !reflect.DeepEqual(restored.Config(), orig.Config()) {
					t.Fatalf("at %d: restored config %+v, want %+v", at, restored.Config(), orig.Config())
				}
				for i, p := range ev[at:] {
					r1, ok1, err1 := orig.Push(p)
					r2, ok2, err2 := restored.Push(p)
					if err1 != nil || err2 != nil || ok1 != ok2 || !reflect.DeepEqual(r1, r2) {
						t.Fatalf("snapshot at %d, sample %d: restored %+v (%v, %v), original %+v (%v, %v)",
							at, at+i, r2, ok2, err2, r1, ok1, err1)
					}
				}
				s1, _ := orig.MarshalBinary()
				s2, _ := restored.MarshalBinary()
				if !bytes.Equal(s1, s2) {
					t.Fatalf("snapshot at %d: final states differ", at)
				}
			}
		})
	}
}

func TestSnapshotAnomaliesSurviveRestart(t *testing.T) {
	// A crashed actor restarts from its last snapshot: the alerts are the same.
	ev := events(2000)
	cfg := DefaultConfig()
	cfg.Fields = []string{"x", "y"}
	want := MustAnalyzer(t, cfg)
	got := MustAnalyzer(t, cfg)
	var snap []byte
	for i, p := range ev {
		r1, _, _ := want.Push(p)
		r2, _, _ := got.Push(p)
		if r1.IsAnomaly != r2.IsAnomaly || r1.Scores != r2.Scores {
			t.Fatalf("sample %d: %+v after restarts, want %+v", i, r2.Scores, r1.Scores)
		}
		if i%250 == 0 {
			snap, _ = got.MarshalBinary()
		}
		if i%250 == 0 || i%333 == 0 {
			got = &Analyzer{}
			if err := got.UnmarshalBinary(snap); err != nil {
				t.Fatal(err)
			}
			// Replay the events since the snapshot, as the actor would from its log.
			for _, q := range ev[i-i%250+1 : i+1] {
				got.Push(q)
			}
		}
	}
}

func TestSnapshotErrors(t *testing.T) {
	a := MustAnalyzer(t, DefaultConfig())
	for _, p := range events(700) {
		a.Push(p[:1])
	}
	good, _ := a.MarshalBinary()
	f := func(name string, b []byte) {
		t.Helper()
		var x Analyzer
		if err := x.UnmarshalBinary(b); !errors.Is(err, ErrSnapshot) {
			t.Errorf("%s: UnmarshalBinary = %v, want ErrSnapshot", name, err)
		}
	}
	f("Empty", nil)
	f("Magic", append([]byte("XXXX"), good[4:]...))
	f("Version", append(append([]byte{}, good[:4]...), append([]byte{99}, good[5:]...)...))
	for _, n := range []int{5, 20, 100, len(good) / 2, len(good) - 1} {
		f("Truncated", good[:n])
	}
	f("Trailing", append(append([]byte{}, good...), 0))
	bad := append([]byte{}, good...)
	bad[5+8] = 0 // window_size 0 or a huge one
	bad[5+8+7] = 0x80
	f("Config", bad)

	// The receiver is unchanged after an error.
	b := MustAnalyzer(t, DefaultConfig())
	before, _ := b.MarshalBinary()
	if err := b.UnmarshalBinary(good[:len(good)-3]); err == nil {
		t.Fatal("UnmarshalBinary(truncated) = nil")
	}
	if after, _ := b.MarshalBinary(); !bytes.Equal(before, after) {
		t.Error("a failed UnmarshalBinary changed the analyzer")
	}
}

func TestZeroAnalyzer(t *testing.T) {
	var a Analyzer
	if _, _, err := a.Push(nil); !errors.Is(err, ErrNoConfig) {
		t.Errorf("zero Analyzer: Push(nil) = %v, want ErrNoConfig", err)
	}
	if count, needed := a.Buffered(); count != 0 || needed != 0 {
		t.Errorf("zero Analyzer: Buffered() = %d, %d", count, needed)
	}
}

func FuzzUnmarshalBinary(f *testing.F) {
	a, _ := NewAnalyzer(DefaultConfig())
	s0, _ := a.MarshalBinary()
	f.Add(s0)
	for _, p := range events(600) {
		a.Push(p[:1])
	}
	s1, _ := a.MarshalBinary()
	f.Add(s1)
	f.Fuzz(func(t *testing.T, b []byte) {
		var x Analyzer
		if err := x.UnmarshalBinary(b); err != nil {
			return
		}
		// A snapshot that decodes must give a working analyzer.
		p := make([]float64, len(x.Config().Fields))
		for i := range 80 {
			for k := range p {
				p[k] = float64((i + k) % 9)
			}
			if _, _, err := x.Push(p); err != nil {
				t.Fatalf("Push after restore: %v", err)
			}
		}
	})
}

// TestSnapshotVersion1 decodes a snapshot written before the contextual model
// (testdata/snapshot_v1.bin: the default configuration after 700 samples of events):
// the state is restored, the contextual model relearnt, and the analyzer goes on.
func TestSnapshotVersion1(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "snapshot_v1.bin"))
	if err != nil {
		t.Fatal(err)
	}
	var a Analyzer
	if err := a.UnmarshalBinary(b); err != nil {
		t.Fatalf("UnmarshalBinary(version 1) = %v", err)
	}
	want := DefaultConfig()
	want.Weights = Weights{Betti: 1, Entropy: 1, ML: 1.5} // the defaults of version 1
	if a.Samples() != 700 || !reflect.DeepEqual(a.Config(), want) {
		t.Fatalf("restored %d samples, config %+v; want 700, %+v", a.Samples(), a.Config(), want)
	}
	for i, p := range events(1000)[700:] {
		res, ok, err := a.Push(p[:1])
		if err != nil || !ok || !(res.Scores.Total >= 0 && res.Scores.Total <= 100) {
			t.Fatalf("sample %d after restore: %+v, %v, %v", 700+i, res.Scores, ok, err)
		}
	}
	s, _ := a.MarshalBinary()
	if s[len(snapshotMagic)] != snapshotVersion {
		t.Errorf("re-encoded as version %d, want %d", s[len(snapshotMagic)], snapshotVersion)
	}
}

// TestSnapshotVersion2 decodes a snapshot written before the early detector
// (testdata/snapshot_v2.bin: the default configuration after 300 samples of events, in
// the warmup): the early detector, whose range is unknown, stays silent until the end of
// the warmup, and from then on the analyses are those of an uninterrupted analyzer.
func TestSnapshotVersion2(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "snapshot_v2.bin"))
	if err != nil {
		t.Fatal(err)
	}
	var a Analyzer
	if err := a.UnmarshalBinary(b); err != nil {
		t.Fatalf("UnmarshalBinary(version 2) = %v", err)
	}
	if a.Samples() != 300 || !reflect.DeepEqual(a.Config(), DefaultConfig()) {
		t.Fatalf("restored %d samples, config %+v; want 300, %+v", a.Samples(), a.Config(), DefaultConfig())
	}
	ev := events(1000)
	want := MustAnalyzer(t, DefaultConfig())
	for _, p := range ev[:300] {
		want.Push(p[:1])
	}
	for i, p := range ev[300:] {
		r1, _, err1 := want.Push(p[:1])
		r2, _, err2 := a.Push(p[:1])
		if err1 != nil || err2 != nil {
			t.Fatalf("sample %d: %v, %v", 300+i, err1, err2)
		}
		if r2.Warmup && r2.Scores != (Scores{}) {
			t.Fatalf("sample %d: warmup scores %+v after a version 2 restore, want 0", 300+i, r2.Scores)
		}
		if !r2.Warmup && (r1.Scores != r2.Scores || r1.IsAnomaly != r2.IsAnomaly) {
			t.Fatalf("sample %d: scores %+v, want %+v", 300+i, r2.Scores, r1.Scores)
		}
	}
	s, _ := a.MarshalBinary()
	if s[len(snapshotMagic)] != snapshotVersion {
		t.Errorf("re-encoded as version %d, want %d", s[len(snapshotMagic)], snapshotVersion)
	}
}
