package actors_test

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/topoforge/topoforge/actors"
	"github.com/topoforge/topoforge/messages"
	"github.com/topoforge/topoforge/persistence"
)

// sink records a stream's frames.
type sink struct {
	mu     sync.Mutex
	frames [][]byte
}

func (s *sink) Send(b []byte) bool {
	s.mu.Lock()
	s.frames = append(s.frames, b)
	s.mu.Unlock()
	return true
}

func (s *sink) take() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.frames
	s.frames = nil
	return f
}

func joinStream(t *testing.T, e *actors.Engine, name string, k *sink) *actor.PID {
	t.Helper()
	res, err := e.Root.RequestFuture(e.Streams, &messages.JoinStream{Principal: messages.Principal{UserID: "u1", Role: messages.RoleUser}, Name: name, Sink: k}, 5*time.Second).Result()
	if err != nil || res.(*messages.StreamJoined).Err != nil {
		t.Fatalf("join: %v %v", err, res)
	}
	return res.(*messages.StreamJoined).Actor.(*actor.PID)
}

func feed(t *testing.T, e *actors.Engine, pid *actor.PID, k *sink, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		v := 10 + 3*math.Sin(2*math.Pi*float64(i)/25.3) + 0.2*math.Sin(float64(i)*0.77)
		e.Root.Send(pid, &messages.StreamFrame{Sink: k, Data: []byte(`{"value":` + strconv.FormatFloat(v, 'g', -1, 64) + `}`), Received: time.Now()})
	}
	if _, err := e.Root.RequestFuture(pid, &messages.FlushStream{}, 10*time.Second).Result(); err != nil {
		t.Fatal(err)
	}
}

// analyses returns the data member of each analysis frame.
func analyses(frames [][]byte) []string {
	var out []string
	for _, f := range frames {
		var m struct {
			Type string          `json:"type"`
			Data json.RawMessage `json:"data"`
		}
		if json.Unmarshal(f, &m) == nil && m.Type == "analysis" {
			out = append(out, string(m.Data))
		}
	}
	return out
}

// TestStreamCrashRestartsFromSnapshot crashes a stream actor right after a snapshot: it comes
// back with its analyzer state and its clients, and its analyses continue exactly as those of an
// identical stream that never crashed.
func TestStreamCrashRestartsFromSnapshot(t *testing.T) {
	st, err := persistence.Open(persistence.SmallOptions(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	e, err := actors.Start(actors.Config{Store: st, SnapshotEvery: 100})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Stop(); _ = st.Close() })
	crashed, steady := &sink{}, &sink{}
	a := joinStream(t, e, "crashy", crashed)
	b := joinStream(t, e, "steady", steady)
	feed(t, e, a, crashed, 0, 300) // snapshot after event 300
	feed(t, e, b, steady, 0, 300)
	crashed.take()
	steady.take()
	e.Root.Send(a, &messages.Crash{})
	feed(t, e, a, crashed, 300, 400)
	feed(t, e, b, steady, 300, 400)
	got, want := analyses(crashed.take()), analyses(steady.take())
	if len(want) != 100 {
		t.Fatalf("steady stream gave %d analyses for 100 events", len(want))
	}
	if len(got) != len(want) {
		t.Fatalf("after the crash: %d analyses, want %d (clients must stay attached)", len(got), len(want))
	}
	for i := range got {
		if !bytes.Equal([]byte(got[i]), []byte(want[i])) {
			t.Fatalf("analysis %d after restart differs:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
}
