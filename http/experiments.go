package http

import (
	"github.com/valyala/fasthttp"

	"github.com/topoforge/topoforge/messages"
)

type experimentRequest struct {
	Name              string                   `json:"name"`
	Description       string                   `json:"description"`
	DatasetID         string                   `json:"dataset_id"`
	Algorithms        []messages.AlgorithmSpec `json:"algorithms"`
	EvaluationMetrics []string                 `json:"evaluation_metrics"`
}

func (s *Server) createExperiment(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	var req experimentRequest
	if err := s.decodeJSON(ctx, &req); err != nil {
		s.writeError(ctx, err)
		return
	}
	if req.DatasetID == "" {
		s.writeError(ctx, messages.FieldError("dataset_id", "is required"))
		return
	}
	data, err := s.loadTable(p, req.DatasetID)
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	rep, err := askTimeout[*messages.ExperimentReply](s, s.actors.Experiments, &messages.CreateExperiment{
		Principal: *p, Data: data, Wait: s.cfg.BatchWait,
		Experiment: messages.Experiment{
			Name: req.Name, Description: req.Description, DatasetID: req.DatasetID,
			Algorithms: req.Algorithms, EvaluationMetrics: req.EvaluationMetrics,
		},
	}, s.cfg.BatchWait+s.cfg.AskTimeout)
	if err = failed(err, rep); err != nil {
		s.writeError(ctx, err)
		return
	}
	status := fasthttp.StatusCreated
	if rep.Experiment.Status == "running" {
		status = fasthttp.StatusAccepted
	}
	s.writeJSON(ctx, status, rep.Experiment)
}

func (s *Server) listExperiments(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	limit, offset, verr := paging(ctx)
	if verr != nil {
		s.writeError(ctx, verr)
		return
	}
	rep, err := ask[*messages.ExperimentList](s, s.actors.Experiments, &messages.ListExperiments{Principal: *p, Limit: limit, Offset: offset})
	if err = failed(err, rep); err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeJSON(ctx, fasthttp.StatusOK, map[string]any{
		"experiments": rep.Experiments, "total": rep.Total, "pagination": newPagination(limit, offset, rep.Total),
	})
}

func (s *Server) getExperiment(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	askAndWrite(s, ctx, s.actors.Experiments, &messages.GetExperiment{Principal: *p, ID: pathArg(ctx, "experiment_id")},
		fasthttp.StatusOK, func(r *messages.ExperimentReply) any { return r.Experiment })
}
