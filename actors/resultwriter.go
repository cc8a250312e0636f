package actors

import (
	"encoding/json"
	"log/slog"
	"strconv"
	"sync"
	"time"
)

// resultWriter is the group commit the detection path writes through: requests queue their
// keys and values, a single goroutine turns everything queued (up to writerMaxBatch requests)
// into one batch and enqueues it with Store.WriteAsync, then forms the next batch while that one
// commits (at most writerInFlight batches pipelined). Each request's done callback runs once its
// batch is durable, as the store defines it for detection results. So a commit (and, when the
// store syncs every result batch, its fsync) costs once per batch, not per request, and a
// detector actor never waits for the disk: it hands its results over and goes on with its
// mailbox.
//
// Two commits start at least interval apart, if interval > 0: when every commit is synced
// (Badger's msync of its write-ahead log costs ~250 µs of CPU besides its wait), the writer
// spends that on a batch of interval's worth of requests rather than on every few; when idle a
// request is committed at once. linger, if set, also waits that long for more requests after the
// first.
//
// It also owns the per-detector counters (key dtotal/<id>) and per-hour statistics
// (dstat/<id>/<yyyymmddhh>), updating them in the same write as the results they count.
// It is safe for concurrent use.
type resultWriter struct {
	store    Store
	log      *slog.Logger
	queue    chan *writeReq
	linger   time.Duration
	interval time.Duration

	mu     sync.Mutex
	lastHK hourKeyMemo // the last request's dstat key, reused while detector and hour match
	// commit's scratch: detectors and hour keys whose counters a batch changed, its results by
	// detector and their first-seen order
	touchedT, touchedH map[string]bool
	recs               map[string][]resultRecord
	order              []string
	totals             map[string]*detTotals // detector ID → totals, loaded lazily
	hours              map[string]*hourStats // dstat key → stats, loaded lazily
	done               chan struct{}
	closed             bool
}

// writeReq is one request's writes and counters: its detection results (stored as segments,
// see segment.go) and any other keys.
type writeReq struct {
	records    []resultRecord
	keys, vals [][]byte
	detector   string
	hour       time.Time
	count      int
	anomalies  int
	scoreSum   float64
	micros     int64
	cb         func(error)
}

// detTotals are a detector's all-time counters.
type detTotals struct {
	Total     int64 `json:"total"`
	Anomalies int64 `json:"anomalies"`
}

// appendJSON appends t as JSON, as encoding/json would write it, without reflection.
func (t *detTotals) appendJSON(b []byte) []byte {
	b = append(b, `{"total":`...)
	b = strconv.AppendInt(b, t.Total, 10)
	b = append(b, `,"anomalies":`...)
	b = strconv.AppendInt(b, t.Anomalies, 10)
	return append(b, '}')
}

// hourStats are one detector's counters for one UTC hour.
type hourStats struct {
	Count     int64   `json:"count"`
	Anomalies int64   `json:"anomalies"`
	ScoreSum  float64 `json:"score_sum"`
	Micros    int64   `json:"micros"`
}

// appendJSON appends h as JSON without reflection (the score sum in Go's shortest 'g' form, which
// encoding/json reads back exactly).
func (h *hourStats) appendJSON(b []byte) []byte {
	b = append(b, `{"count":`...)
	b = strconv.AppendInt(b, h.Count, 10)
	b = append(b, `,"anomalies":`...)
	b = strconv.AppendInt(b, h.Anomalies, 10)
	b = append(b, `,"score_sum":`...)
	b = strconv.AppendFloat(b, h.ScoreSum, 'g', -1, 64)
	b = append(b, `,"micros":`...)
	b = strconv.AppendInt(b, h.Micros, 10)
	return append(b, '}')
}

// Group-commit bounds.
const (
	writerQueue    = 4096 // requests waiting for the writer before senders block
	writerMaxBatch = 512  // requests committed in one batch
	writerInFlight = 2    // batches enqueued and not yet durable
)

func newResultWriter(store Store, log *slog.Logger, linger, interval time.Duration) *resultWriter {
	w := &resultWriter{
		store: store, log: log, queue: make(chan *writeReq, writerQueue), linger: linger, interval: interval,
		totals: map[string]*detTotals{}, hours: map[string]*hourStats{}, done: make(chan struct{}),
		touchedT: map[string]bool{}, touchedH: map[string]bool{}, recs: map[string][]resultRecord{},
	}
	go w.loop()
	return w
}

// submit queues a request; cb runs on the writer goroutine once the batch is durable (or failed).
func (w *resultWriter) submit(r *writeReq) {
	w.queue <- r
}

// close commits what is queued and stops the goroutine.
func (w *resultWriter) close() {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return
	}
	w.closed = true
	w.mu.Unlock()
	close(w.queue)
	<-w.done
}

func (w *resultWriter) loop() {
	inflight := make(chan struct{}, writerInFlight)
	defer func() {
		for range writerInFlight { // wait for every enqueued batch
			inflight <- struct{}{}
		}
		close(w.done)
	}()
	var last time.Time
	for first := range w.queue {
		if w.interval > 0 && !last.IsZero() { // (a negative interval minus a huge Since overflows)
			if wait := w.interval - time.Since(last); wait > 0 {
				time.Sleep(wait) // requests keep queueing meanwhile
			}
		}
		batch := w.fill(append(make([]*writeReq, 0, 64), first))
		inflight <- struct{}{}
		last = time.Now()
		w.commit(batch, func() { <-inflight })
	}
}

