package http

import (
	"bytes"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/valyala/fasthttp"

	"github.com/topoforge/topoforge/auth"
	"github.com/topoforge/topoforge/messages"
)

// Send implements messages.StreamSink: it queues a frame without blocking.
func (w *wsSession) Send(b []byte) bool { return w.send(b) }

// Stream name bounds.
const maxStreamName = 64 // longest ?stream= name

func validStreamName(s string) bool {
	if len(s) == 0 || len(s) > maxStreamName {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// wsStream is the streaming topology WebSocket (stream-api.md). ?stream=NAME joins the caller's
// named stream, shared by every client on it; without it the connection gets its own stream,
// forgotten when it closes. Each client frame goes to the stream actor; analyses come back to
// every client of the stream; errors and buffering notices to the sender only. Viewers may watch
// but not send events or config.
func (s *Server) wsStream(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	name := string(ctx.QueryArgs().Peek("stream"))
	ephemeral := name == ""
	if ephemeral {
		name = auth.NewID("conn-")
	} else if !validStreamName(name) {
		s.writeError(ctx, messages.FieldError("stream", "must be 1 to 64 letters, digits, '-', '_' or '.'"))
		return
	}
	principal := *p
	s.upgrade(ctx, func(w *wsSession) {
		rep, err := ask[*messages.StreamJoined](s, s.actors.Streams, &messages.JoinStream{
			Principal: principal, Name: name, Ephemeral: ephemeral, Sink: w,
		})
		if err == nil && rep.Err != nil {
			err = rep.Err
		}
		if err != nil {
			w.send(errorFrame("UNAVAILABLE", err.Error()))
			return
		}
		pid := rep.Actor.(*actor.PID)
		defer s.actors.Root.Send(pid, &messages.LeaveStream{Sink: w})
		hello := append([]byte(`{"type":"connected","stream":`), quote(name)...)
		hello = append(hello, `,"config":`...)
		hello = append(hello, rep.Config...)
		w.send(append(hello, '}'))
		w.readLoop(func(b []byte) {
			if len(b) > s.cfg.MaxFrameBytes {
				w.send(errorFrame("PAYLOAD_TOO_LARGE", "frame exceeds the limit of "+itoa(s.cfg.MaxFrameBytes)+" bytes"))
				return
			}
			if principal.Role == messages.RoleViewer {
				w.send(errorFrame("FORBIDDEN", "viewers may watch streams but not send to them"))
				return
			}
			s.actors.Root.Send(pid, &messages.StreamFrame{Sink: w, Data: bytes.Clone(b), Received: time.Now()})
		})
	})
}

func errorFrame(code, msg string) []byte {
	b := append([]byte(`{"type":"error","error":{"code":`), quote(code)...)
	b = append(b, `,"message":`...)
	b = append(b, quote(msg)...)
	return append(b, "}}"...)
}
