package actors

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"google.golang.org/protobuf/proto"

	"github.com/topoforge/topoforge/auth"
	"github.com/topoforge/topoforge/dataset"
	"github.com/topoforge/topoforge/detect"
	"github.com/topoforge/topoforge/messages"
)

// trainer fits one model in its own actor (a child of the detector), so the detector keeps
// scoring with its previous model meanwhile. It reports to its parent and stops.
type trainer struct {
	req *startTraining
	now func() time.Time
}

// Receive implements actor.Actor.
func (t *trainer) Receive(ctx actor.Context) {
	if _, ok := ctx.Message().(*actor.Started); !ok {
		return
	}
	done := t.train()
	done.req = t.req
	ctx.Send(ctx.Parent(), done)
	ctx.Stop(ctx.Self())
}

// splitSeed fixes the validation split so retraining on the same data is reproducible.
const splitSeed = 42

// splitRows returns the training and validation row indices (dataset.Split: a seeded shuffle,
// the last fraction validates). Too few rows to train on validate on nothing.
func splitRows(n int, fraction float64) (train, valid []int) {
	train, valid = dataset.Split(n, fraction, splitSeed)
	if len(train) < 2 {
		return dataset.Split(n, 0, splitSeed)
	}
	return train, valid
}

func pick(rows [][]any, idx []int) [][]any {
	out := make([][]any, len(idx))
	for i, j := range idx {
		out[i] = rows[j]
	}
	return out
}

func (t *trainer) train() *trainDone {
	m := t.req.msg
	start := time.Now()
	det, err := detect.New(t.req.algorithm, t.req.params)
	if err != nil {
		return &trainDone{err: messages.Errorf(messages.CodeValidation, "%v", err)}
	}
	tr, va := splitRows(len(m.Data.Rows), m.ValidationSplit)
	if err := det.Fit(detect.Table{Columns: m.Data.Columns, Rows: pick(m.Data.Rows, tr)}); err != nil {
		return &trainDone{err: messages.Errorf(messages.CodeValidation, "train on dataset %s: %v", m.Data.DatasetID, err)}
	}
	metrics := map[string]float64{}
	var eval *messages.Evaluation
	if len(va) > 0 {
		res, err := det.Score(detect.Table{Columns: m.Data.Columns, Rows: pick(m.Data.Rows, va)})
		if err != nil {
			return &trainDone{err: messages.Errorf(messages.CodeValidation, "score validation rows: %v", err)}
		}
		scores := make([]float64, len(res))
		flags := make([]bool, len(res))
		sum := 0.0
		for i, r := range res {
			scores[i], flags[i] = r.AnomalyScore, r.IsAnomaly
			sum += r.AnomalyScore
		}
		metrics["validation_score"] = sum / float64(len(res))
		if m.Data.Labels != nil {
			labels := make([]bool, len(va))
			for i, j := range va {
				labels[i] = m.Data.Labels[j]
			}
			p, r, f1 := detect.PrecisionRecallF1(flags, labels)
			e := &messages.Evaluation{Precision: p, Recall: r, F1Score: f1, Samples: len(va), EvaluatedAt: t.now().UTC()}
			if hasBoth(labels) {
				e.ROCAUC, e.PRAUC = detect.ROCAUC(scores, labels), detect.PRAUC(scores, labels)
			}
			eval = e
			metrics["precision"], metrics["recall"], metrics["f1"] = p, r, f1
			metrics["roc_auc"], metrics["pr_auc"] = e.ROCAUC, e.PRAUC
		}
	}
	sum := det.Summary()
	metrics["threshold"] = sum.Threshold
	blob, err := det.MarshalBinary()
	if err != nil {
		return &trainDone{err: messages.Errorf(messages.CodeInternal, "serialise model: %v", err)}
	}
	dur := time.Since(start)
	trainedAt := t.now().UTC()
	snap, err := proto.Marshal(&messages.ModelSnapshot{
		DetectorId: m.ID, Algorithm: det.Algorithm(), Model: blob, TrainedAtUnixMs: trainedAt.UnixMilli(),
		TrainingSamples: int64(len(tr)), TrainingDurationMs: dur.Milliseconds(),
	})
	if err != nil {
		return &trainDone{err: messages.Errorf(messages.CodeInternal, "encode snapshot: %v", err)}
	}
	info := &messages.TrainingInfo{
		TrainedAt: trainedAt, TrainingSamples: len(tr), ValidationSamples: len(va),
		TrainingDurationMs: dur.Milliseconds(), DatasetID: m.Data.DatasetID, Features: sum.Columns,
	}
	return &trainDone{
		model: det, snapshot: snap, info: info, eval: eval,
		reply: &messages.TrainReply{
			TrainingID: auth.NewID("training_"), Status: "completed", TrainingSamples: len(tr),
			ValidationSamples: len(va), TrainingDurationMs: dur.Milliseconds(), Metrics: metrics,
		},
	}
}

func hasBoth(labels []bool) bool {
	var pos, neg bool
	for _, l := range labels {
		pos, neg = pos || l, neg || !l
	}
	return pos && neg
}
