package actors

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/scheduler"

	"github.com/topoforge/topoforge/auth"
	"github.com/topoforge/topoforge/detect"
	"github.com/topoforge/topoforge/messages"
)

// batchChunk is how many rows a batch job scores per message and stores per key.
const batchChunk = 8192

func batchMetaKey(id string) []byte { return []byte("batch/" + id + "/meta") }

func batchChunkKey(id string, n int) []byte {
	return fmt.Appendf(nil, "batch/%s/chunk/%08d", id, n)
}

// batchJob scores a dataset with a detector's model (read-only, safe to share) in chunks, one
// message per chunk so it can answer its requester when the wait elapses. Job state lives under
// batch/<id>/; the job is the only writer while it runs.
type batchJob struct {
	deps      *detectorDeps
	model     *detect.Detector
	req       *messages.BatchDetect
	requester *actor.PID
	b         messages.Batch
	next      int
	vec       []float64
	start     time.Time
	answered  bool
	cancelT   scheduler.CancelFunc
}

type (
	nextChunk   struct{}
	waitElapsed struct{}
)

func (d *detectorActor) batch(ctx actor.Context, m *messages.BatchDetect) {
	if d.model == nil {
		ctx.Respond(&messages.BatchReply{Err: untrained(d.id)})
		return
	}
	job := &batchJob{deps: d.deps, model: d.model, req: m, requester: ctx.Sender()}
	ctx.Spawn(actor.PropsFromProducer(func() actor.Actor { return job }))
}

// Receive implements actor.Actor.
func (j *batchJob) Receive(ctx actor.Context) {
	switch ctx.Message().(type) {
	case *actor.Started:
		j.start = time.Now()
		id := auth.NewID("batch_")
		j.b = messages.Batch{
			BatchID: id, DetectorID: j.req.ID, DatasetID: j.req.DatasetID, OwnerID: j.req.Principal.UserID,
			Status: "running", TotalSamples: len(j.req.Data.Rows), OutputFormat: j.req.OutputFormat,
			ResultsURL: "/api/v1/results/" + id, CreatedAt: j.deps.now().UTC(),
		}
		if err := j.saveMeta(); err != nil {
			j.fail(ctx, err)
			return
		}
		j.cancelT = scheduler.NewTimerScheduler(ctx).SendOnce(j.req.Wait, ctx.Self(), &waitElapsed{})
		ctx.Send(ctx.Self(), &nextChunk{})
	case *waitElapsed:
		if !j.answered {
			j.answered = true
			ctx.Send(j.requester, &messages.BatchReply{Batch: j.b})
		}
	case *nextChunk:
		if err := j.scoreChunk(); err != nil {
			j.fail(ctx, err)
			return
		}
		if j.next < len(j.req.Data.Rows) {
			ctx.Send(ctx.Self(), &nextChunk{})
			return
		}
		j.b.Status = "completed"
		j.b.Progress = 1
		j.b.ProcessingDurationMs = time.Since(j.start).Milliseconds()
		if j.b.ProcessedSamples > 0 {
			j.b.AnomalyRate = float64(j.b.AnomaliesDetected) / float64(j.b.ProcessedSamples)
		}
		if err := j.saveMeta(); err != nil {
			j.fail(ctx, err)
			return
		}
		j.finish(ctx)
	}
}

func (j *batchJob) finish(ctx actor.Context) {
	if j.cancelT != nil {
		j.cancelT()
	}
	if !j.answered {
		j.answered = true
		ctx.Send(j.requester, &messages.BatchReply{Batch: j.b})
	}
	ctx.Stop(ctx.Self())
}

func (j *batchJob) fail(ctx actor.Context, err error) {
	j.b.Status, j.b.Error = "failed", err.Error()
	_ = j.saveMeta()
	j.finish(ctx)
}

