package actors

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/topoforge/topoforge/auth"
	"github.com/topoforge/topoforge/detect"
	"github.com/topoforge/topoforge/jsonw"
	"github.com/topoforge/topoforge/messages"
)

// ensembles is the ensembles manager (root/ensembles). It owns ensemble/<id> records. A detect
// request runs in a short-lived fan-out actor that asks every member detector's actor (through
// the detectors manager) for its results and combines them, so the manager never waits.
type ensembles struct {
	cfg       Config
	log       *slog.Logger
	detectors *actor.PID
	items     map[string]*messages.Ensemble
}

// ensembleTimeout bounds one fan-out: every member must answer within it.
const ensembleTimeout = 30 * time.Second

// contractStrategies are the voting strategies the platform contract names, plus
// average_of_maximum.
var contractStrategies = []string{"majority", "weighted", "average", "max", "unanimous", "any", detect.CombineAverageOfMaximum}

func newEnsembles(cfg Config, detectors *actor.PID) actor.Actor {
	return &ensembles{cfg: cfg, log: cfg.Logger.With("actor", "ensembles"), detectors: detectors}
}

func ensembleKey(id string) []byte { return []byte("ensemble/" + id) }

// Receive implements actor.Actor.
func (e *ensembles) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		e.items = map[string]*messages.Ensemble{}
		var derr error
		err := e.cfg.Store.Scan([]byte("ensemble/"), nil, func(k, v []byte) bool {
			var en messages.Ensemble
			if derr = json.Unmarshal(v, &en); derr != nil {
				return false
			}
			e.items[en.ID] = &en
			return true
		})
		if err = errors.Join(err, derr); err != nil {
			panic(fmt.Errorf("ensembles: load: %w", err))
		}
	case *statsProbe, *messages.Stats:
		ctx.Respond(&messages.StatsReply{Counters: map[string]int64{"ensembles": int64(len(e.items))}})
	case *messages.CreateEnsemble:
		e.create(ctx, m)
	case *ensembleChecked:
		e.created(ctx, m)
	case *messages.GetEnsemble:
		en, err := e.get(m.Principal, m.ID, false)
		if err != nil {
			ctx.Respond(&messages.EnsembleReply{Err: err})
			return
		}
		ctx.Respond(&messages.EnsembleReply{Ensemble: *en})
	case *messages.ListEnsembles:
		page, total := listPage(e.items, m.Principal, func(en *messages.Ensemble) (string, string, time.Time) {
			return en.OwnerID, en.ID, en.CreatedAt
		}, m.Offset, m.Limit)
		ctx.Respond(&messages.EnsembleList{Ensembles: page, Total: total})
	case *messages.DeleteEnsemble:
		if _, err := e.get(m.Principal, m.ID, true); err != nil {
			ctx.Respond(&messages.Ack{Err: err})
			return
		}
		if err := e.cfg.Store.Write([][]byte{ensembleKey(m.ID)}, [][]byte{nil}); err != nil {
			ctx.Respond(&messages.Ack{Err: messages.Errorf(messages.CodeInternal, "storage error")})
			return
		}
		delete(e.items, m.ID)
		ctx.Respond(&messages.Ack{})
	case *messages.EnsembleDetect:
		en, err := e.get(m.Principal, m.ID, true)
		if err != nil {
			ctx.Respond(&messages.EnsembleDetectReply{Err: err})
			return
		}
		table, raws, derr := decodeRows(m.RowsJSON)
		if derr == nil && len(table.Rows) == 0 {
			derr = messages.FieldError("data", "must hold at least one row")
		}
		if derr != nil {
			ctx.Respond(&messages.EnsembleDetectReply{Err: derr})
			return
		}
		f := &fanout{detectors: e.detectors, ens: *en, table: table, raws: raws, requester: ctx.Sender()}
		ctx.Spawn(actor.PropsFromProducer(func() actor.Actor { return f }))
	}
}

