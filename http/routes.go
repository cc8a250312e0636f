package http

import (
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"

	"github.com/topoforge/topoforge/messages"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// routeTable lists every route with what it requires. Both API surfaces share one user store:
// /api/auth/* (streaming contract) and /api/v1/auth/* (platform contract) are the same handlers.
func (s *Server) routeTable() []route {
	prom := fasthttpadaptor.NewFastHTTPHandler(promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	rs := []route{
		{"GET", "/health", public, "check health", s.health},
		{"GET", "/api/v1/health", public, "check health", s.health},
		{"GET", "/status", public, "read status", s.status},
		{"GET", "/api/v1/status", public, "read status", s.status},
		{"GET", "/metrics", public, "scrape metrics", func(ctx *fasthttp.RequestCtx, _ *messages.Principal) { prom(ctx) }},
		{"GET", "/openapi.yaml", public, "read the API spec", s.openAPI},
		{"GET", "/docs", public, "read the API docs", s.docs},

		{"POST", "/api/auth/register", public, "register", s.register},
		{"POST", "/api/auth/login", public, "log in", s.login},
		{"POST", "/api/v1/auth/register", public, "register", s.register},
		{"POST", "/api/v1/auth/login", public, "log in", s.login},
		{"POST", "/api/v1/auth/refresh", public, "refresh a token", s.refresh},
		{"GET", "/api/v1/auth/me", authenticated, "read the current user", s.me},
		{"POST", "/api/v1/auth/api-keys", authenticated, "create API keys", s.createAPIKey},
		{"GET", "/api/v1/auth/api-keys", authenticated, "list API keys", s.listAPIKeys},
		{"DELETE", "/api/v1/auth/api-keys/{key_id}", authenticated, "revoke API keys", s.revokeAPIKey},
		{"GET", "/api/v1/users", adminOnly, "list users", s.listUsers},
		{"PUT", "/api/v1/users/{user_id}/role", adminOnly, "change roles", s.setRole},
	}
	return rs
}
