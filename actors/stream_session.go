package actors

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/valyala/fastjson"

	"github.com/topoforge/topoforge/jsonw"
	"github.com/topoforge/topoforge/messages"
	"github.com/topoforge/topoforge/stream"
)

// streamSession is one stream (root/streams/<owner>.<name>): it holds the analyzer (window,
// baseline, model), the clients' sinks, and broadcasts each window's analysis to every sink.
// Flagged windows are stored as anomalies (anomaly/<owner>/...). The analyzer and config are
// snapshotted (streamsnap/<owner>/<name>) every SnapshotEvery events and when the actor stops,
// and reloaded in Started, so a crash loses at most the analysis state of the events since the
// last snapshot, never a stored anomaly.
type streamSession struct {
	owner, name string
	ephemeral   bool
	cfg         Config
	log         *slog.Logger
	conf        stream.Config
	an          *stream.Analyzer
	sinks       sinkSet // survives restarts: clients stay attached through a crash
	sinceSnap   int
	seq         uint64
	lastEvent   time.Time
	released    bool
	frame       []byte
	point       []float64
	parser      fastjson.Parser // frames are parsed one at a time, by this actor
}

func streamSnapKey(owner, name string) []byte { return []byte("streamsnap/" + owner + "/" + name) }

// snapshot is what streamsnap/<owner>/<name> stores.
type snapshot struct {
	Config   stream.Config `json:"config"`
	Analyzer []byte        `json:"analyzer,omitempty"`
}

// sinkSet is a stream's clients. It is created once per activation and handed to every
// instance the supervisor makes, so a restarted stream keeps broadcasting to the same clients.
// Only the stream actor touches it, one message at a time.
type sinkSet map[messages.StreamSink]struct{}

func newStreamSession(owner, name string, ephemeral bool, cfg Config, sinks sinkSet) actor.Actor {
	return &streamSession{owner: owner, name: name, ephemeral: ephemeral, cfg: cfg,
		log: cfg.Logger.With("stream", owner+"/"+name), sinks: sinks}
}

// Receive implements actor.Actor.
func (s *streamSession) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		s.load()
		s.lastEvent = s.cfg.Now()
		ctx.SetReceiveTimeout(min(s.cfg.StreamRelease, s.cfg.StreamIdle))
	case *actor.ReceiveTimeout:
		// Idle: free the window's buffers (rebuilt from the kept samples on the next event);
		// without clients for StreamIdle, stop (the snapshot stays).
		if !s.released && s.an != nil {
			s.an.Release()
			s.released = true
			ctx.Send(ctx.Parent(), &streamReleased{})
		}
		if len(s.sinks) == 0 && s.cfg.Now().Sub(s.lastEvent) >= s.cfg.StreamIdle {
			ctx.Stop(ctx.Self())
		}
	case *actor.Stopping:
		if s.ephemeral {
			_ = s.cfg.Store.Write([][]byte{streamSnapKey(s.owner, s.name)}, [][]byte{nil})
		} else {
			s.save()
		}
	case *messages.Crash:
		panic("stream " + s.name + ": injected crash")
	case *joinSink:
		s.sinks[m.sink] = struct{}{}
		conf, _ := json.Marshal(s.an.Config())
		ctx.Respond(&messages.StreamJoined{Actor: ctx.Self(), Config: conf})
	case *messages.LeaveStream:
		delete(s.sinks, m.Sink)
		if len(s.sinks) == 0 && s.ephemeral {
			ctx.Stop(ctx.Self())
		}
	case *messages.StreamFrame:
		s.lastEvent, s.released = s.cfg.Now(), false
		s.handle(m)
	case *messages.FlushStream:
		ctx.Respond(&messages.Ack{})
	}
}

// joinSink is JoinStream after the manager resolved the stream.
type joinSink struct{ sink messages.StreamSink }

func (s *streamSession) load() {
	s.conf = s.cfg.StreamDefaults
	v, found, err := s.cfg.Store.Get(streamSnapKey(s.owner, s.name))
	if err != nil {
		s.log.Error("read stream snapshot", "err", err)
	}
	var snap snapshot
	if found && json.Unmarshal(v, &snap) == nil && snap.Config.Validate() == nil {
		s.conf = snap.Config
	}
	an, err := stream.NewAnalyzer(s.conf)
	if err != nil { // a stored config that no longer validates: start from the defaults
		s.conf = s.cfg.StreamDefaults
		an, _ = stream.NewAnalyzer(s.conf)
	}
	if u, ok := any(an).(encoding.BinaryUnmarshaler); ok && len(snap.Analyzer) > 0 {
		if err := u.UnmarshalBinary(snap.Analyzer); err != nil {
			s.log.Warn("stream snapshot does not load; starting fresh", "err", err)
			an, _ = stream.NewAnalyzer(s.conf)
		}
	}
	s.an = an
}

