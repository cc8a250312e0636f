package actors

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/topoforge/topoforge/messages"
)

// streams is the streams manager (root/streams): it activates a stream actor per (owner, name)
// on demand (root/streams/<owner>.<name>) and answers anomaly queries from the store.
type streams struct {
	cfg    Config
	log    *slog.Logger
	active map[string]*actor.PID

	// Returning released memory (see freeDelay): a timer is pending since burst (zero: none);
	// lastRelease is the newest release, lastFreed the last return to the OS.
	burst, lastRelease, lastFreed time.Time
}

// streamReleased tells the manager that an idle stream released its window buffers.
type streamReleased struct{}

// freeMemory is the manager's timer for returning released buffers to the OS.
type freeMemory struct{}

// Returning idle streams' buffers to the OS: released windows are garbage, but an idle server
// allocates too little to start a GC cycle (the runtime forces one only every 2 minutes), so the
// heap and RSS would keep the peak reached while the windows were full (10,000 streams: ~1.8 GB).
// Releases come in bursts (streams that went quiet together); once a burst has settled (no
// release for freeDelay, or freeMaxWait after its first), the manager runs debug.FreeOSMemory (a
// full GC) on another goroutine, at most once per freeSpacing.
const (
	freeDelay   = time.Second
	freeMaxWait = 5 * time.Second
	freeSpacing = 10 * time.Second
)

func newStreams(cfg Config) actor.Actor {
	return &streams{cfg: cfg, log: cfg.Logger.With("actor", "streams"), active: map[string]*actor.PID{}}
}

// Receive implements actor.Actor.
func (s *streams) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *statsProbe, *messages.Stats:
		ctx.Respond(&messages.StatsReply{Counters: map[string]int64{"active_streams": int64(len(s.active))}})
	case *actor.Terminated:
		for k, pid := range s.active {
			if pid.Equal(m.Who) {
				delete(s.active, k)
			}
		}
	case *streamReleased:
		now := s.cfg.Now()
		s.lastRelease = now
		if s.burst.IsZero() {
			s.burst = now
			s.freeAfter(ctx, max(freeDelay, s.lastFreed.Add(freeSpacing).Sub(now)))
		}
	case *freeMemory:
		now := s.cfg.Now()
		switch {
		case s.burst.IsZero():
		case now.Sub(s.lastRelease) < freeDelay && now.Sub(s.burst) < freeMaxWait:
			s.freeAfter(ctx, freeDelay) // the burst goes on
		default:
			s.burst, s.lastFreed = time.Time{}, now
			go debug.FreeOSMemory()
		}
	case *messages.JoinStream:
		key := m.Principal.UserID + "." + m.Name
		pid, ok := s.active[key]
		if !ok {
			owner, name, eph, cfg, sinks := m.Principal.UserID, m.Name, m.Ephemeral, s.cfg, sinkSet{}
			var err error
			pid, err = ctx.SpawnNamed(actor.PropsFromProducer(func() actor.Actor {
				return newStreamSession(owner, name, eph, cfg, sinks)
			}, actor.WithDispatcher(s.cfg.disp)), key)
			if err != nil {
				ctx.Respond(&messages.StreamJoined{Err: messages.Errorf(messages.CodeConflict, "stream %s is restarting; retry", m.Name)})
				return
			}
			s.active[key] = pid
		}
		ctx.RequestWithCustomSender(pid, &joinSink{sink: m.Sink}, ctx.Sender())
	case *messages.ListAnomalies:
		ctx.Respond(s.list(m))
	}
}

// anomalyHead is the part of a stored anomaly the filters need.
type anomalyHead struct {
	Stream    string    `json:"stream"`
	Timestamp time.Time `json:"timestamp"`
}

func (s *streams) list(m *messages.ListAnomalies) *messages.AnomalyPage {
	prefix := "anomaly/"
	if m.Principal.Role == messages.RoleUser {
		prefix += m.Principal.UserID + "/"
	}
	// Keys are time-ordered per owner, not across owners, so collect the matches and sort
	// newest first by key time; pages are slices of that order.
	type hit struct {
		key string
		t   time.Time
		v   []byte
	}
	var hits []hit
	var derr error
	err := s.cfg.Store.Scan([]byte(prefix), nil, func(k, v []byte) bool {
		var h anomalyHead
		if derr = json.Unmarshal(v, &h); derr != nil {
			return false
		}
		if (m.Stream != "" && h.Stream != m.Stream) || (!m.Start.IsZero() && h.Timestamp.Before(m.Start)) ||
			(!m.End.IsZero() && h.Timestamp.After(m.End)) {
			return true
		}
		hits = append(hits, hit{key: string(k), t: h.Timestamp, v: bytes.Clone(v)})
		return true
	})
	if err != nil || derr != nil {
		s.log.Error("scan anomalies", "err", err, "decode", derr)
		return &messages.AnomalyPage{Err: messages.Errorf(messages.CodeInternal, "storage error")}
	}
	sortHits := func(a, b hit) int {
		if c := b.t.Compare(a.t); c != 0 {
			return c
		}
		return -bytes.Compare([]byte(a.key), []byte(b.key))
	}
	slicesSortFunc(hits, sortHits)
	out := &messages.AnomalyPage{Total: len(hits), Anomalies: []json.RawMessage{}}
	start := (max(1, m.Page) - 1) * m.Limit
	if m.After != "" {
		start = len(hits)
		for i, h := range hits {
			if h.key == m.After {
				start = i + 1
				break
			}
		}
	}
	for i := start; i < len(hits) && i < start+m.Limit; i++ {
		out.Anomalies = append(out.Anomalies, hits[i].v)
		if i == start+m.Limit-1 && i+1 < len(hits) {
			out.Next = hits[i].key
		}
	}
	return out
}

// freeAfter sends the manager a freeMemory message after d.
func (s *streams) freeAfter(ctx actor.Context, d time.Duration) {
	self, sys := ctx.Self(), ctx.ActorSystem()
	time.AfterFunc(d, func() { sys.Root.Send(self, &freeMemory{}) })
}
