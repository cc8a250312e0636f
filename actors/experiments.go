package actors

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/scheduler"

	"github.com/topoforge/topoforge/auth"
	"github.com/topoforge/topoforge/detect"
	"github.com/topoforge/topoforge/messages"
)

// experiments is the experiments manager (root/experiments). It owns experiment/<id> records;
// each run is an experiment actor with one worker child per algorithm, all in parallel.
type experiments struct {
	cfg   Config
	log   *slog.Logger
	items map[string]*messages.Experiment
}

// Experiment metric names, in the contract's spelling.
var experimentMetrics = []string{"precision", "recall", "f1_score", "roc_auc", "pr_auc"}

// maxExperimentAlgorithms bounds the algorithms of one experiment.
const maxExperimentAlgorithms = 20

func newExperiments(cfg Config) actor.Actor {
	return &experiments{cfg: cfg, log: cfg.Logger.With("actor", "experiments")}
}

func experimentKey(id string) []byte { return []byte("experiment/" + id) }

// experimentDone reports a finished run to the manager, which stores it.
type experimentDone struct{ exp *messages.Experiment }

// Receive implements actor.Actor.
func (x *experiments) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		if err := x.load(); err != nil {
			panic(fmt.Errorf("experiments: load: %w", err))
		}
	case *statsProbe, *messages.Stats:
		ctx.Respond(&messages.StatsReply{Counters: map[string]int64{"experiments": int64(len(x.items))}})
	case *messages.CreateExperiment:
		x.create(ctx, m)
	case *experimentDone:
		x.items[m.exp.ID] = m.exp
	case *messages.GetExperiment:
		e, ok := x.items[m.ID]
		switch {
		case !ok:
			ctx.Respond(&messages.ExperimentReply{Err: messages.Errorf(messages.CodeNotFound, "experiment %s not found", m.ID)})
		case !canRead(m.Principal, e.OwnerID):
			ctx.Respond(&messages.ExperimentReply{Err: accessErr("experiment", m.ID)})
		default:
			ctx.Respond(&messages.ExperimentReply{Experiment: *e})
		}
	case *messages.ListExperiments:
		page, total := listPage(x.items, m.Principal, func(e *messages.Experiment) (string, string, time.Time) {
			return e.OwnerID, e.ID, e.CreatedAt
		}, m.Offset, m.Limit)
		ctx.Respond(&messages.ExperimentList{Experiments: page, Total: total})
	}
}

// load reads every experiment; runs a restart interrupted are marked failed.
func (x *experiments) load() error {
	x.items = map[string]*messages.Experiment{}
	var derr error
	err := x.cfg.Store.Scan([]byte("experiment/"), nil, func(k, v []byte) bool {
		var e messages.Experiment
		if derr = json.Unmarshal(v, &e); derr != nil {
			return false
		}
		x.items[e.ID] = &e
		return true
	})
	if err = errors.Join(err, derr); err != nil {
		return err
	}
	for _, e := range x.items {
		if e.Status == "running" {
			e.Status = "failed"
			e.ResultsSummary = map[string]any{"error": "interrupted by a restart; create the experiment again"}
			if err := putJSON(x.cfg.Store, experimentKey(e.ID), e); err != nil {
				return err
			}
		}
	}
	return nil
}

func putJSON(s Store, key []byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	if err := s.Write([][]byte{key}, [][]byte{b}); err != nil {
		return fmt.Errorf("store %s: %w", key, err)
	}
	return nil
}

func (x *experiments) create(ctx actor.Context, m *messages.CreateExperiment) {
	e := m.Experiment
	if err := checkName(e.Name, e.Description); err != nil {
		ctx.Respond(&messages.ExperimentReply{Err: err})
		return
	}
	if len(e.Algorithms) == 0 || len(e.Algorithms) > maxExperimentAlgorithms {
		ctx.Respond(&messages.ExperimentReply{Err: messages.FieldError("algorithms", fmt.Sprintf("must list 1 to %d algorithms", maxExperimentAlgorithms))})
		return
	}
	for i, a := range e.Algorithms {
		name, params, err := validateAlgorithm(a.Name, a.Parameters)
		if err != nil {
			if f, ok := err.Details["field"].(string); ok {
				err = messages.FieldError(fmt.Sprintf("algorithms[%d].%s", i, strings.TrimPrefix(f, "parameters.")), fmt.Sprint(err.Details["issue"]))
			}
			ctx.Respond(&messages.ExperimentReply{Err: err})
			return
		}
		e.Algorithms[i] = messages.AlgorithmSpec{Name: name, Parameters: params}
	}
	if len(e.EvaluationMetrics) == 0 {
		e.EvaluationMetrics = []string{"f1_score", "precision", "recall", "roc_auc", "pr_auc"}
	}
	for i, name := range e.EvaluationMetrics {
		if !slices.Contains(experimentMetrics, name) {
			ctx.Respond(&messages.ExperimentReply{Err: messages.FieldError(fmt.Sprintf("evaluation_metrics[%d]", i), "must be one of "+strings.Join(experimentMetrics, ", "))})
			return
		}
	}
	if m.Data.Labels == nil {
		ctx.Respond(&messages.ExperimentReply{Err: messages.FieldError("dataset_id", "the dataset has no label column; upload it with label_column to compare algorithms")})
		return
	}
	e.ID, e.OwnerID, e.Status, e.CreatedAt = auth.NewID("exp_"), m.Principal.UserID, "running", x.cfg.Now().UTC()
	e.Results = []messages.ExperimentResult{}
	if err := putJSON(x.cfg.Store, experimentKey(e.ID), &e); err != nil {
		x.log.Error("store experiment", "err", err)
		ctx.Respond(&messages.ExperimentReply{Err: messages.Errorf(messages.CodeInternal, "storage error")})
		return
	}
	x.items[e.ID] = &e
	run := &experimentRun{cfg: x.cfg, exp: e, data: m.Data, wait: m.Wait, requester: ctx.Sender()}
	ctx.Spawn(actor.PropsFromProducer(func() actor.Actor { return run }))
}