func (s *streamSession) save() {
	snap := snapshot{Config: s.conf}
	if m, ok := any(s.an).(encoding.BinaryMarshaler); ok {
		b, err := m.MarshalBinary()
		if err != nil {
			s.log.Error("snapshot analyzer", "err", err)
			return
		}
		snap.Analyzer = b
	}
	if err := putJSON(s.cfg.Store, streamSnapKey(s.owner, s.name), &snap); err != nil {
		s.log.Error("store stream snapshot", "err", err)
		return
	}
	s.sinceSnap = 0
}

// sendError answers one client with the contract's error frame.
func sendError(sink messages.StreamSink, code, msg string) {
	b, _ := json.Marshal(map[string]any{"type": "error", "error": map[string]string{"code": code, "message": msg}})
	sink.Send(b)
}

func (s *streamSession) broadcast(b []byte) {
	for sink := range s.sinks {
		if !sink.Send(b) {
			delete(s.sinks, sink) // gone or too slow: never block the stream
		}
	}
}

func (s *streamSession) handle(m *messages.StreamFrame) {
	// fastjson's parser is lenient with numbers; validate strictly first.
	if fastjson.ValidateBytes(m.Data) != nil {
		sendError(m.Sink, "BAD_REQUEST", "frame is not a JSON object")
		return
	}
	v, err := s.parser.ParseBytes(m.Data)
	if err != nil || v.Type() != fastjson.TypeObject {
		sendError(m.Sink, "BAD_REQUEST", "frame is not a JSON object")
		return
	}
	typ := ""
	if t := v.Get("type"); t != nil && t.Type() == fastjson.TypeString {
		typ = string(t.GetStringBytes())
	}
	switch typ {
	case "config":
		var payload []byte
		if p := v.Get("payload"); p != nil {
			payload = p.MarshalTo(nil)
		}
		s.configure(m.Sink, payload)
		return
	case "event":
		p := v.Get("payload")
		if p == nil {
			sendError(m.Sink, "VALIDATION_ERROR", "event frame has no payload")
			return
		}
		if p.Type() != fastjson.TypeObject {
			sendError(m.Sink, "VALIDATION_ERROR", "event payload must be a JSON object")
			return
		}
		m.Data, v = p.MarshalTo(nil), p
	case "":
		// a raw event object
	default:
		sendError(m.Sink, "BAD_REQUEST", fmt.Sprintf("unknown frame type %q (want event or config)", typ))
		return
	}
	s.event(m, v)
}

func (s *streamSession) configure(sink messages.StreamSink, payload json.RawMessage) {
	next := s.an.Config()
	if len(payload) == 0 {
		sendError(sink, "VALIDATION_ERROR", "config frame has no payload")
		return
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&next); err != nil {
		sendError(sink, "VALIDATION_ERROR", "invalid config: "+err.Error())
		return
	}
	if err := next.Validate(); err != nil {
		sendError(sink, "VALIDATION_ERROR", strings.TrimPrefix(err.Error(), stream.ErrConfig.Error()+": "))
		return
	}
	// Threshold, weights and warmup changes keep the learnt history; a change of the window,
	// embedding or fields restarts the analysis (windows, baseline and model are rebuilt).
	if _, err := s.an.SetConfig(next); err != nil {
		sendError(sink, "VALIDATION_ERROR", strings.TrimPrefix(err.Error(), stream.ErrConfig.Error()+": "))
		return
	}
	an := s.an
	s.conf = an.Config()
	s.save()
	conf, _ := json.Marshal(an.Config())
	b := append([]byte(`{"type":"config_ack","config":`), conf...)
	s.broadcast(append(b, '}'))
}

// eventTime is the event's timestamp when it has a parseable one (RFC 3339 or "2006-01-02
// 15:04:05" text, or Unix seconds), else the receive time.
func eventTime(ev *fastjson.Value, received time.Time) time.Time {
	ts := ev.Get("timestamp")
	switch {
	case ts == nil:
		return received
	case ts.Type() == fastjson.TypeString:
		str := string(ts.GetStringBytes())
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
			if t, err := time.Parse(layout, str); err == nil {
				return t.UTC()
			}
		}
	case ts.Type() == fastjson.TypeNumber:
		if f, err := ts.Float64(); err == nil && f > 0 && f < 1e11 {
			return time.Unix(0, int64(f*1e9)).UTC()
		}
	}
	return received
}

