package http

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/topoforge/topoforge/detect"
	"github.com/topoforge/topoforge/jsonw"
	"github.com/topoforge/topoforge/messages"
)

func (s *Server) algorithms(ctx *fasthttp.RequestCtx, _ *messages.Principal) {
	s.writeJSON(ctx, fasthttp.StatusOK, map[string]any{
		"algorithms": detect.Catalogue(), "voting_strategies": detect.Strategies(),
	})
}

func (s *Server) listDetectors(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	limit, offset, verr := paging(ctx)
	if verr != nil {
		s.writeError(ctx, verr)
		return
	}
	status := string(ctx.QueryArgs().Peek("status"))
	switch status {
	case "", messages.StatusTrained, messages.StatusUntrained, messages.StatusTraining:
	default:
		s.writeError(ctx, messages.FieldError("status", "must be one of trained, untrained, training"))
		return
	}
	rep, err := ask[*messages.DetectorList](s, s.actors.Detectors, &messages.ListDetectors{
		Principal: *p, Limit: limit, Offset: offset, Algorithm: string(ctx.QueryArgs().Peek("algorithm")), Status: status,
	})
	if err = failed(err, rep); err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeJSON(ctx, fasthttp.StatusOK, map[string]any{
		"detectors": rep.Detectors, "total": rep.Total, "limit": limit, "offset": offset,
		"pagination": newPagination(limit, offset, rep.Total),
	})
}

type detectorRequest struct {
	Name        *string        `json:"name"`
	Algorithm   string         `json:"algorithm"`
	Parameters  map[string]any `json:"parameters"`
	Description *string        `json:"description"`
}

func (s *Server) createDetector(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	var req detectorRequest
	if err := s.decodeJSON(ctx, &req); err != nil {
		s.writeError(ctx, err)
		return
	}
	if req.Name == nil {
		s.writeError(ctx, messages.FieldError("name", "is required"))
		return
	}
	if req.Algorithm == "" {
		s.writeError(ctx, messages.FieldError("algorithm", "is required; GET /api/v1/detectors/algorithms lists them"))
		return
	}
	desc := ""
	if req.Description != nil {
		desc = *req.Description
	}
	rep, err := ask[*messages.DetectorReply](s, s.actors.Detectors, &messages.CreateDetector{
		Principal: *p, Name: *req.Name, Description: desc, Algorithm: req.Algorithm, Parameters: req.Parameters,
	})
	if err = failed(err, rep); err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeJSON(ctx, fasthttp.StatusCreated, rep.Detector)
}

func (s *Server) getDetector(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	askAndWrite(s, ctx, s.actors.Detectors, &messages.GetDetector{Principal: *p, ID: pathArg(ctx, "detector_id")},
		fasthttp.StatusOK, func(r *messages.DetectorReply) any { return r.Detector })
}

func (s *Server) updateDetector(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	var req detectorRequest
	if err := s.decodeJSON(ctx, &req); err != nil {
		s.writeError(ctx, err)
		return
	}
	if req.Algorithm != "" {
		s.writeError(ctx, messages.FieldError("algorithm", "cannot be changed; create a new detector"))
		return
	}
	rep, err := ask[*messages.DetectorReply](s, s.actors.Detectors, &messages.UpdateDetector{
		Principal: *p, ID: pathArg(ctx, "detector_id"), Name: req.Name, Description: req.Description, Parameters: req.Parameters,
	})
	if err = failed(err, rep); err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeJSON(ctx, fasthttp.StatusOK, rep.Detector)
}

func (s *Server) deleteDetector(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	askAndWrite(s, ctx, s.actors.Detectors, &messages.DeleteDetector{Principal: *p, ID: pathArg(ctx, "detector_id")},
		fasthttp.StatusOK, func(*messages.Ack) any { return map[string]string{"message": "Detector deleted successfully"} })
}

type trainRequest struct {
	DatasetID       string   `json:"dataset_id"`
	ValidationSplit *float64 `json:"validation_split"`
}

