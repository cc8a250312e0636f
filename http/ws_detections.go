package http

import (
	"encoding/json"

	"github.com/valyala/fasthttp"

	"github.com/topoforge/topoforge/messages"
)

// wsDetections relays live events to the client: detection_result and detector_trained for the
// client's own detectors (every detector for admins), system_alert for those detectors and, for
// admins, every alert. Client frames other than pings are ignored ({"type":"ping"} is answered
// with {"type":"pong"}).
func (s *Server) wsDetections(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	if s.actors.Events == nil {
		s.writeError(ctx, messages.Errorf(messages.CodeUnavailable, "live events are not configured"))
		return
	}
	principal := *p
	s.upgrade(ctx, func(w *wsSession) {
		sub := s.actors.Events.Subscribe(func(evt any) {
			ev, ok := evt.(*messages.LiveEvent)
			if !ok {
				return
			}
			if principal.Role != messages.RoleAdmin && (ev.OwnerID == "" || ev.OwnerID != principal.UserID) {
				return
			}
			b, err := json.Marshal(ev)
			if err != nil {
				return
			}
			w.send(b) // never blocks the publisher; a slow client is closed
		})
		defer s.actors.Events.Unsubscribe(sub)
		hello, _ := json.Marshal(map[string]any{"type": "connected", "user_id": principal.UserID, "role": principal.Role})
		w.send(hello)
		w.readLoop(func(b []byte) {
			var m struct {
				Type string `json:"type"`
			}
			if json.Unmarshal(b, &m) == nil && m.Type == "ping" {
				w.send([]byte(`{"type":"pong"}`))
			}
		})
	})
}
