package http

import (
	"github.com/valyala/fasthttp"

	"github.com/topoforge/topoforge/messages"
)

type ensembleRequest struct {
	Name           string    `json:"name"`
	DetectorIDs    []string  `json:"detector_ids"`
	VotingStrategy string    `json:"voting_strategy"`
	Weights        []float64 `json:"weights"`
}

func (s *Server) createEnsemble(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	var req ensembleRequest
	if err := s.decodeJSON(ctx, &req); err != nil {
		s.writeError(ctx, err)
		return
	}
	if req.VotingStrategy == "" {
		req.VotingStrategy = "majority"
	}
	rep, err := ask[*messages.EnsembleReply](s, s.actors.Ensembles, &messages.CreateEnsemble{
		Principal: *p, Name: req.Name, DetectorIDs: req.DetectorIDs, VotingStrategy: req.VotingStrategy, Weights: req.Weights,
	})
	if err = failed(err, rep); err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeJSON(ctx, fasthttp.StatusCreated, rep.Ensemble)
}

func (s *Server) listEnsembles(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	limit, offset, verr := paging(ctx)
	if verr != nil {
		s.writeError(ctx, verr)
		return
	}
	rep, err := ask[*messages.EnsembleList](s, s.actors.Ensembles, &messages.ListEnsembles{Principal: *p, Limit: limit, Offset: offset})
	if err = failed(err, rep); err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeJSON(ctx, fasthttp.StatusOK, map[string]any{
		"ensembles": rep.Ensembles, "total": rep.Total, "pagination": newPagination(limit, offset, rep.Total),
	})
}

func (s *Server) getEnsemble(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	askAndWrite(s, ctx, s.actors.Ensembles, &messages.GetEnsemble{Principal: *p, ID: pathArg(ctx, "ensemble_id")},
		fasthttp.StatusOK, func(r *messages.EnsembleReply) any { return r.Ensemble })
}

func (s *Server) deleteEnsemble(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	askAndWrite(s, ctx, s.actors.Ensembles, &messages.DeleteEnsemble{Principal: *p, ID: pathArg(ctx, "ensemble_id")},
		fasthttp.StatusOK, func(*messages.Ack) any { return map[string]string{"message": "Ensemble deleted successfully"} })
}

func (s *Server) ensembleDetect(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	data, merr := s.decodeRowsEnvelope(ctx)
	if merr != nil {
		s.writeError(ctx, merr)
		return
	}
	rep, err := ask[*messages.EnsembleDetectReply](s, s.actors.Ensembles, &messages.EnsembleDetect{
		Principal: *p, ID: pathArg(ctx, "ensemble_id"), RowsJSON: data,
	})
	if err = failed(err, rep); err != nil {
		s.writeError(ctx, err)
		return
	}
	ctx.SetStatusCode(fasthttp.StatusOK)
	ctx.SetContentType("application/json")
	ctx.SetBody(rep.Body)
}
