package actors

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"google.golang.org/protobuf/proto"

	"github.com/topoforge/topoforge/detect"
	"github.com/topoforge/topoforge/jsonw"
	"github.com/topoforge/topoforge/messages"
)

// detectorActor is one detector (detector/<id>): it holds the trained model and scores rows.
// Its metadata belongs to the detectors manager; the model snapshot (key model/<id>) and the
// results (result/<id>/...) belong to it. Training runs in a trainer child, so scoring goes on
// with the previous model meanwhile.
type detectorActor struct {
	id       string
	deps     *detectorDeps
	log      *slog.Logger
	model    *detect.Detector
	training bool
	seq      uint64
	rows     rowDecoder
	reply    []byte // scratch for building detect replies; each reply is an exact-size copy
}

// detectorDeps are what every detector shares: the store, the result writer, the event stream
// publisher and the manager's counters.
type detectorDeps struct {
	store      Store
	writer     *resultWriter
	publish    func(any)
	idle       time.Duration
	detections *atomic.Int64
	detectNs   *atomic.Int64
	now        func() time.Time
}

func newDetectorActor(id string, deps *detectorDeps, log *slog.Logger) actor.Actor {
	return &detectorActor{id: id, deps: deps, log: log.With("detector", id)}
}

// internal messages between the manager, detectors and trainers.
type (
	// startTraining asks a detector to train; requester gets the reply from the manager.
	startTraining struct {
		msg       *messages.TrainDetector
		params    map[string]any
		algorithm string
		requester *actor.PID
	}
	// trainDone reports a trainer's outcome to its detector.
	trainDone struct {
		req      *startTraining
		model    *detect.Detector
		snapshot []byte
		reply    *messages.TrainReply
		info     *messages.TrainingInfo
		eval     *messages.Evaluation
		err      *messages.Error
	}
	// detectorTrained tells the manager to record the new training (then reply to requester).
	detectorTrained struct {
		id        string
		reply     *messages.TrainReply
		info      *messages.TrainingInfo
		eval      *messages.Evaluation
		requester *actor.PID
		err       *messages.Error
	}
	// scoreRows asks for results without storing them (ensembles). Reply: *scoreRowsReply.
	scoreRows struct {
		id    string
		idx   int
		table detect.Table
	}
	scoreRowsReply struct {
		idx     int
		results []detect.Result
		err     *messages.Error
	}
	// resetModel drops the in-memory model (parameters changed).
	resetModel struct{}
	// listResults is GetResults after the manager's access check.
	listResults struct{ msg *messages.GetResults }
)

func modelKey(id string) []byte { return []byte("model/" + id) }

func resultPrefix(id string) string { return "result/" + id + "/" }

// Receive implements actor.Actor.
func (d *detectorActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		if err := d.load(); err != nil {
			panic(fmt.Errorf("detector %s: load snapshot: %w", d.id, err))
		}
		if d.deps.idle > 0 {
			ctx.SetReceiveTimeout(d.deps.idle)
		}
	case *actor.ReceiveTimeout:
		if !d.training {
			ctx.Stop(ctx.Self()) // passivate; the manager re-activates on demand
		}
	case *messages.Crash:
		panic("detector " + d.id + ": injected crash")
	case *messages.DetectRows:
		d.detect(ctx, m, nil)
	case *messages.DetectAsk:
		d.detect(ctx, m.Req, m.Reply)
	case *scoreRows:
		if d.model == nil {
			ctx.Respond(&scoreRowsReply{idx: m.idx, err: untrained(d.id)})
			return
		}
		res, err := d.model.Score(m.table)
		if err != nil {
			ctx.Respond(&scoreRowsReply{idx: m.idx, err: messages.Errorf(messages.CodeValidation, "detector %s: %v", d.id, err)})
			return
		}
		ctx.Respond(&scoreRowsReply{idx: m.idx, results: res})
	case *startTraining:
		if d.training {
			ctx.Send(m.requester, &messages.TrainReply{Err: messages.Errorf(messages.CodeConflict, "detector %s is already training", d.id)})
			return
		}
		d.training = true
		props := actor.PropsFromProducer(func() actor.Actor { return &trainer{req: m, now: d.deps.now} })
		ctx.Spawn(props)
	case *trainDone:
		d.training = false
		if m.err == nil {
			if err := d.deps.store.Write([][]byte{modelKey(d.id)}, [][]byte{m.snapshot}); err != nil {
				d.log.Error("persist model", "err", err)
				m.err = messages.Errorf(messages.CodeInternal, "storage error")
			} else {
				d.model = m.model
			}
		}
		ctx.Send(ctx.Parent(), &detectorTrained{id: d.id, reply: m.reply, info: m.info, eval: m.eval, requester: m.req.requester, err: m.err})
	case *resetModel:
		d.model = nil // the manager already deleted model/<id> with the metadata
	case *messages.BatchDetect:
		d.batch(ctx, m)
	case *listResults:
		ctx.Respond(d.results(m.msg))
	}
}