func (s *Server) trainDetector(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	var req trainRequest
	if err := s.decodeJSON(ctx, &req); err != nil {
		s.writeError(ctx, err)
		return
	}
	if req.DatasetID == "" {
		s.writeError(ctx, messages.FieldError("dataset_id", "is required"))
		return
	}
	split := 0.2
	if req.ValidationSplit != nil {
		split = *req.ValidationSplit
	}
	if split < 0 || split >= 1 {
		s.writeError(ctx, messages.FieldError("validation_split", "must be at least 0 and below 1"))
		return
	}
	data, err := s.loadTable(p, req.DatasetID)
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	rep, err := askTimeout[*messages.TrainReply](s, s.actors.Detectors, &messages.TrainDetector{
		Principal: *p, ID: pathArg(ctx, "detector_id"), Data: data, ValidationSplit: split,
	}, s.cfg.TrainTimeout)
	if err = failed(err, rep); err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeJSON(ctx, fasthttp.StatusOK, rep)
}

// loadTable asks the datasets actor for a dataset's rows as a table.
func (s *Server) loadTable(p *messages.Principal, id string) (*messages.TableData, error) {
	rep, err := askTimeout[*messages.TableReply](s, s.actors.Datasets, &messages.LoadTable{Principal: *p, ID: id}, s.cfg.TrainTimeout)
	if err = failed(err, rep); err != nil {
		return nil, err
	}
	return rep.Data, nil
}

func (s *Server) detect(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	data, merr := s.decodeRowsEnvelope(ctx)
	if merr != nil {
		s.writeError(ctx, merr)
		return
	}
	id := pathArg(ctx, "detector_id")
	if s.actors.Detectors == nil {
		s.writeError(ctx, errUnconfigured())
		return
	}
	// A DetectAsk, not a request future: the hot path skips the future's registry entry and timer.
	a := messages.NewDetectAsk(&messages.DetectRows{
		DetectorId: id, UserId: p.UserID, Role: string(p.Role), RowsJson: data, StoreResults: true,
	})
	s.actors.Root.Send(s.actors.Detectors, a)
	rep, ok := s.waitDetect(a)
	if !ok {
		s.writeError(ctx, messages.Errorf(messages.CodeTimeout, "the service did not answer in time"))
		return
	}
	if rep.Error != nil {
		s.writeError(ctx, fromRemote(rep.Error))
		return
	}
	ctx.SetStatusCode(fasthttp.StatusOK)
	ctx.SetContentType("application/json")
	// Straight into the response's pooled body buffer: no reply-sized allocation.
	var scratch [128]byte
	ctx.Response.ResetBody()
	ctx.Response.AppendBodyString(`{"results":`)
	ctx.Response.AppendBody(rep.ResultsJson)
	b := append(scratch[:0], `,"anomalies_detected":`...)
	b = strconv.AppendInt(b, int64(rep.AnomaliesDetected), 10)
	b = append(b, `,"total_samples":`...)
	b = strconv.AppendInt(b, int64(rep.TotalSamples), 10)
	b = append(b, `,"detector_id":`...)
	b = jsonw.String(b, id)
	ctx.Response.AppendBody(append(b, '}'))
}

// fromRemote converts a proto error reply.
func fromRemote(r *messages.RemoteError) *messages.Error {
	e := &messages.Error{Code: messages.Code(r.Code), Message: r.Message}
	if len(r.DetailsJson) > 0 {
		_ = json.Unmarshal(r.DetailsJson, &e.Details)
	}
	return e
}

type batchRequest struct {
	DatasetID    string `json:"dataset_id"`
	OutputFormat string `json:"output_format"`
}

func (s *Server) batchDetect(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	var req batchRequest
	if err := s.decodeJSON(ctx, &req); err != nil {
		s.writeError(ctx, err)
		return
	}
	if req.DatasetID == "" {
		s.writeError(ctx, messages.FieldError("dataset_id", "is required"))
		return
	}
	if req.OutputFormat == "" {
		req.OutputFormat = "json"
	}
	if req.OutputFormat != "json" && req.OutputFormat != "csv" {
		s.writeError(ctx, messages.FieldError("output_format", "must be json or csv"))
		return
	}
	data, err := s.loadTable(p, req.DatasetID)
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	rep, err := askTimeout[*messages.BatchReply](s, s.actors.Detectors, &messages.BatchDetect{
		Principal: *p, ID: pathArg(ctx, "detector_id"), DatasetID: req.DatasetID, Data: data,
		OutputFormat: req.OutputFormat, Wait: s.cfg.BatchWait,
	}, s.cfg.BatchWait+s.cfg.AskTimeout)
	if err = failed(err, rep); err != nil {
		s.writeError(ctx, err)
		return
	}
	status := fasthttp.StatusOK
	if rep.Batch.Status == "running" {
		status = fasthttp.StatusAccepted
	}
	s.writeJSON(ctx, status, rep.Batch)
}

