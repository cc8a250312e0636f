package actors

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/topoforge/topoforge/auth"
	"github.com/topoforge/topoforge/detect"
	"github.com/topoforge/topoforge/messages"
)

// detectors is the detectors manager (root/detectors). It owns every detector's metadata (key
// detector/<id>), checks access, and activates a detector actor (root/detectors/<id>) on demand;
// idle ones passivate and come back from their snapshot.
type detectors struct {
	cfg        Config
	log        *slog.Logger
	meta       map[string]*messages.Detector
	active     map[string]*actor.PID
	training   map[string]bool
	deps       *detectorDeps
	detections atomic.Int64
	detectNs   atomic.Int64
}

func newDetectors(cfg Config, writer *resultWriter, publish func(any)) actor.Actor {
	d := &detectors{cfg: cfg, log: cfg.Logger.With("actor", "detectors")}
	d.deps = &detectorDeps{
		store: cfg.Store, writer: writer, publish: publish, idle: cfg.DetectorIdle,
		detections: &d.detections, detectNs: &d.detectNs, now: cfg.Now,
	}
	return d
}

func detectorKey(id string) []byte { return []byte("detector/" + id) }

// Receive implements actor.Actor.
func (d *detectors) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		if err := d.load(); err != nil {
			panic(fmt.Errorf("detectors: load: %w", err))
		}
	case *actor.Terminated:
		for id, pid := range d.active {
			if pid.Equal(m.Who) {
				delete(d.active, id)
			}
		}
	case *statsProbe:
		ctx.Respond(&messages.StatsReply{})
	case *messages.Stats:
		var total int64
		for id := range d.meta {
			total += d.deps.writer.detectorTotals(id).Total // durable all-time counters
		}
		ctx.Respond(&messages.StatsReply{Counters: map[string]int64{
			"detectors": int64(len(d.meta)), "active_detectors": int64(len(d.active)),
			"total_detections": total, "detections_since_start": d.detections.Load(),
		}})
	case *messages.CreateDetector:
		ctx.Respond(d.create(m))
	case *messages.ListDetectors:
		ctx.Respond(d.list(m))
	case *messages.GetDetector:
		det, err := d.readable(m.Principal, m.ID)
		if err != nil {
			ctx.Respond(&messages.DetectorReply{Err: err})
			return
		}
		ctx.Respond(&messages.DetectorReply{Detector: d.view(det)})
	case *messages.UpdateDetector:
		d.update(ctx, m)
	case *messages.DeleteDetector:
		ctx.Respond(d.delete(ctx, m))
	case *messages.TrainDetector:
		d.train(ctx, m)
	case *detectorTrained:
		d.trained(ctx, m)
	case *messages.DetectRows:
		p := messages.Principal{UserID: m.UserId, Role: messages.Role(m.Role)}
		if _, err := d.writable(p, m.DetectorId); err != nil {
			ctx.Respond(&messages.DetectRowsReply{Error: remoteErr(err)})
			return
		}
		ctx.Forward(d.child(ctx, m.DetectorId))
	case *messages.DetectAsk:
		p := messages.Principal{UserID: m.Req.UserId, Role: messages.Role(m.Req.Role)}
		if _, err := d.writable(p, m.Req.DetectorId); err != nil {
			m.Reply(&messages.DetectRowsReply{Error: remoteErr(err)})
			return
		}
		ctx.Send(d.child(ctx, m.Req.DetectorId), m)
	case *scoreRows:
		if _, ok := d.meta[m.id]; !ok {
			ctx.Respond(&scoreRowsReply{idx: m.idx, err: messages.Errorf(messages.CodeNotFound, "detector %s not found", m.id)})
			return
		}
		ctx.Forward(d.child(ctx, m.id))
	case *messages.GetResults:
		if _, err := d.readable(m.Principal, m.ID); err != nil {
			ctx.Respond(&messages.ResultsReply{Err: err})
			return
		}
		ctx.RequestWithCustomSender(d.child(ctx, m.ID), &listResults{msg: m}, ctx.Sender())
	case *messages.BatchDetect:
		if _, err := d.writable(m.Principal, m.ID); err != nil {
			ctx.Respond(&messages.BatchReply{Err: err})
			return
		}
		ctx.Forward(d.child(ctx, m.ID))
	case *messages.GetBatch:
		ctx.Respond(d.getBatch(m))
	case *messages.GetMetrics:
		ctx.Respond(d.metrics(m))
	case *messages.GetPerformance:
		ctx.Respond(d.performance(m))
	case *messages.Crash:
		if _, ok := d.meta[m.ID]; ok {
			ctx.Send(d.child(ctx, m.ID), m)
		}
	case *ownedDetectors:
		ctx.Respond(d.owned(m))
	case *detectorCrashed:
		owner := ""
		if det, ok := d.meta[m.id]; ok {
			owner = det.OwnerID
		}
		d.deps.publish(&messages.LiveEvent{
			Type: messages.EventSystemAlert, OwnerID: owner, DetectorID: m.id, Timestamp: d.cfg.Now().UTC(),
			Data: map[string]any{"level": "error", "detector_id": m.id,
				"message": "detector crashed and was restarted from its snapshot", "reason": m.reason},
		})
	}
}