func (e *ensembles) get(p messages.Principal, id string, write bool) (*messages.Ensemble, *messages.Error) {
	return lookup(e.items, func(en *messages.Ensemble) string { return en.OwnerID }, p, "ensemble", id, write)
}

// ensembleChecked carries a create request back after the detectors manager checked members.
type ensembleChecked struct {
	req       *messages.CreateEnsemble
	requester *actor.PID
	err       *messages.Error
}

func validateEnsemble(m *messages.CreateEnsemble) *messages.Error {
	if err := checkName(m.Name, ""); err != nil {
		return err
	}
	if len(m.DetectorIDs) < 2 {
		return messages.FieldError("detector_ids", "must list at least 2 detectors")
	}
	if len(m.DetectorIDs) > 50 {
		return messages.FieldError("detector_ids", "must list at most 50 detectors")
	}
	seen := map[string]bool{}
	for i, id := range m.DetectorIDs {
		if seen[id] {
			return messages.FieldError("detector_ids["+strconv.Itoa(i)+"]", "duplicate detector "+id)
		}
		seen[id] = true
	}
	if !slices.Contains(contractStrategies, m.VotingStrategy) {
		return messages.FieldError("voting_strategy", "must be one of "+strings.Join(contractStrategies, ", "))
	}
	if m.VotingStrategy == "weighted" && m.Weights == nil {
		return messages.FieldError("weights", "are required for the weighted strategy")
	}
	if m.Weights != nil {
		if len(m.Weights) != len(m.DetectorIDs) {
			return messages.FieldError("weights", fmt.Sprintf("must hold one weight per detector (%d), got %d", len(m.DetectorIDs), len(m.Weights)))
		}
		for i, w := range m.Weights {
			if !(w > 0) || math.IsInf(w, 0) {
				return messages.FieldError("weights["+strconv.Itoa(i)+"]", "must be a positive finite number")
			}
		}
	}
	return nil
}

func (e *ensembles) create(ctx actor.Context, m *messages.CreateEnsemble) {
	if err := validateEnsemble(m); err != nil {
		ctx.Respond(&messages.EnsembleReply{Err: err})
		return
	}
	// Ask the detectors manager without blocking: the answer comes back as ensembleChecked.
	requester := ctx.Sender()
	f := ctx.RequestFuture(e.detectors, &ownedDetectors{p: m.Principal, ids: m.DetectorIDs}, e.cfg.AskTimeout())
	ctx.ReenterAfter(f, func(res any, err error) {
		chk := &ensembleChecked{req: m, requester: requester}
		if err != nil {
			chk.err = messages.Errorf(messages.CodeTimeout, "detectors did not answer")
		} else if r, ok := res.(*ownedReply); ok {
			chk.err = r.err
		}
		e.created(ctx, chk)
	})
}

func (e *ensembles) created(ctx actor.Context, c *ensembleChecked) {
	if c.err != nil {
		ctx.Send(c.requester, &messages.EnsembleReply{Err: c.err})
		return
	}
	m := c.req
	en := &messages.Ensemble{
		ID: auth.NewID("ens_"), Name: m.Name, OwnerID: m.Principal.UserID, DetectorIDs: m.DetectorIDs,
		VotingStrategy: m.VotingStrategy, Weights: m.Weights, CreatedAt: e.cfg.Now().UTC(),
	}
	b, _ := json.Marshal(en)
	if err := e.cfg.Store.Write([][]byte{ensembleKey(en.ID)}, [][]byte{b}); err != nil {
		ctx.Send(c.requester, &messages.EnsembleReply{Err: messages.Errorf(messages.CodeInternal, "storage error")})
		return
	}
	e.items[en.ID] = en
	ctx.Send(c.requester, &messages.EnsembleReply{Ensemble: *en})
}

// fanout asks every member of an ensemble for its results and combines them; it answers its
// requester once and stops.
type fanout struct {
	detectors *actor.PID
	ens       messages.Ensemble
	table     detect.Table
	raws      []json.RawMessage
	requester *actor.PID
	results   [][]detect.Result
	got       int
}

