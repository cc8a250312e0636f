package http

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/fasthttp/websocket"
	"github.com/valyala/fasthttp"

	"github.com/topoforge/topoforge/messages"
)

// WebSocket bounds. Each is a field of WSConfig; these are the defaults.
const (
	defaultWSWriteWait  = 10 * time.Second // time to write one frame before the client counts as gone
	defaultWSPongWait   = 60 * time.Second // time to the next pong (or any frame) before the client counts as gone
	defaultWSSendQueue  = 128              // frames queued for a client before it counts as slow and is dropped
	defaultWSReadLimit  = 64 << 10         // largest frame a client may send, in bytes
	defaultWSMaxClients = 10000            // concurrent WebSocket connections per server
)

// WSConfig bounds WebSocket sessions. Zero values take the defaults above.
type WSConfig struct {
	// WriteWait bounds writing one frame. Default 10 s.
	WriteWait time.Duration
	// PongWait is how long a silent client is kept; pings go every PongWait*9/10. Default 60 s.
	PongWait time.Duration
	// SendQueue is how many frames may wait for a client; a client that lets it fill is slow and
	// is disconnected, so it never blocks the actor that produces the frames. Default 256.
	SendQueue int
	// ReadLimit is the largest frame a client may send, in bytes. Default 64 KiB.
	ReadLimit int64
	// MaxClients bounds concurrent WebSocket connections; beyond it the upgrade answers 503.
	// Default 10000.
	MaxClients int
}

func (c *WSConfig) fill() {
	if c.WriteWait <= 0 {
		c.WriteWait = defaultWSWriteWait
	}
	if c.PongWait <= 0 {
		c.PongWait = defaultWSPongWait
	}
	if c.SendQueue <= 0 {
		c.SendQueue = defaultWSSendQueue
	}
	if c.ReadLimit <= 0 {
		c.ReadLimit = defaultWSReadLimit
	}
	if c.MaxClients <= 0 {
		c.MaxClients = defaultWSMaxClients
	}
}

// wsSession is one WebSocket client: one reader goroutine (the caller of run) and one writer
// goroutine fed by a bounded queue. Producers call send, which never blocks: a full queue closes
// the session.
type wsSession struct {
	conn    *websocket.Conn
	cfg     WSConfig
	out     chan []byte
	done    chan struct{}
	written chan struct{} // closed when writeLoop returned and the connection is closed
	once    sync.Once
	closed  atomic.Bool
}

func newWSSession(conn *websocket.Conn, cfg WSConfig) *wsSession {
	return &wsSession{conn: conn, cfg: cfg, out: make(chan []byte, cfg.SendQueue),
		done: make(chan struct{}), written: make(chan struct{})}
}

// send queues a frame; it reports false (and closes the session) when the client is slow or gone.
func (w *wsSession) send(b []byte) bool {
	if w.closed.Load() {
		return false
	}
	select {
	case w.out <- b:
		return true
	default:
		w.close() // slow reader: drop it rather than block the producer
		return false
	}
}

// close ends the session once; the writer sends a close frame and closes the connection.
func (w *wsSession) close() {
	w.once.Do(func() {
		w.closed.Store(true)
		close(w.done)
	})
}

// writeLoop writes queued frames and pings until the session closes.
func (w *wsSession) writeLoop() {
	ping := time.NewTicker(w.cfg.PongWait * 9 / 10)
	defer func() {
		ping.Stop()
		_ = w.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
		// fasthttp's hijacked Close is a no-op until the handler returns, so unblock the
		// reader by expiring its deadline; the handler then returns and the socket closes.
		_ = w.conn.SetReadDeadline(time.Now())
		_ = w.conn.Close()
		close(w.written)
	}()
	for {
		select {
		case <-w.done:
			return
		case b := <-w.out:
			_ = w.conn.SetWriteDeadline(time.Now().Add(w.cfg.WriteWait))
			if err := w.conn.WriteMessage(websocket.TextMessage, b); err != nil {
				w.close()
				return
			}
		case <-ping.C:
			if err := w.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(w.cfg.WriteWait)); err != nil {
				w.close()
				return
			}
		}
	}
}

// readLoop reads frames until the client goes away, passing each to onFrame.
func (w *wsSession) readLoop(onFrame func([]byte)) {
	w.conn.SetReadLimit(w.cfg.ReadLimit)
	_ = w.conn.SetReadDeadline(time.Now().Add(w.cfg.PongWait))
	w.conn.SetPongHandler(func(string) error {
		return w.conn.SetReadDeadline(time.Now().Add(w.cfg.PongWait))
	})
	for {
		_, b, err := w.conn.ReadMessage()
		if err != nil {
			w.close()
			return
		}
		_ = w.conn.SetReadDeadline(time.Now().Add(w.cfg.PongWait))
		onFrame(b)
	}
}

// upgrade admits a WebSocket client within MaxClients and runs serve on the hijacked connection.
// serve gets the session; the reader loop is the caller's to run.
func (s *Server) upgrade(ctx *fasthttp.RequestCtx, serve func(w *wsSession)) {
	if n := s.wsClients.Add(1); int(n) > s.cfg.WS.MaxClients {
		s.wsClients.Add(-1)
		s.writeError(ctx, &messages.Error{Code: messages.CodeUnavailable,
			Message: "too many WebSocket connections", Details: map[string]any{"limit": s.cfg.WS.MaxClients}})
		return
	}
	up := websocket.FastHTTPUpgrader{
		HandshakeTimeout: 10 * time.Second,
		// Small read buffers, and write buffers borrowed from a pool only while writing: idle
		// sessions hold no write buffer.
		ReadBufferSize:  1024,
		WriteBufferSize: 4096,
		WriteBufferPool: &s.wsWriteBuffers,
		CheckOrigin:     func(*fasthttp.RequestCtx) bool { return true }, // credentials are checked, not origins
		Error: func(ctx *fasthttp.RequestCtx, status int, reason error) {
			s.writeError(ctx, messages.Errorf(messages.CodeBadRequest, "websocket upgrade: %v", reason))
		},
	}
	err := up.Upgrade(ctx, func(conn *websocket.Conn) {
		defer s.wsClients.Add(-1)
		w := newWSSession(conn, s.cfg.WS)
		s.trackSession(w, true)
		defer s.trackSession(w, false)
		go w.writeLoop()
		serve(w)
		w.close()
		// fasthttp releases the hijacked connection when this handler returns: the writer
		// must be done with it first.
		<-w.written
	})
	if err != nil {
		s.wsClients.Add(-1)
	}
}

// trackSession registers live sessions so Close can end them.
func (s *Server) trackSession(w *wsSession, add bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sessions == nil {
		s.sessions = map[*wsSession]struct{}{}
	}
	if add {
		s.sessions[w] = struct{}{}
	} else {
		delete(s.sessions, w)
	}
}

// closeSessions ends every WebSocket session (server shutdown).
func (s *Server) closeSessions() {
	s.mu.Lock()
	list := make([]*wsSession, 0, len(s.sessions))
	for w := range s.sessions {
		list = append(list, w)
	}
	s.mu.Unlock()
	for _, w := range list {
		w.close() // the writer closes the connection, which ends the reader
	}
}

// Sessions returns the number of open WebSocket sessions.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}