func (d *detectors) load() error {
	d.meta = map[string]*messages.Detector{}
	d.active = map[string]*actor.PID{}
	d.training = map[string]bool{}
	var decodeErr error
	err := d.cfg.Store.Scan([]byte("detector/"), nil, func(k, v []byte) bool {
		var m messages.Detector
		if decodeErr = json.Unmarshal(v, &m); decodeErr != nil {
			decodeErr = fmt.Errorf("decode %s: %w", k, decodeErr)
			return false
		}
		d.meta[m.ID] = &m
		return true
	})
	return errors.Join(err, decodeErr)
}

// child returns the PID of detector id's actor, activating it when needed.
func (d *detectors) child(ctx actor.Context, id string) *actor.PID {
	if pid, ok := d.active[id]; ok {
		return pid
	}
	deps, log := d.deps, d.log
	props := actor.PropsFromProducer(func() actor.Actor { return newDetectorActor(id, deps, log) }, actor.WithDispatcher(d.cfg.disp))
	pid, err := ctx.SpawnNamed(props, id)
	if err != nil { // a stopping instance still holds the name: address it; it re-spawns next time
		pid = actor.NewPID(ctx.Self().Address, ctx.Self().Id+"/"+id)
	}
	d.active[id] = pid
	return pid
}

func (d *detectors) view(m *messages.Detector) messages.Detector {
	v := *m
	v.Status = m.Status
	if d.training[m.ID] {
		v.Status = messages.StatusTraining
	}
	return v
}

func detectorOwner(m *messages.Detector) string { return m.OwnerID }

func (d *detectors) readable(p messages.Principal, id string) (*messages.Detector, *messages.Error) {
	return lookup(d.meta, detectorOwner, p, "detector", id, false)
}

func (d *detectors) writable(p messages.Principal, id string) (*messages.Detector, *messages.Error) {
	return lookup(d.meta, detectorOwner, p, "detector", id, true)
}

func (d *detectors) persist(m *messages.Detector) *messages.Error {
	b, err := json.Marshal(m)
	if err == nil {
		err = d.cfg.Store.Write([][]byte{detectorKey(m.ID)}, [][]byte{b})
	}
	if err != nil {
		d.log.Error("persist detector", "id", m.ID, "err", err)
		return messages.Errorf(messages.CodeInternal, "storage error")
	}
	return nil
}

// validateAlgorithm builds an unfitted detector to validate the algorithm and parameters, and
// returns the effective parameters (defaults filled in).
func validateAlgorithm(algorithm string, params map[string]any) (string, map[string]any, *messages.Error) {
	det, err := detect.New(algorithm, params)
	if err != nil {
		var pe *detect.ParamError
		if errors.As(err, &pe) {
			field := pe.Field
			if field != "algorithm" && !strings.HasPrefix(field, "parameters") {
				field = "parameters." + field
			}
			return "", nil, messages.FieldError(field, pe.Issue)
		}
		return "", nil, messages.FieldError("algorithm", err.Error())
	}
	return det.Algorithm(), det.Params(), nil
}

// Limits on detector fields.
const (
	maxNameLen        = 200  // longest detector, dataset or ensemble name
	maxDescriptionLen = 2000 // longest description
)

func checkName(name, desc string) *messages.Error {
	if strings.TrimSpace(name) == "" {
		return messages.FieldError("name", "is required")
	}
	if len(name) > maxNameLen {
		return messages.FieldError("name", fmt.Sprintf("must be at most %d characters", maxNameLen))
	}
	if len(desc) > maxDescriptionLen {
		return messages.FieldError("description", fmt.Sprintf("must be at most %d characters", maxDescriptionLen))
	}
	return nil
}

