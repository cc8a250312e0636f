package http

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"strconv"

	"github.com/valyala/fasthttp"

	"github.com/topoforge/topoforge/jsonw"
	"github.com/topoforge/topoforge/messages"
)

// quote returns s as a JSON string.
func quote(s string) []byte { return jsonw.String(nil, s) }

func itoa(n int) string { return strconv.Itoa(n) }

// anomalyFilters parses the shared filters of /api/anomalies and its export.
func anomalyFilters(ctx *fasthttp.RequestCtx, p *messages.Principal) (*messages.ListAnomalies, *messages.Error) {
	start, err := timeArg(ctx, "start_date")
	if err != nil {
		return nil, err
	}
	end, err := timeArg(ctx, "end_date")
	if err != nil {
		return nil, err
	}
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		return nil, messages.FieldError("end_date", "must not be before start_date")
	}
	return &messages.ListAnomalies{Principal: *p, Start: start, End: end, Stream: string(ctx.QueryArgs().Peek("stream"))}, nil
}

func (s *Server) listAnomalies(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	q, verr := anomalyFilters(ctx, p)
	if verr == nil {
		q.Page, verr = intArg(ctx, "page", 1, 1, 1<<30)
	}
	if verr == nil {
		q.Limit, verr = intArg(ctx, "limit", 20, 1, maxLimit)
	}
	if verr != nil {
		s.writeError(ctx, verr)
		return
	}
	rep, err := ask[*messages.AnomalyPage](s, s.actors.Streams, q)
	if err == nil && rep.Err != nil {
		err = rep.Err
	}
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	pages := (rep.Total + q.Limit - 1) / q.Limit
	s.writeJSON(ctx, fasthttp.StatusOK, map[string]any{
		"anomalies": rep.Anomalies, "page": q.Page, "limit": q.Limit, "total": rep.Total, "pages": pages,
	})
}

// exportPage is how many anomalies one export step asks the streams manager for.
const exportPage = 1000

// storedAnomaly is a stored stream anomaly, for the CSV export.
type storedAnomaly struct {
	ID         string          `json:"id"`
	Stream     string          `json:"stream"`
	Timestamp  string          `json:"timestamp"`
	DetectedAt string          `json:"detected_at"`
	Sample     int64           `json:"sample"`
	Event      json.RawMessage `json:"event"`
	Analysis   struct {
		AnomalyScore float64 `json:"anomaly_score"`
		Scores       struct {
			Total, Betti, Entropy, ML float64
		} `json:"scores"`
		Betti struct {
			H0 int `json:"h0"`
			H1 int `json:"h1"`
			H2 int `json:"h2"`
		} `json:"betti_numbers"`
		Topo struct {
			Entropy       float64 `json:"entropy"`
			TotalLifetime float64 `json:"total_lifetime"`
		} `json:"topology_features"`
	} `json:"analysis"`
}

// anomalyCSVHeader are the export's CSV columns.
var anomalyCSVHeader = []string{"id", "stream", "timestamp", "detected_at", "sample", "anomaly_score",
	"score_total", "score_betti", "score_entropy", "score_ml", "betti_h0", "betti_h1", "betti_h2",
	"entropy", "total_lifetime", "value", "event"}

func (a *storedAnomaly) record() []string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	var ev map[string]any
	_ = json.Unmarshal(a.Event, &ev)
	value := ""
	if v, ok := ev["value"]; ok {
		value = fmtAny(v)
	}
	s := a.Analysis
	return []string{a.ID, a.Stream, a.Timestamp, a.DetectedAt, strconv.FormatInt(a.Sample, 10), f(s.AnomalyScore),
		f(s.Scores.Total), f(s.Scores.Betti), f(s.Scores.Entropy), f(s.Scores.ML),
		strconv.Itoa(s.Betti.H0), strconv.Itoa(s.Betti.H1), strconv.Itoa(s.Betti.H2),
		f(s.Topo.Entropy), f(s.Topo.TotalLifetime), value, string(a.Event)}
}

func fmtAny(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return x
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// exportAnomalies streams every matching anomaly as CSV (default) or a JSON array, a page at a
// time, so the export never holds the whole set.
func (s *Server) exportAnomalies(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	q, verr := anomalyFilters(ctx, p)
	format := string(ctx.QueryArgs().Peek("format"))
	if format == "" {
		format = "csv"
	}
	if verr == nil && format != "csv" && format != "json" {
		verr = messages.FieldError("format", "must be csv or json")
	}
	if verr != nil {
		s.writeError(ctx, verr)
		return
	}
	q.Limit, q.NoCount = exportPage, true
	// The first page is fetched here so errors still get a proper status.
	first, err := ask[*messages.AnomalyPage](s, s.actors.Streams, q)
	if err == nil && first.Err != nil {
		err = first.Err
	}
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	if format == "csv" {
		ctx.SetContentType("text/csv; charset=utf-8")
		ctx.Response.Header.Set("Content-Disposition", `attachment; filename="anomalies.csv"`)
	} else {
		ctx.SetContentType("application/json")
		ctx.Response.Header.Set("Content-Disposition", `attachment; filename="anomalies.json"`)
	}
	query := *q
	ctx.SetBodyStreamWriter(func(bw *bufio.Writer) {
		page := first
		cw := csv.NewWriter(bw)
		n := 0
		if format == "csv" {
			_ = cw.Write(anomalyCSVHeader)
		} else {
			_ = bw.WriteByte('[')
		}
		for {
			for _, raw := range page.Anomalies {
				if format == "json" {
					if n > 0 {
						_ = bw.WriteByte(',')
					}
					_, _ = bw.Write(raw)
				} else {
					var a storedAnomaly
					if json.Unmarshal(raw, &a) == nil {
						_ = cw.Write(a.record())
					}
				}
				n++
			}
			cw.Flush()
			_ = bw.Flush()
			if page.Next == "" {
				break
			}
			query.After = page.Next
			next, err := ask[*messages.AnomalyPage](s, s.actors.Streams, &query)
			if err != nil || next.Err != nil {
				s.log.Error("export anomalies", "err", err)
				break
			}
			page = next
		}
		if format == "json" {
			_ = bw.WriteByte(']')
		}
	})
}