func (j *batchJob) saveMeta() error {
	b, err := json.Marshal(j.b)
	if err != nil {
		return fmt.Errorf("encode batch: %w", err)
	}
	if err := j.deps.store.Write([][]byte{batchMetaKey(j.b.BatchID)}, [][]byte{b}); err != nil {
		return fmt.Errorf("store batch: %w", err)
	}
	return nil
}

// scoreChunk scores the next rows with the allocation-free path and stores them as one key:
// a JSON array (json) or CSV lines (csv) of index, anomaly_score, is_anomaly, confidence, score.
func (j *batchJob) scoreChunk() error {
	rows := j.req.Data.Rows
	end := min(j.next+batchChunk, len(rows))
	out := make([]byte, 0, 80*(end-j.next))
	var err error
	for i := j.next; i < end; i++ {
		j.vec, err = j.model.Vector(j.vec, j.req.Data.Columns, rows[i])
		if err != nil {
			return fmt.Errorf("row %d: %w", i, err)
		}
		s := j.model.ScoreVector(j.vec)
		as, conf, flag := j.model.Calibrate(s)
		if flag {
			j.b.AnomaliesDetected++
		}
		if j.req.OutputFormat == "csv" {
			out = strconv.AppendInt(out, int64(i), 10)
			out = append(out, ',')
			out = strconv.AppendFloat(out, as, 'g', -1, 64)
			out = append(out, ',')
			out = strconv.AppendBool(out, flag)
			out = append(out, ',')
			out = strconv.AppendFloat(out, conf, 'g', -1, 64)
			out = append(out, ',')
			out = strconv.AppendFloat(out, s, 'g', -1, 64)
			out = append(out, '\n')
			continue
		}
		if i > j.next {
			out = append(out, ',')
		}
		out = append(out, `{"index":`...)
		out = strconv.AppendInt(out, int64(i), 10)
		out = append(out, `,"anomaly_score":`...)
		out = strconv.AppendFloat(out, as, 'g', -1, 64)
		out = append(out, `,"is_anomaly":`...)
		out = strconv.AppendBool(out, flag)
		out = append(out, `,"confidence":`...)
		out = strconv.AppendFloat(out, conf, 'g', -1, 64)
		out = append(out, `,"score":`...)
		out = strconv.AppendFloat(out, s, 'g', -1, 64)
		out = append(out, '}')
	}
	n := j.next / batchChunk
	if err := j.deps.store.Write([][]byte{batchChunkKey(j.b.BatchID, n)}, [][]byte{out}); err != nil {
		return fmt.Errorf("store chunk %d: %w", n, err)
	}
	j.b.ProcessedSamples = end
	j.b.Progress = float64(end) / float64(max(1, len(rows)))
	j.next = end
	return nil
}

// readBatch loads a batch's state and, when completed, its results in the output format.
func readBatch(store Store, id string) (*messages.Batch, []byte, error) {
	v, found, err := store.Get(batchMetaKey(id))
	if err != nil {
		return nil, nil, err
	}
	if !found {
		return nil, nil, nil
	}
	var b messages.Batch
	if err := json.Unmarshal(v, &b); err != nil {
		return nil, nil, fmt.Errorf("decode batch %s: %w", id, err)
	}
	if b.Status != "completed" {
		return &b, nil, nil
	}
	var body []byte
	if b.OutputFormat == "csv" {
		body = append(body, "index,anomaly_score,is_anomaly,confidence,score\n"...)
	} else {
		body = append(body, '[')
	}
	first := true
	err = store.Scan([]byte("batch/"+id+"/chunk/"), nil, func(_, v []byte) bool {
		if b.OutputFormat != "csv" && !first && len(v) > 0 {
			body = append(body, ',')
		}
		body = append(body, v...)
		first = first && len(v) == 0
		return true
	})
	if err != nil {
		return nil, nil, err
	}
	if b.OutputFormat != "csv" {
		body = append(body, ']')
	}
	return &b, body, nil
}