// Receive implements actor.Actor.
func (f *fanout) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		f.results = make([][]detect.Result, len(f.ens.DetectorIDs))
		for i, id := range f.ens.DetectorIDs {
			ctx.Request(f.detectors, &scoreRows{id: id, idx: i, table: f.table})
		}
		ctx.SetReceiveTimeout(ensembleTimeout)
	case *actor.ReceiveTimeout:
		f.finish(ctx, &messages.EnsembleDetectReply{Err: messages.Errorf(messages.CodeTimeout, "ensemble members did not answer in time")})
	case *scoreRowsReply:
		if m.err != nil {
			f.finish(ctx, &messages.EnsembleDetectReply{Err: m.err})
			return
		}
		if f.results[m.idx] == nil {
			f.got++
		}
		f.results[m.idx] = m.results
		if f.got == len(f.results) {
			f.finish(ctx, f.combine())
		}
	}
}

func (f *fanout) finish(ctx actor.Context, r *messages.EnsembleDetectReply) {
	if f.requester != nil {
		ctx.Send(f.requester, r)
		f.requester = nil
	}
	ctx.Stop(ctx.Self())
}

func (f *fanout) combine() *messages.EnsembleDetectReply {
	k, n := len(f.results), len(f.table.Rows)
	scores := make([][]float64, k)
	flags := make([][]bool, k)
	for i, rs := range f.results {
		scores[i] = make([]float64, n)
		flags[i] = make([]bool, n)
		for j, r := range rs {
			scores[i][j], flags[i][j] = r.AnomalyScore, r.IsAnomaly
		}
	}
	var weights []float64
	if f.ens.VotingStrategy == "weighted" {
		weights = f.ens.Weights
	}
	c, err := detect.Combine(f.ens.VotingStrategy, scores, flags, weights)
	if err != nil {
		return &messages.EnsembleDetectReply{Err: messages.Errorf(messages.CodeInternal, "combine: %v", err)}
	}
	out := []byte(`{"results":[`)
	anomalies := 0
	for j := range n {
		if j > 0 {
			out = append(out, ',')
		}
		votes := c.Votes[j]
		agree := votes
		if !c.IsAnomaly[j] {
			agree = k - votes
		} else {
			anomalies++
		}
		out = append(out, `{"data_point":`...)
		out = append(out, f.raws[j]...)
		out = append(out, `,"is_anomaly":`...)
		out = strconv.AppendBool(out, c.IsAnomaly[j])
		out = append(out, `,"ensemble_score":`...)
		out = strconv.AppendFloat(out, c.Scores[j], 'g', -1, 64)
		out = append(out, `,"individual_scores":[`...)
		for i := range k {
			if i > 0 {
				out = append(out, ',')
			}
			out = strconv.AppendFloat(out, scores[i][j], 'g', -1, 64)
		}
		out = append(out, `],"votes":{"anomaly":`...)
		out = strconv.AppendInt(out, int64(votes), 10)
		out = append(out, `,"normal":`...)
		out = strconv.AppendInt(out, int64(k-votes), 10)
		out = append(out, `},"confidence":`...)
		out = strconv.AppendFloat(out, float64(agree)/float64(k), 'g', -1, 64)
		out = append(out, '}')
	}
	out = append(out, `],"anomalies_detected":`...)
	out = strconv.AppendInt(out, int64(anomalies), 10)
	out = append(out, `,"total_samples":`...)
	out = strconv.AppendInt(out, int64(n), 10)
	out = append(out, `,"ensemble_id":`...)
	out = jsonw.String(out, f.ens.ID)
	out = append(out, `,"voting_strategy":`...)
	out = jsonw.String(out, f.ens.VotingStrategy)
	out = append(out, '}')
	return &messages.EnsembleDetectReply{Body: out}
}