// fill adds queued requests to batch: those already waiting, then those arriving within linger.
func (w *resultWriter) fill(batch []*writeReq) []*writeReq {
	for len(batch) < writerMaxBatch { // what is queued now
		select {
		case r, ok := <-w.queue:
			if !ok {
				return batch
			}
			batch = append(batch, r)
			continue
		default:
		}
		break
	}
	if w.linger <= 0 {
		return batch
	}
	t := time.NewTimer(w.linger)
	defer t.Stop()
	for len(batch) < writerMaxBatch {
		select {
		case r, ok := <-w.queue:
			if !ok {
				return batch
			}
			batch = append(batch, r)
		case <-t.C:
			return batch
		}
	}
	return batch
}

// hourKeyMemo remembers one hourKey result: consecutive requests of a detector within one hour
// share it, which spares a time format and two allocations per request.
type hourKeyMemo struct {
	detector string
	hour     time.Time // t truncated to the hour
	key      string
}

// get returns hourKey(detector, t), from the memo when it matches.
func (m *hourKeyMemo) get(detector string, t time.Time) string {
	h := t.Truncate(time.Hour) // whole hours since the zero time: the same hours as UTC's
	if m.key == "" || !m.hour.Equal(h) || m.detector != detector {
		*m = hourKeyMemo{detector: detector, hour: h, key: hourKey(detector, t)}
	}
	return m.key
}

func hourKey(detector string, t time.Time) string {
	return "dstat/" + detector + "/" + t.UTC().Format("2006010215")
}

// commit enqueues one batch, with the counters it changes; released runs after its callbacks.
func (w *resultWriter) commit(batch []*writeReq, released func()) {
	var keys, vals [][]byte
	w.mu.Lock()
	// Scratch kept between commits (commit runs on the writer's goroutine only, under w.mu).
	clear(w.touchedT)
	clear(w.touchedH)
	clear(w.recs)
	order := w.order[:0]
	for _, r := range batch {
		keys = append(keys, r.keys...)
		vals = append(vals, r.vals...)
		if len(r.records) > 0 {
			if _, ok := w.recs[r.detector]; !ok {
				order = append(order, r.detector)
			}
			w.recs[r.detector] = append(w.recs[r.detector], r.records...)
		}
		if r.detector == "" || r.count == 0 {
			continue
		}
		t := w.totalsLocked(r.detector)
		t.Total += int64(r.count)
		t.Anomalies += int64(r.anomalies)
		w.touchedT[r.detector] = true
		hk := w.lastHK.get(r.detector, r.hour)
		h := w.hourLocked(hk)
		h.Count += int64(r.count)
		h.Anomalies += int64(r.anomalies)
		h.ScoreSum += r.scoreSum
		h.Micros += r.micros
		w.touchedH[hk] = true
	}
	for _, id := range order {
		keys, vals = appendSegments(keys, vals, id, w.recs[id])
	}
	w.order = order[:0]
	for id := range w.touchedT {
		keys, vals = append(keys, []byte("dtotal/"+id)), append(vals, w.totals[id].appendJSON(nil))
	}
	for hk := range w.touchedH {
		keys, vals = append(keys, []byte(hk)), append(vals, w.hours[hk].appendJSON(nil))
	}
	if len(w.hours) > 50000 { // bound the cache; entries reload from the store on demand
		w.hours = map[string]*hourStats{}
	}
	w.mu.Unlock()
	w.store.WriteAsync(keys, vals, func(err error) {
		if err != nil {
			w.log.Error("result batch write", "requests", len(batch), "err", err)
			// The in-memory counters may now be ahead of the store; reload them on next use.
			w.mu.Lock()
			w.totals, w.hours = map[string]*detTotals{}, map[string]*hourStats{}
			w.mu.Unlock()
		}
		for _, r := range batch {
			if r.cb != nil {
				r.cb(err)
			}
		}
		released()
	})
}

func (w *resultWriter) totalsLocked(id string) *detTotals {
	if t, ok := w.totals[id]; ok {
		return t
	}
	t := &detTotals{}
	if v, found, err := w.store.Get([]byte("dtotal/" + id)); err == nil && found {
		_ = json.Unmarshal(v, t)
	}
	w.totals[id] = t
	return t
}

func (w *resultWriter) hourLocked(k string) *hourStats {
	if h, ok := w.hours[k]; ok {
		return h
	}
	h := &hourStats{}
	if v, found, err := w.store.Get([]byte(k)); err == nil && found {
		_ = json.Unmarshal(v, h)
	}
	w.hours[k] = h
	return h
}

// detectorTotals returns a detector's all-time counters.
func (w *resultWriter) detectorTotals(id string) detTotals {
	w.mu.Lock()
	defer w.mu.Unlock()
	return *w.totalsLocked(id)
}

// forget drops a deleted detector's cached counters.
func (w *resultWriter) forget(id string) {
	w.mu.Lock()
	delete(w.totals, id)
	for k := range w.hours {
		if len(k) > len("dstat/")+len(id) && k[len("dstat/"):len("dstat/")+len(id)+1] == id+"/" {
			delete(w.hours, k)
		}
	}
	w.mu.Unlock()
}