func (s *Server) getBatch(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	rep, err := ask[*messages.BatchReply](s, s.actors.Detectors, &messages.GetBatch{Principal: *p, BatchID: pathArg(ctx, "batch_id")})
	if err = failed(err, rep); err != nil {
		s.writeError(ctx, err)
		return
	}
	b := rep.Batch
	if b.Status == "completed" && b.OutputFormat == "csv" && string(ctx.QueryArgs().Peek("format")) != "json" {
		ctx.SetStatusCode(fasthttp.StatusOK)
		ctx.SetContentType("text/csv")
		ctx.Response.Header.Set("Content-Disposition", `attachment; filename="`+b.BatchID+`.csv"`)
		ctx.SetBody(rep.Body)
		return
	}
	meta, _ := json.Marshal(b)
	out := make([]byte, 0, len(meta)+len(rep.Body)+32)
	out = append(out, meta[:len(meta)-1]...)
	if b.Status == "completed" {
		out = append(out, `,"results":`...)
		if b.OutputFormat == "csv" {
			out = jsonw.String(out, string(rep.Body))
		} else {
			out = append(out, rep.Body...)
		}
	}
	out = append(out, '}')
	ctx.SetStatusCode(fasthttp.StatusOK)
	ctx.SetContentType("application/json")
	ctx.SetBody(out)
}

func (s *Server) detectorResults(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	limit, verr := intArg(ctx, "limit", defaultLimit, 1, maxLimit)
	if verr != nil {
		s.writeError(ctx, verr)
		return
	}
	start, verr := timeArg(ctx, "start_date")
	if verr != nil {
		s.writeError(ctx, verr)
		return
	}
	end, verr := timeArg(ctx, "end_date")
	if verr != nil {
		s.writeError(ctx, verr)
		return
	}
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		s.writeError(ctx, messages.FieldError("end_date", "must not be before start_date"))
		return
	}
	only, verr := boolArg(ctx, "anomalies_only")
	if verr != nil {
		s.writeError(ctx, verr)
		return
	}
	rep, err := ask[*messages.ResultsReply](s, s.actors.Detectors, &messages.GetResults{
		Principal: *p, ID: pathArg(ctx, "detector_id"), Limit: limit, Start: start, End: end, AnomaliesOnly: only,
	})
	if err = failed(err, rep); err != nil {
		s.writeError(ctx, err)
		return
	}
	results := rep.Results
	if results == nil {
		results = []messages.StoredResult{}
	}
	s.writeJSON(ctx, fasthttp.StatusOK, map[string]any{
		"results": results, "total": rep.Total, "anomaly_count": rep.AnomalyCount, "limit": limit,
	})
}

func (s *Server) platformMetrics(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	askAndWrite(s, ctx, s.actors.Detectors, &messages.GetMetrics{Principal: *p},
		fasthttp.StatusOK, func(r *messages.Metrics) any { return r })
}

func (s *Server) performance(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	askAndWrite(s, ctx, s.actors.Detectors, &messages.GetPerformance{
		Principal: *p, DetectorID: string(ctx.QueryArgs().Peek("detector_id")), Period: string(ctx.QueryArgs().Peek("period")),
	}, fasthttp.StatusOK, func(r *messages.Performance) any { return r })
}

// waitDetect waits up to AskTimeout for a's reply with a pooled timer (since Go 1.23 a stopped
// timer delivers nothing late, so reuse is safe).
func (s *Server) waitDetect(a *messages.DetectAsk) (*messages.DetectRowsReply, bool) {
	t, _ := s.timers.Get().(*time.Timer)
	if t == nil {
		t = time.NewTimer(s.cfg.AskTimeout)
	} else {
		t.Reset(s.cfg.AskTimeout)
	}
	defer func() {
		t.Stop()
		s.timers.Put(t)
	}()
	return a.WaitC(t.C)
}