// fieldValue reads field f of an event: a JSON number, or a string holding one.
func fieldValue(ev *fastjson.Value, f string) (float64, string) {
	x := ev.Get(f)
	var v float64
	var err error
	switch {
	case x == nil:
		return 0, fmt.Sprintf("event has no %q field", f)
	case x.Type() == fastjson.TypeNumber:
		v, err = x.Float64()
	case x.Type() == fastjson.TypeString:
		v, err = strconv.ParseFloat(string(x.GetStringBytes()), 64)
	default:
		return 0, fmt.Sprintf("field %q must be a number", f)
	}
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Sprintf("field %q must be a finite number", f)
	}
	return v, ""
}

func (s *streamSession) event(m *messages.StreamFrame, ev *fastjson.Value) {
	s.point = s.point[:0]
	for _, f := range s.conf.Fields {
		v, problem := fieldValue(ev, f)
		if problem != "" {
			sendError(m.Sink, "VALIDATION_ERROR", problem)
			return
		}
		s.point = append(s.point, v)
	}
	a, analysed, err := s.an.Push(s.point)
	if err != nil {
		code := "VALIDATION_ERROR"
		if !errors.Is(err, stream.ErrNotFinite) && !errors.Is(err, stream.ErrPointSize) && !errors.Is(err, stream.ErrOutOfRange) {
			code = "INTERNAL_ERROR"
		}
		sendError(m.Sink, code, err.Error())
		return
	}
	s.sinceSnap++
	if s.sinceSnap >= s.cfg.SnapshotEvery {
		s.save()
	}
	if !analysed {
		count, needed := s.an.Buffered()
		f := s.frame[:0]
		f = append(f, `{"type":"buffering","count":`...)
		f = strconv.AppendInt(f, int64(count), 10)
		f = append(f, `,"needed":`...)
		f = strconv.AppendInt(f, int64(needed), 10)
		f = append(f, `,"sample":`...)
		f = strconv.AppendInt(f, s.an.Samples(), 10)
		f = append(f, '}')
		s.frame = f
		m.Sink.Send(bytes.Clone(f))
		return
	}
	data := a.AppendJSON(nil)
	f := make([]byte, 0, len(data)+len(m.Data)+96)
	f = append(f, `{"type":"analysis","stream":`...)
	f = jsonw.String(f, s.name)
	f = append(f, `,"sample":`...)
	f = strconv.AppendInt(f, a.Sample, 10)
	f = append(f, `,"data":`...)
	f = append(f, data[:len(data)-1]...)
	f = append(f, `,"original_event":`...)
	f = append(f, m.Data...)
	f = append(f, `},"original_event":`...)
	f = append(f, m.Data...)
	f = append(f, '}')
	s.broadcast(f)
	if a.IsAnomaly {
		s.storeAnomaly(&a, data, m, eventTime(ev, m.Received))
	}
}

// storeAnomaly persists a flagged window under anomaly/<owner>/<time>-<seq>, time-ordered.
func (s *streamSession) storeAnomaly(a *stream.Analysis, data []byte, m *messages.StreamFrame, at time.Time) {
	s.seq++
	id := fmt.Sprintf("%019d-%s-%d", at.UnixNano(), s.name, s.seq)
	rec := make([]byte, 0, len(data)+len(m.Data)+256)
	rec = append(rec, `{"id":`...)
	rec = jsonw.String(rec, "anom_"+id)
	rec = append(rec, `,"stream":`...)
	rec = jsonw.String(rec, s.name)
	rec = append(rec, `,"owner_id":`...)
	rec = jsonw.String(rec, s.owner)
	rec = append(rec, `,"timestamp":"`...)
	rec = at.AppendFormat(rec, time.RFC3339Nano)
	rec = append(rec, `","detected_at":"`...)
	rec = m.Received.UTC().AppendFormat(rec, time.RFC3339Nano)
	rec = append(rec, `","sample":`...)
	rec = strconv.AppendInt(rec, a.Sample, 10)
	rec = append(rec, `,"analysis":`...)
	rec = append(rec, data...)
	rec = append(rec, `,"event":`...)
	rec = append(rec, m.Data...)
	rec = append(rec, '}')
	if err := s.cfg.Store.Write([][]byte{[]byte("anomaly/" + s.owner + "/" + id)}, [][]byte{rec}); err != nil {
		s.log.Error("store anomaly", "err", err)
	}
}
