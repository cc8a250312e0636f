package actors_test

import (
	"testing"
	"time"

	"github.com/topoforge/topoforge/actors"
	"github.com/topoforge/topoforge/messages"
)

// BenchmarkDetectOneRow measures one single-row detect through the detectors manager and a
// detector actor: row decoding, scoring, explanation, result encoding and the group commit to a
// real Badger (synced), as the REST path does minus HTTP.
func BenchmarkDetectOneRow(b *testing.B) {
	e, msg := detectFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		r, err := e.Root.RequestFuture(e.Detectors, msg, 5*time.Second).Result()
		if err != nil || r.(*messages.DetectRowsReply).Error != nil {
			b.Fatalf("detect: %v %v", err, r)
		}
	}
}

// BenchmarkDetectOneRowParallel is BenchmarkDetectOneRow with 64 requests in flight: the group
// commit batches them, so the figure is the path's throughput under load.
func BenchmarkDetectOneRowParallel(b *testing.B) {
	e, msg := detectFixture(b)
	b.ReportAllocs()
	b.SetParallelism(32) // x GOMAXPROCS(2) = 64 in flight
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r, err := e.Root.RequestFuture(e.Detectors, msg, 5*time.Second).Result()
			if err != nil || r.(*messages.DetectRowsReply).Error != nil {
				b.Errorf("detect: %v %v", err, r)
				return
			}
		}
	})
}

// BenchmarkDetectAskParallel is BenchmarkDetectOneRowParallel through a DetectAsk (the REST
// path's way) instead of a request future.
func BenchmarkDetectAskParallel(b *testing.B) {
	e, msg := detectFixture(b)
	b.ReportAllocs()
	b.SetParallelism(32)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			a := messages.NewDetectAsk(msg)
			e.Root.Send(e.Detectors, a)
			r, ok := a.Wait(5 * time.Second)
			if !ok || r.Error != nil {
				b.Errorf("detect: answered %v: %v", ok, r)
				return
			}
		}
	})
}

// detectFixture starts an engine with a trained IsolationForest and returns a one-row request.
func detectFixture(b *testing.B) (*actors.Engine, *messages.DetectRows) {
	e := MustStart(b, b.TempDir(), nil)
	u := ask[*messages.UserReply](b, e, &messages.RegisterUser{Username: "bench", Email: "b@x.io", PasswordHash: []byte("h")}).User
	p := messages.Principal{UserID: u.ID, Role: u.Role}
	res, _ := e.Root.RequestFuture(e.Detectors, &messages.CreateDetector{Principal: p, Name: "d", Algorithm: "IsolationForest"}, 5*time.Second).Result()
	det := res.(*messages.DetectorReply).Detector
	rows := make([][]any, 2000)
	for i := range rows {
		rows[i] = []any{float64(i % 97), float64(i % 13), "grocery"}
	}
	data := &messages.TableData{DatasetID: "ds", Columns: []string{"amount", "hour", "merchant"}, Rows: rows}
	if r, err := e.Root.RequestFuture(e.Detectors, &messages.TrainDetector{Principal: p, ID: det.ID, Data: data}, time.Minute).Result(); err != nil || r.(*messages.TrainReply).Err != nil {
		b.Fatalf("train: %v %v", err, r)
	}
	msg := &messages.DetectRows{DetectorId: det.ID, UserId: p.UserID, Role: string(p.Role),
		RowsJson: []byte(`[{"amount":50,"hour":3,"merchant":"fuel"}]`), StoreResults: true}
	return e, msg
}