func untrained(id string) *messages.Error {
	return &messages.Error{
		Code:    messages.CodeConflict,
		Message: fmt.Sprintf("detector %s is not trained: POST /api/v1/detectors/%s/train first", id, id),
		Details: map[string]any{"detector_id": id, "is_trained": false},
	}
}

func (d *detectorActor) load() error {
	v, found, err := d.deps.store.Get(modelKey(d.id))
	if err != nil || !found {
		return err
	}
	var snap messages.ModelSnapshot
	if err := proto.Unmarshal(v, &snap); err != nil {
		return fmt.Errorf("decode snapshot: %w", err)
	}
	if len(snap.Model) == 0 {
		return nil
	}
	m, err := detect.Load(snap.Model)
	if err != nil {
		return fmt.Errorf("load model: %w", err)
	}
	d.model = m
	return nil
}

// detect scores m's rows. The reply goes to to when it is set (a DetectAsk's Reply), else to
// the sender (a request future).
func (d *detectorActor) detect(ctx actor.Context, m *messages.DetectRows, to func(*messages.DetectRowsReply)) {
	start := time.Now()
	reply := to
	if reply == nil {
		reply = func(r *messages.DetectRowsReply) { ctx.Respond(r) }
	}
	if d.model == nil {
		reply(&messages.DetectRowsReply{Error: remoteErr(untrained(d.id))})
		return
	}
	table, raws, merr := d.rows.decode(m.RowsJson)
	if merr != nil {
		reply(&messages.DetectRowsReply{Error: remoteErr(merr)})
		return
	}
	if len(table.Rows) == 0 {
		reply(&messages.DetectRowsReply{Error: remoteErr(messages.FieldError("data", "must hold at least one row"))})
		return
	}
	results, err := d.model.Score(table)
	if err != nil {
		reply(&messages.DetectRowsReply{Error: remoteErr(messages.Errorf(messages.CodeValidation, "%v", err))})
		return
	}
	now := d.deps.now().UTC()
	out := append(d.reply[:0], '[')
	anomalies := 0
	scoreSum := 0.0
	var recs []resultRecord
	var stored []byte // every result's stored JSON, back to back: one allocation per request
	if m.StoreResults {
		recs = make([]resultRecord, 0, len(results))
		size := 0
		for i := range results {
			size += 160 + len(raws[i]) + len(results[i].Explanation)
		}
		stored = make([]byte, 0, size)
	}
	at := now.UnixNano()
	for i, r := range results {
		if r.IsAnomaly {
			anomalies++
		}
		scoreSum += r.AnomalyScore
		if i > 0 {
			out = append(out, ',')
		}
		out = appendResult(out, raws[i], &r)
		if m.StoreResults {
			d.seq++
			start := len(stored)
			stored = appendStored(stored, raws[i], &r)
			recs = append(recs, resultRecord{at: at, seq: d.seq, val: stored[start:len(stored):len(stored)]})
		}
	}
	out = append(out, ']')
	if cap(out) <= 1<<20 { // keep the scratch (unless a huge batch grew it) and reply with a copy
		d.reply, out = out, bytes.Clone(out)
	}
	d.deps.detections.Add(int64(len(results)))
	elapsed := time.Since(start)
	d.deps.detectNs.Add(int64(elapsed))
	rep := &messages.DetectRowsReply{ResultsJson: out, AnomaliesDetected: int32(anomalies), TotalSamples: int32(len(results))}
	ev := &messages.LiveEvent{
		Type: messages.EventDetectionResult, OwnerID: m.UserId, DetectorID: d.id, Timestamp: now,
		Data: &messages.DetectionData{TotalSamples: len(results), AnomaliesDetected: anomalies},
	}
	if !m.StoreResults {
		reply(rep)
		d.deps.publish(ev)
		return
	}
	send := reply // the callback runs on the writer's goroutine: it must not touch ctx
	if to == nil {
		sender, sys := ctx.Sender(), ctx.ActorSystem()
		send = func(r *messages.DetectRowsReply) { sys.Root.Send(sender, r) }
	}
	publish := d.deps.publish
	d.deps.writer.submit(&writeReq{
		records: recs, detector: d.id, hour: now, count: len(results), anomalies: anomalies,
		scoreSum: scoreSum, micros: elapsed.Microseconds(),
		cb: func(err error) {
			if err != nil {
				send(&messages.DetectRowsReply{Error: remoteErr(messages.Errorf(messages.CodeInternal, "storage error"))})
				return
			}
			send(rep)
			publish(ev)
		},
	})
}

