package actors

import (
	"encoding/json"
	"time"

	"github.com/topoforge/topoforge/messages"
)

// hourStatsAt reads detector id's statistics for the UTC hours [from, to).
func (d *detectors) hourStatsAt(id string, from, to time.Time) (map[time.Time]hourStats, error) {
	out := map[time.Time]hourStats{}
	prefix := "dstat/" + id + "/"
	start := []byte(hourKey(id, from))
	end := hourKey(id, to)
	var derr error
	err := d.cfg.Store.Scan([]byte(prefix), start, func(k, v []byte) bool {
		if string(k) >= end {
			return false
		}
		t, err := time.Parse("2006010215", string(k[len(prefix):]))
		if err != nil {
			return true
		}
		var h hourStats
		if derr = json.Unmarshal(v, &h); derr != nil {
			return false
		}
		out[t] = h
		return true
	})
	if err == nil {
		err = derr
	}
	return out, err
}

func (d *detectors) metrics(m *messages.GetMetrics) *messages.Metrics {
	now := d.cfg.Now().UTC()
	day := now.Truncate(24 * time.Hour)
	out := &messages.Metrics{ActiveDetectors: len(d.active), SystemHealth: "healthy"}
	for id, det := range d.meta {
		if !canRead(m.Principal, det.OwnerID) {
			continue
		}
		out.TotalDetectors++
		if det.IsTrained {
			out.TrainedDetectors++
		}
		hs, err := d.hourStatsAt(id, day, now.Add(time.Hour))
		if err != nil {
			out.SystemHealth = "degraded"
			continue
		}
		for _, h := range hs {
			out.TotalDetectionsToday += h.Count
			out.AnomaliesDetectedToday += h.Anomalies
		}
		out.TotalDetections += d.deps.writer.detectorTotals(id).Total
	}
	if n := d.detections.Load(); n > 0 {
		out.AvgDetectionTimeMs = float64(d.detectNs.Load()) / float64(n) / 1e6
	}
	return out
}

// periodBuckets gives the bucket size and count for an analytics period.
func periodBuckets(period string) (time.Duration, int, bool) {
	switch period {
	case "hour":
		return time.Hour, 24, true
	case "day", "":
		return 24 * time.Hour, 7, true
	case "week":
		return 7 * 24 * time.Hour, 4, true
	case "month":
		return 30 * 24 * time.Hour, 6, true
	}
	return 0, 0, false
}

func (d *detectors) performance(m *messages.GetPerformance) *messages.Performance {
	size, n, ok := periodBuckets(m.Period)
	if !ok {
		return &messages.Performance{Err: messages.FieldError("period", "must be one of hour, day, week, month")}
	}
	period := m.Period
	if period == "" {
		period = "day"
	}
	now := d.cfg.Now().UTC()
	end := now.Truncate(time.Hour).Add(time.Hour)
	start := end.Add(-time.Duration(n) * size)
	out := &messages.Performance{Period: period, DetectorPerformance: []messages.DetectorPerformance{}}
	vol := make([]int64, n)
	anom := make([]int64, n)
	for i := range n {
		out.BucketStarts = append(out.BucketStarts, start.Add(time.Duration(i)*size))
	}
	var ids []string
	if m.DetectorID != "" {
		if _, err := d.readable(m.Principal, m.DetectorID); err != nil {
			return &messages.Performance{Err: err}
		}
		ids = []string{m.DetectorID}
	} else {
		for id, det := range d.meta {
			if canRead(m.Principal, det.OwnerID) {
				ids = append(ids, id)
			}
		}
	}
	sortStrings(ids)
	for _, id := range ids {
		hs, err := d.hourStatsAt(id, start, end)
		if err != nil {
			return &messages.Performance{Err: messages.Errorf(messages.CodeInternal, "storage error")}
		}
		var p messages.DetectorPerformance
		p.DetectorID = id
		var scoreSum float64
		var micros int64
		for t, h := range hs {
			p.DetectionsCount += h.Count
			p.AnomaliesCount += h.Anomalies
			scoreSum += h.ScoreSum
			micros += h.Micros
			b := int(t.Sub(start) / size)
			if b >= 0 && b < n {
				vol[b] += h.Count
				anom[b] += h.Anomalies
			}
		}
		if p.DetectionsCount > 0 {
			p.AvgScore = scoreSum / float64(p.DetectionsCount)
			p.AvgProcessingTimeMs = float64(micros) / 1000 / float64(p.DetectionsCount)
		}
		out.DetectorPerformance = append(out.DetectorPerformance, p)
	}
	out.Trends.DetectionVolume = vol
	out.Trends.AnomalyRate = make([]float64, n)
	for i := range n {
		if vol[i] > 0 {
			out.Trends.AnomalyRate[i] = float64(anom[i]) / float64(vol[i])
		}
	}
	return out
}