// experimentRun runs one experiment: a worker per algorithm, then the winner.
type experimentRun struct {
	cfg       Config
	exp       messages.Experiment
	data      *messages.TableData
	wait      time.Duration
	requester *actor.PID
	got       int
	cancel    scheduler.CancelFunc
}

// algoDone is a worker's result.
type algoDone struct {
	idx int
	res messages.ExperimentResult
}

// Receive implements actor.Actor.
func (r *experimentRun) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		r.exp.Results = make([]messages.ExperimentResult, len(r.exp.Algorithms))
		for i, a := range r.exp.Algorithms {
			w := &algoWorker{idx: i, spec: a, data: r.data}
			ctx.Spawn(actor.PropsFromProducer(func() actor.Actor { return w }))
		}
		r.cancel = scheduler.NewTimerScheduler(ctx).SendOnce(r.wait, ctx.Self(), &waitElapsed{})
	case *waitElapsed:
		if r.requester != nil {
			ctx.Send(r.requester, &messages.ExperimentReply{Experiment: r.exp})
			r.requester = nil
		}
	case *algoDone:
		r.exp.Results[m.idx] = m.res
		r.got++
		if r.got < len(r.exp.Algorithms) {
			return
		}
		r.finish()
		if err := putJSON(r.cfg.Store, experimentKey(r.exp.ID), &r.exp); err != nil {
			r.cfg.Logger.Error("store experiment", "id", r.exp.ID, "err", err)
		}
		done := r.exp
		ctx.Send(ctx.Parent(), &experimentDone{exp: &done})
		if r.cancel != nil {
			r.cancel()
		}
		if r.requester != nil {
			ctx.Send(r.requester, &messages.ExperimentReply{Experiment: r.exp})
		}
		ctx.Stop(ctx.Self())
	}
}

// finish sets the status, the winner (best first requested metric; ties by training time) and
// the summary.
func (r *experimentRun) finish() {
	now := r.cfg.Now().UTC()
	r.exp.Status, r.exp.CompletedAt = "completed", &now
	defer func() { // report only the requested metrics
		for i := range r.exp.Results {
			kept := map[string]float64{}
			for _, name := range r.exp.EvaluationMetrics {
				if v, ok := r.exp.Results[i].Metrics[name]; ok {
					kept[name] = v
				}
			}
			r.exp.Results[i].Metrics = kept
		}
	}()
	metric := r.exp.EvaluationMetrics[0]
	best := -1
	for i, res := range r.exp.Results {
		if res.Error != "" {
			continue
		}
		if best < 0 || res.Metrics[metric] > r.exp.Results[best].Metrics[metric] ||
			(res.Metrics[metric] == r.exp.Results[best].Metrics[metric] && res.TrainingTimeMs < r.exp.Results[best].TrainingTimeMs) {
			best = i
		}
	}
	if best < 0 {
		r.exp.Status = "failed"
		r.exp.ResultsSummary = map[string]any{"error": "every algorithm failed"}
		return
	}
	w := r.exp.Results[best]
	reason := fmt.Sprintf("highest %s (%.4f)", metric, w.Metrics[metric])
	for i, res := range r.exp.Results {
		if i != best && res.Error == "" && res.Metrics[metric] == w.Metrics[metric] {
			reason += fmt.Sprintf(", tied with %s and faster to train (%d ms vs %d ms)", res.Algorithm, w.TrainingTimeMs, res.TrainingTimeMs)
			break
		}
	}
	r.exp.Winner = &messages.Winner{Algorithm: w.Algorithm, Reason: reason}
	r.exp.ResultsSummary = map[string]any{"best_algorithm": w.Algorithm, "best_" + metric: w.Metrics[metric], "metric": metric}
}

// algoWorker fits one algorithm on every row (unsupervised: labels are not used) and evaluates
// its fit-predict output against the labels.
type algoWorker struct {
	idx  int
	spec messages.AlgorithmSpec
	data *messages.TableData
}

// Receive implements actor.Actor.
func (w *algoWorker) Receive(ctx actor.Context) {
	if _, ok := ctx.Message().(*actor.Started); !ok {
		return
	}
	res := messages.ExperimentResult{Algorithm: w.spec.Name, Parameters: w.spec.Parameters, Metrics: map[string]float64{}}
	start := time.Now()
	det, err := detect.New(w.spec.Name, w.spec.Parameters)
	var out []detect.Result
	if err == nil {
		out, err = det.FitScore(detect.Table{Columns: w.data.Columns, Rows: w.data.Rows})
	}
	res.TrainingTimeMs = time.Since(start).Milliseconds()
	if err != nil {
		res.Error = err.Error()
	} else {
		scores := make([]float64, len(out))
		flags := make([]bool, len(out))
		for i, r := range out {
			scores[i], flags[i] = r.Score, r.IsAnomaly
		}
		p, rc, f1 := detect.PrecisionRecallF1(flags, w.data.Labels)
		res.Metrics["precision"], res.Metrics["recall"], res.Metrics["f1_score"] = p, rc, f1
		if hasBoth(w.data.Labels) {
			res.Metrics["roc_auc"], res.Metrics["pr_auc"] = detect.ROCAUC(scores, w.data.Labels), detect.PRAUC(scores, w.data.Labels)
		}
	}
	ctx.Send(ctx.Parent(), &algoDone{idx: w.idx, res: res})
	ctx.Stop(ctx.Self())
}