func (d *detectors) create(m *messages.CreateDetector) *messages.DetectorReply {
	if err := checkName(m.Name, m.Description); err != nil {
		return &messages.DetectorReply{Err: err}
	}
	algo, params, verr := validateAlgorithm(m.Algorithm, m.Parameters)
	if verr != nil {
		return &messages.DetectorReply{Err: verr}
	}
	now := d.cfg.Now().UTC()
	det := &messages.Detector{
		ID: auth.NewID("det_"), Name: m.Name, Description: m.Description, Algorithm: algo,
		Parameters: params, Status: messages.StatusUntrained, OwnerID: m.Principal.UserID,
		CreatedAt: now, UpdatedAt: now,
	}
	if err := d.persist(det); err != nil {
		return &messages.DetectorReply{Err: err}
	}
	d.meta[det.ID] = det
	return &messages.DetectorReply{Detector: d.view(det)}
}

func (d *detectors) list(m *messages.ListDetectors) *messages.DetectorList {
	var all []*messages.Detector
	for _, det := range d.meta {
		if m.Principal.Role != messages.RoleAdmin && m.Principal.Role != messages.RoleViewer && det.OwnerID != m.Principal.UserID {
			continue
		}
		if m.Algorithm != "" && !strings.EqualFold(det.Algorithm, m.Algorithm) {
			continue
		}
		if m.Status != "" && d.view(det).Status != m.Status {
			continue
		}
		all = append(all, det)
	}
	slices.SortFunc(all, func(a, b *messages.Detector) int { return -cmpTimeID(a.CreatedAt, b.CreatedAt, a.ID, b.ID) })
	rep := &messages.DetectorList{Total: len(all), Detectors: []messages.Detector{}}
	for i := m.Offset; i < len(all) && i < m.Offset+m.Limit; i++ {
		rep.Detectors = append(rep.Detectors, d.view(all[i]))
	}
	return rep
}

func (d *detectors) update(ctx actor.Context, m *messages.UpdateDetector) {
	cur, err := d.writable(m.Principal, m.ID)
	if err != nil {
		ctx.Respond(&messages.DetectorReply{Err: err})
		return
	}
	next := *cur
	if m.Name != nil {
		next.Name = *m.Name
	}
	if m.Description != nil {
		next.Description = *m.Description
	}
	if err := checkName(next.Name, next.Description); err != nil {
		ctx.Respond(&messages.DetectorReply{Err: err})
		return
	}
	if m.Parameters != nil {
		// Parameters merge over the current ones; any change makes the model stale.
		merged := map[string]any{}
		for k, v := range cur.Parameters {
			merged[k] = v
		}
		for k, v := range m.Parameters {
			merged[k] = v
		}
		_, params, verr := validateAlgorithm(cur.Algorithm, merged)
		if verr != nil {
			ctx.Respond(&messages.DetectorReply{Err: verr})
			return
		}
		a, _ := json.Marshal(params)
		b, _ := json.Marshal(cur.Parameters)
		if string(a) != string(b) {
			next.Parameters = params
			next.IsTrained, next.Status = false, messages.StatusUntrained
			next.TrainingInfo, next.PerformanceMetrics = nil, nil
		}
	}
	next.UpdatedAt = d.cfg.Now().UTC()
	keys, vals := [][]byte{detectorKey(m.ID)}, [][]byte{nil}
	b, jerr := json.Marshal(&next)
	vals[0] = b
	if cur.IsTrained && !next.IsTrained {
		// The stale model goes in the same atomic write as the metadata that says so; the
		// detector actor drops its copy from memory before it handles any later request.
		keys, vals = append(keys, modelKey(m.ID)), append(vals, nil)
	}
	if jerr != nil {
		ctx.Respond(&messages.DetectorReply{Err: messages.Errorf(messages.CodeInternal, "encode detector")})
		return
	}
	if err := d.cfg.Store.Write(keys, vals); err != nil {
		d.log.Error("persist detector", "id", m.ID, "err", err)
		ctx.Respond(&messages.DetectorReply{Err: messages.Errorf(messages.CodeInternal, "storage error")})
		return
	}
	if len(keys) == 2 {
		if pid, ok := d.active[m.ID]; ok {
			ctx.Send(pid, &resetModel{})
		}
	}
	d.meta[m.ID] = &next
	ctx.Respond(&messages.DetectorReply{Detector: d.view(&next)})
}