// remoteErr converts an error for a proto reply.
func remoteErr(e *messages.Error) *messages.RemoteError {
	r := &messages.RemoteError{Code: int32(e.Code), Message: e.Message}
	if e.Details != nil {
		r.DetailsJson, _ = json.Marshal(e.Details)
	}
	return r
}

// appendResult appends one result of the contract's detect reply.
func appendResult(dst []byte, raw json.RawMessage, r *detect.Result) []byte {
	dst = append(dst, `{"data_point":`...)
	dst = append(dst, raw...)
	dst = append(dst, `,"is_anomaly":`...)
	dst = jsonw.Bool(dst, r.IsAnomaly)
	dst = append(dst, `,"anomaly_score":`...)
	dst = jsonw.Float(dst, r.AnomalyScore)
	dst = append(dst, `,"confidence":`...)
	dst = jsonw.Float(dst, r.Confidence)
	dst = append(dst, `,"score":`...)
	dst = jsonw.Float(dst, r.Score)
	dst = append(dst, `,"explanation":`...)
	dst = jsonw.String(dst, r.Explanation)
	if len(r.Contributions) > 0 {
		dst = append(dst, `,"contributions":[`...)
		for i := range r.Contributions {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendContribution(dst, &r.Contributions[i])
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

// appendContribution appends c as encoding/json would (detect.Contribution's tags).
func appendContribution(dst []byte, c *detect.Contribution) []byte {
	dst = append(dst, `{"feature":`...)
	dst = jsonw.String(dst, c.Feature)
	dst = append(dst, `,"value":`...)
	switch v := c.Value.(type) {
	case nil:
		dst = append(dst, "null"...)
	case json.Number:
		if _, err := strconv.ParseFloat(string(v), 64); err == nil { // always, from the row decoder
			dst = append(dst, v...)
		} else {
			dst = jsonw.String(dst, string(v))
		}
	case string:
		dst = jsonw.String(dst, v)
	case bool:
		dst = jsonw.Bool(dst, v)
	case float64:
		dst = jsonw.Float(dst, v)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			b = []byte("null")
		}
		dst = append(dst, b...)
	}
	dst = append(dst, `,"direction":`...)
	dst = jsonw.String(dst, c.Direction)
	dst = append(dst, `,"percentile":`...)
	dst = jsonw.Float(dst, c.Percentile)
	dst = append(dst, `,"weight":`...)
	dst = jsonw.Float(dst, c.Weight)
	return append(dst, '}')
}

// appendResultID appends a result's key suffix: the detection time in nanoseconds (19 digits,
// so keys sort by time) and the detector's sequence number modulo 10^6 (6 digits).
func appendResultID(dst []byte, at time.Time, seq uint64) []byte {
	dst = appendPadded(dst, uint64(at.UnixNano()), 19)
	dst = append(dst, '-')
	return appendPadded(dst, seq%1000000, 6)
}

// appendPadded appends v in decimal, left-padded with zeros to width digits.
func appendPadded(dst []byte, v uint64, width int) []byte {
	var buf [20]byte
	b := strconv.AppendUint(buf[:0], v, 10)
	for range width - len(b) {
		dst = append(dst, '0')
	}
	return append(dst, b...)
}

// appendStored appends a result as stored under result/<detector>/<time>-<seq>: the fields of
// messages.StoredResult except those the key holds (id, detector_id, detected_at; see
// storedFromKey), which keeps the store's per-result bytes down on the detect path.
func appendStored(dst []byte, raw json.RawMessage, r *detect.Result) []byte {
	dst = append(dst, `{"is_anomaly":`...)
	dst = jsonw.Bool(dst, r.IsAnomaly)
	dst = append(dst, `,"anomaly_score":`...)
	dst = jsonw.Float(dst, r.AnomalyScore)
	dst = append(dst, `,"confidence":`...)
	dst = jsonw.Float(dst, r.Confidence)
	dst = append(dst, `,"explanation":`...)
	dst = jsonw.String(dst, r.Explanation)
	dst = append(dst, `,"data_point":`...)
	dst = append(dst, raw...)
	return append(dst, '}')
}

// storedFromKey fills the fields of a stored result that its key holds, when the value lacks
// them (values written before format 1.1 carry them too): the ID res_<time>-<seq>, the detector,
// and the detection time (the key's nanoseconds).
func storedFromKey(r *messages.StoredResult, detector string, suffix []byte) {
	if r.ID == "" {
		r.ID = "res_" + string(suffix)
	}
	if r.DetectorID == "" {
		r.DetectorID = detector
	}
	if r.DetectedAt.IsZero() && len(suffix) >= 19 {
		if ns, err := strconv.ParseInt(string(suffix[:19]), 10, 64); err == nil {
			r.DetectedAt = time.Unix(0, ns).UTC()
		}
	}
}

// results lists stored results newest first within the range, counting every match.
func (d *detectorActor) results(m *messages.GetResults) *messages.ResultsReply {
	prefix := resultPrefix(d.id)
	from := []byte(prefix)
	startNs, endNs := int64(math.MinInt64), int64(math.MaxInt64)
	if !m.Start.IsZero() {
		startNs = m.Start.UnixNano()
		// A segment keyed up to maxSegmentSpan before the start may hold later results.
		from = fmt.Appendf(nil, "%s%019d", prefix, max(startNs-maxSegmentSpan, 0))
	}
	if !m.End.IsZero() {
		endNs = m.End.UnixNano()
	}
	rep := &messages.ResultsReply{}
	// Every match is counted; only the newest Limit are kept (raw, in a ring) and decoded.
	type kv struct{ suffix, v []byte }
	ring := make([]kv, max(m.Limit, 0))
	n := 0
	var bad error
	err := d.deps.store.Scan([]byte(prefix), from, func(k, v []byte) bool {
		if at, err := suffixTime(k[len(prefix):]); err == nil && at > endNs {
			return false // keys sort by their first result's time
		}
		bad = forEachResult(k[len(prefix):], v, func(suffix []byte, at int64, v []byte) bool {
			if at < startNs || at > endNs {
				return true
			}
			anomalous := bytes.Contains(v, []byte(`"is_anomaly":true`))
			if m.AnomaliesOnly && !anomalous {
				return true
			}
			rep.Total++
			if anomalous {
				rep.AnomalyCount++
			}
			if len(ring) > 0 {
				slot := &ring[n%len(ring)]
				slot.suffix, slot.v = append(slot.suffix[:0], suffix...), append(slot.v[:0], v...)
				n++
			}
			return true
		})
		if bad != nil {
			bad = fmt.Errorf("key %q: %w", k, bad)
		}
		return bad == nil
	})
	if err == nil {
		err = bad
	}
	if err != nil {
		d.log.Error("scan results", "err", err)
		return &messages.ResultsReply{Err: messages.Errorf(messages.CodeInternal, "storage error")}
	}
	kept := min(n, len(ring))
	rep.Results = make([]messages.StoredResult, 0, kept)
	for i := range kept { // newest first
		e := ring[(n-1-i)%len(ring)]
		var r messages.StoredResult
		if err := json.Unmarshal(e.v, &r); err != nil {
			d.log.Error("decode stored result", "id", "res_"+string(e.suffix), "err", err)
			return &messages.ResultsReply{Err: messages.Errorf(messages.CodeInternal, "storage error")}
		}
		storedFromKey(&r, d.id, e.suffix)
		rep.Results = append(rep.Results, r)
	}
	return rep
}
