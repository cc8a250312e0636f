// Package http serves TopoForge's REST and WebSocket APIs with fasthttp.
//
// It translates, nothing else: a handler decodes and validates the request, copies what it needs
// into a message (fasthttp's RequestCtx memory never escapes the handler), asks the owning actor
// with RequestFuture and a timeout, and encodes the reply. It never holds model state and never
// touches the store. Every error reply goes through one function (writeError) that maps a
// messages.Code to a status code and the contracts' body:
//
//	{"error":{"code":"VALIDATION_ERROR","message":"...","details":{...},"request_id":"req_..."}}
//
// Every response carries X-Request-ID (the client's when it sent a valid one) and the
// X-RateLimit-* headers. Routes live in one table (routes.go) that also drives authorization,
// the Prometheus route label and the test that checks openapi.yaml covers every route.
//
// A *Server is safe for concurrent use; Close stops it.
package http
