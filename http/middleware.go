package http

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strconv"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/valyala/fasthttp"

	"github.com/topoforge/topoforge/auth"
	"github.com/topoforge/topoforge/messages"
)

// access is what a route requires of the principal.
type access int

const (
	public        access = iota // no credentials needed (credentials, when sent, are still checked)
	authenticated               // any role; read-only routes
	write                       // user or admin: changes state
	adminOnly                   // admin
)

// String returns the access level's name as RouteInfo reports it.
func (a access) String() string {
	return [...]string{"public", "authenticated", "write", "admin"}[a]
}

// handler serves one route for an authorised principal (nil on public routes without credentials).
type handler func(ctx *fasthttp.RequestCtx, p *messages.Principal)

// route is one entry of the route table.
type route struct {
	method  string
	path    string
	access  access
	summary string
	h       handler
}

// userValue keys on RequestCtx.
const (
	keyRequestID = "tf.request_id"
)

// maxRequestIDLen bounds an accepted client X-Request-ID; longer or odd ones are replaced.
const maxRequestIDLen = 128

func requestID(ctx *fasthttp.RequestCtx) string {
	if v, ok := ctx.UserValue(keyRequestID).(string); ok {
		return v
	}
	return ""
}

// ensureRequestID takes the client's X-Request-ID when it is 1–128 printable ASCII characters,
// otherwise makes one, and sets it on the response.
func ensureRequestID(ctx *fasthttp.RequestCtx) string {
	if id := requestID(ctx); id != "" {
		return id
	}
	id := string(ctx.Request.Header.Peek("X-Request-ID"))
	if !validRequestID(id) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id = "req_" + hex.EncodeToString(b[:])
	}
	ctx.SetUserValue(keyRequestID, id)
	ctx.Response.Header.Set("X-Request-ID", id)
	return id
}

func validRequestID(id string) bool {
	if len(id) == 0 || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x21 || id[i] > 0x7e {
			return false
		}
	}
	return true
}

// wrap runs the pipeline every route shares: request ID, authentication, rate limit,
// authorization, the handler, then metrics and the debug request line.
func (s *Server) wrap(r *route) fasthttp.RequestHandler {
	rm := s.metrics.forRoute(r.path)
	return func(ctx *fasthttp.RequestCtx) {
		start := time.Now()
		ensureRequestID(ctx)
		s.serveRoute(ctx, r)
		status := ctx.Response.StatusCode()
		rm.observe(status, time.Since(start))
		if s.log.Enabled(context.Background(), slog.LevelDebug) { // the arguments allocate
			s.log.Debug("request", "request_id", requestID(ctx), "method", string(ctx.Method()),
				"path", string(ctx.Path()), "status", status, "duration", time.Since(start))
		}
	}
}

func (s *Server) serveRoute(ctx *fasthttp.RequestCtx, r *route) {
	p, authErr := s.authenticate(ctx)
	role := messages.Role("")
	if p != nil {
		role = p.Role
	}
	d := decision{ok: true, limit: -1}
	if limit := s.cfg.RateLimits.forRole(role); limit > 0 { // the key allocates: only when limited
		var key string
		if p != nil {
			key = "u:" + p.UserID
		} else {
			key = "ip:" + ctx.RemoteIP().String()
		}
		d = s.limiters.allow(key, limit, s.cfg.Now())
	}
	if d.limit > 0 {
		h := &ctx.Response.Header
		h.Set("X-RateLimit-Limit", strconv.Itoa(d.limit))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(d.remaining))
		h.Set("X-RateLimit-Reset", strconv.FormatInt(d.reset.Unix(), 10))
	}
	if !d.ok {
		secs := int((d.retry + time.Second - 1) / time.Second)
		s.writeError(ctx, &messages.Error{
			Code:       messages.CodeRateLimited,
			Message:    "rate limit of " + strconv.Itoa(d.limit) + " requests per hour exceeded",
			Details:    map[string]any{"limit": d.limit, "window": "1h"},
			RetryAfter: max(1, secs),
		})
		return
	}
	if authErr != nil {
		s.writeError(ctx, authErr)
		return
	}
	if r.access != public {
		if p == nil {
			s.writeError(ctx, messages.Errorf(messages.CodeUnauthorized,
				"authentication required: send Authorization: Bearer <token> or X-API-Key"))
			return
		}
		if (r.access == write && p.Role == messages.RoleViewer) || (r.access == adminOnly && p.Role != messages.RoleAdmin) {
			s.writeError(ctx, &messages.Error{
				Code:    messages.CodeForbidden,
				Message: "role " + string(p.Role) + " may not " + r.summary,
				Details: map[string]any{"required": r.access.String(), "role": string(p.Role)},
			})
			return
		}
	}
	r.h(ctx, p)
}