func (d *detectors) delete(ctx actor.Context, m *messages.DeleteDetector) *messages.Ack {
	if _, err := d.writable(m.Principal, m.ID); err != nil {
		return &messages.Ack{Err: err}
	}
	if pid, ok := d.active[m.ID]; ok {
		ctx.Stop(pid)
		delete(d.active, m.ID)
	}
	// The metadata goes first: once it is gone the detector does not exist for anyone.
	if err := d.cfg.Store.Write([][]byte{detectorKey(m.ID), modelKey(m.ID), []byte("dtotal/" + m.ID)}, [][]byte{nil, nil, nil}); err != nil {
		d.log.Error("delete detector", "id", m.ID, "err", err)
		return &messages.Ack{Err: messages.Errorf(messages.CodeInternal, "storage error")}
	}
	delete(d.meta, m.ID)
	d.deps.writer.forget(m.ID)
	for _, p := range []string{resultPrefix(m.ID), "dstat/" + m.ID + "/"} {
		if err := d.cfg.Store.DeletePrefix([]byte(p)); err != nil {
			d.log.Error("delete detector data", "id", m.ID, "prefix", p, "err", err)
		}
	}
	return &messages.Ack{}
}

func (d *detectors) train(ctx actor.Context, m *messages.TrainDetector) {
	det, err := d.writable(m.Principal, m.ID)
	if err != nil {
		ctx.Respond(&messages.TrainReply{Err: err})
		return
	}
	if d.training[m.ID] {
		ctx.Respond(&messages.TrainReply{Err: messages.Errorf(messages.CodeConflict, "detector %s is already training", m.ID)})
		return
	}
	d.training[m.ID] = true
	ctx.Send(d.child(ctx, m.ID), &startTraining{
		msg: m, params: det.Parameters, algorithm: det.Algorithm, requester: ctx.Sender(),
	})
}

func (d *detectors) trained(ctx actor.Context, m *detectorTrained) {
	delete(d.training, m.id)
	cur, ok := d.meta[m.id]
	if !ok {
		ctx.Send(m.requester, &messages.TrainReply{Err: messages.Errorf(messages.CodeNotFound, "detector %s was deleted", m.id)})
		return
	}
	if m.err != nil {
		ctx.Send(m.requester, &messages.TrainReply{Err: m.err})
		return
	}
	next := *cur
	next.IsTrained, next.Status = true, messages.StatusTrained
	next.TrainingInfo = m.info
	next.UpdatedAt = d.cfg.Now().UTC()
	if m.eval != nil {
		next.PerformanceMetrics = &messages.PerformanceMetrics{LastEvaluation: m.eval}
	}
	if err := d.persist(&next); err != nil {
		ctx.Send(m.requester, &messages.TrainReply{Err: err})
		return
	}
	d.meta[m.id] = &next
	ctx.Send(m.requester, m.reply)
	d.deps.publish(&messages.LiveEvent{
		Type: messages.EventDetectorTrained, OwnerID: next.OwnerID, DetectorID: next.ID, Timestamp: next.UpdatedAt,
		Data: map[string]any{
			"training_samples": m.info.TrainingSamples, "training_duration_ms": m.info.TrainingDurationMs,
			"metrics": m.reply.Metrics,
		},
	})
}

func (d *detectors) getBatch(m *messages.GetBatch) *messages.BatchReply {
	b, body, err := readBatch(d.cfg.Store, m.BatchID)
	if err != nil {
		d.log.Error("read batch", "id", m.BatchID, "err", err)
		return &messages.BatchReply{Err: messages.Errorf(messages.CodeInternal, "storage error")}
	}
	if b == nil {
		return &messages.BatchReply{Err: messages.Errorf(messages.CodeNotFound, "batch %s not found", m.BatchID)}
	}
	if !canRead(m.Principal, b.OwnerID) {
		return &messages.BatchReply{Err: accessErr("batch", m.BatchID)}
	}
	return &messages.BatchReply{Batch: *b, Body: body}
}

// detectorCrashed is sent by the supervision strategy when a detector actor panicked.
type detectorCrashed struct{ id, reason string }

// ownedDetectors asks which of ids exist, are readable by p and trained. Reply: *ownedReply.
type ownedDetectors struct {
	p   messages.Principal
	ids []string
}

type ownedReply struct{ err *messages.Error }

func (d *detectors) owned(m *ownedDetectors) *ownedReply {
	for i, id := range m.ids {
		det, ok := d.meta[id]
		field := fmt.Sprintf("detector_ids[%d]", i)
		switch {
		case !ok:
			return &ownedReply{err: messages.FieldError(field, "detector "+id+" does not exist")}
		case !canWrite(m.p, det.OwnerID):
			return &ownedReply{err: &messages.Error{Code: messages.CodeForbidden, Message: "detector " + id + " belongs to another user", Details: map[string]any{"field": field}}}
		case !det.IsTrained:
			return &ownedReply{err: messages.FieldError(field, "detector "+id+" is not trained")}
		}
	}
	return &ownedReply{}
}
