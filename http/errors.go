package http

import (
	"encoding/json"
	"errors"
	"strconv"

	"github.com/valyala/fasthttp"

	"github.com/topoforge/topoforge/messages"
)

// statusOf maps an error code to its HTTP status.
func statusOf(c messages.Code) int {
	switch c {
	case messages.CodeBadRequest:
		return fasthttp.StatusBadRequest
	case messages.CodeUnauthorized:
		return fasthttp.StatusUnauthorized
	case messages.CodeForbidden:
		return fasthttp.StatusForbidden
	case messages.CodeNotFound:
		return fasthttp.StatusNotFound
	case messages.CodeConflict:
		return fasthttp.StatusConflict
	case messages.CodeTooLarge:
		return fasthttp.StatusRequestEntityTooLarge
	case messages.CodeUnsupportedType:
		return fasthttp.StatusUnsupportedMediaType
	case messages.CodeValidation:
		return fasthttp.StatusUnprocessableEntity
	case messages.CodeRateLimited:
		return fasthttp.StatusTooManyRequests
	case messages.CodeMethodNotAllowed:
		return fasthttp.StatusMethodNotAllowed
	case messages.CodeUnavailable:
		return fasthttp.StatusServiceUnavailable
	case messages.CodeTimeout:
		return fasthttp.StatusGatewayTimeout
	default:
		return fasthttp.StatusInternalServerError
	}
}

// errorBody is the contracts' error envelope.
type errorBody struct {
	Error errorFields `json:"error"`
}

type errorFields struct {
	Code      string         `json:"code"`
	Message   string         `json:"message"`
	Details   map[string]any `json:"details"`
	RequestID string         `json:"request_id"`
}

// writeError writes err as the error envelope. A non-*messages.Error is logged and answered as a
// 500 without internals.
func (s *Server) writeError(ctx *fasthttp.RequestCtx, err error) {
	var me *messages.Error
	if !errors.As(err, &me) {
		s.log.Error("internal error", "request_id", requestID(ctx), "method", string(ctx.Method()),
			"uri", string(ctx.RequestURI()), "remote", ctx.RemoteAddr().String(), "err", err)
		me = messages.Errorf(messages.CodeInternal, "internal server error")
	} else if me.Code == messages.CodeInternal || me.Code == messages.CodeTimeout {
		s.log.Error("request failed", "request_id", requestID(ctx), "method", string(ctx.Method()),
			"uri", string(ctx.RequestURI()), "remote", ctx.RemoteAddr().String(), "err", me.Message)
	}
	details := me.Details
	if details == nil {
		details = map[string]any{}
	}
	if me.RetryAfter > 0 {
		ctx.Response.Header.Set("Retry-After", strconv.Itoa(me.RetryAfter))
	}
	b, _ := json.Marshal(errorBody{Error: errorFields{
		Code: me.Code.String(), Message: me.Message, Details: details, RequestID: requestID(ctx),
	}})
	ctx.SetStatusCode(statusOf(me.Code))
	ctx.SetContentType("application/json")
	ctx.SetBody(b)
}

// writeJSON writes v as a JSON body with the status.
func (s *Server) writeJSON(ctx *fasthttp.RequestCtx, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	ctx.SetStatusCode(status)
	ctx.SetContentType("application/json")
	ctx.SetBody(b)
}

// fastHTTPError answers errors fasthttp hits before a handler runs (body too large, bad framing).
func (s *Server) fastHTTPError(ctx *fasthttp.RequestCtx, err error) {
	ensureRequestID(ctx)
	if errors.Is(err, fasthttp.ErrBodyTooLarge) {
		limit := s.cfg.MaxBodyBytes
		if c := s.bodyLimit(&ctx.Request.Header); c.MaxRequestBodySize > 0 {
			limit = c.MaxRequestBodySize
		}
		s.writeError(ctx, &messages.Error{
			Code:    messages.CodeTooLarge,
			Message: "request body exceeds the limit of " + strconv.Itoa(limit) + " bytes",
			Details: map[string]any{"limit_bytes": limit},
		})
		return
	}
	s.writeError(ctx, messages.Errorf(messages.CodeBadRequest, "malformed request: %v", err))
}
