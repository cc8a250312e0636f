package http

import (
	"github.com/valyala/fasthttp"

	"github.com/topoforge/topoforge/messages"
)

// tdaPersistence serves `topoforge tda` over HTTP: the golden input format in, the golden
// expected format out, computed by the topology worker pool within its point limits.
func (s *Server) tdaPersistence(ctx *fasthttp.RequestCtx, _ *messages.Principal) {
	var probe map[string]any
	if err := s.decodeJSON(ctx, &probe); err != nil { // content type, size and JSON syntax
		s.writeError(ctx, err)
		return
	}
	body := append([]byte(nil), ctx.PostBody()...)
	rep, err := askTimeout[*messages.TDAResult](s, s.actors.TDA, &messages.ComputeTDA{Input: body}, s.cfg.TrainTimeout)
	if err == nil && rep.Err != nil {
		err = rep.Err
	}
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	ctx.SetStatusCode(fasthttp.StatusOK)
	ctx.SetContentType("application/json")
	ctx.SetBody(rep.Body)
}