// authenticate returns the principal of the request's credentials: a bearer access token, or an
// API key in X-API-Key (or, for WebSocket upgrades from browsers, ?token= / ?api_key=). No
// credentials give (nil, nil); invalid ones give a 401 error.
func (s *Server) authenticate(ctx *fasthttp.RequestCtx) (*messages.Principal, error) {
	var token []byte // the header's bytes: a cached token costs no allocation
	if h := ctx.Request.Header.Peek("Authorization"); len(h) > 0 {
		scheme, rest, _ := bytes.Cut(h, []byte(" "))
		token = bytes.TrimSpace(rest)
		if !bytes.EqualFold(scheme, []byte("bearer")) || len(token) == 0 {
			return nil, messages.Errorf(messages.CodeUnauthorized, "Authorization header must be 'Bearer <token>'")
		}
	}
	key := string(ctx.Request.Header.Peek("X-API-Key"))
	if len(token) == 0 && key == "" && ctx.Request.Header.ConnectionUpgrade() {
		args := ctx.QueryArgs()
		token, key = args.Peek("token"), string(args.Peek("api_key"))
	}
	switch {
	case len(token) > 0:
		now := s.cfg.Now()
		if p, ok := s.tokens.get(token, now); ok {
			return p, nil // shared with the cache: handlers only read a principal
		}
		tok := string(token)
		c, err := s.issuer.Verify(tok, auth.KindAccess)
		if err != nil {
			return nil, messages.Errorf(messages.CodeUnauthorized, "invalid or expired access token")
		}
		p := messages.Principal{UserID: c.Subject, Username: c.Username, Role: messages.Role(c.Role)}
		s.tokens.put(tok, p, c.ExpiresAt.Time, now)
		return &p, nil
	case key != "":
		h, ok := auth.HashAPIKey(key)
		if !ok {
			return nil, messages.Errorf(messages.CodeUnauthorized, "invalid API key")
		}
		rep, err := ask[*messages.PrincipalReply](s, s.actors.Users, &messages.ResolveAPIKey{Hash: h})
		if err != nil {
			return nil, err
		}
		if rep.Err != nil {
			return nil, rep.Err
		}
		return &rep.Principal, nil
	}
	return nil, nil
}

// errUnconfigured is the 503 of a route whose actor the server was built without.
func errUnconfigured() *messages.Error {
	return messages.Errorf(messages.CodeUnavailable, "this service is not configured")
}

// ask sends msg to pid and waits up to AskTimeout for a reply of type T.
func ask[T any](s *Server, pid *actor.PID, msg any) (T, error) {
	return askTimeout[T](s, pid, msg, s.cfg.AskTimeout)
}

// askTimeout is ask with an explicit timeout, for long operations (training, batch jobs).
func askTimeout[T any](s *Server, pid *actor.PID, msg any, d time.Duration) (T, error) {
	var zero T
	if pid == nil {
		return zero, errUnconfigured()
	}
	res, err := s.actors.Root.RequestFuture(pid, msg, d).Result()
	if err != nil {
		return zero, messages.Errorf(messages.CodeTimeout, "the service did not answer in time")
	}
	v, ok := res.(T)
	if !ok {
		return zero, messages.Errorf(messages.CodeInternal, "unexpected reply %T", res)
	}
	return v, nil
}

func (s *Server) notFound(ctx *fasthttp.RequestCtx, _ *messages.Principal) {
	s.writeError(ctx, messages.Errorf(messages.CodeNotFound, "no route for %s %s", ctx.Method(), ctx.Path()))
}

func (s *Server) methodNotAllowed(ctx *fasthttp.RequestCtx, _ *messages.Principal) {
	s.writeError(ctx, messages.Errorf(messages.CodeMethodNotAllowed, "method %s is not allowed on %s", ctx.Method(), ctx.Path()))
}
