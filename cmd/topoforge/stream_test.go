package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
)

// sendEvent writes one event frame.
func sendEvent(t *testing.T, conn *websocket.Conn, i int, v float64, wrapped bool) {
	t.Helper()
	ev := map[string]any{"id": fmt.Sprint(i), "timestamp": time.Date(2024, 1, 1, 0, 0, i, 0, time.UTC).Format(time.RFC3339), "value": v}
	var frame any = ev
	if wrapped {
		frame = map[string]any{"type": "event", "payload": ev}
	}
	if err := conn.WriteJSON(frame); err != nil {
		t.Fatal(err)
	}
}

// readFrame reads the next frame as a map.
func readFrame(t *testing.T, conn *websocket.Conn) map[string]any {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, b, err := conn.ReadMessage()
	if err != nil {
		t.Fatalf("read frame: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("frame %s: %v", b, err)
	}
	return m
}

func sine(i int) float64 {
	return 10 + 3*math.Sin(2*math.Pi*float64(i)/25.3) + 0.05*math.Sin(float64(i)*1.7)
}

func TestStreamSession(t *testing.T) {
	p := newPlatform(t, testConfig(t, t.TempDir()))
	tok := p.usr[1][len("Bearer "):]
	conn := wsDial(t, p.m, "/ws/stream?stream=sensor-1&token="+tok, nil)
	hello := readFrame(t, conn)
	if hello["type"] != "connected" || hello["stream"] != "sensor-1" {
		t.Fatalf("hello = %v", hello)
	}
	// Config: rejected with the field named, then accepted with the full effective config.
	if err := conn.WriteJSON(map[string]any{"type": "config", "payload": map[string]any{"window_size": 1}}); err != nil {
		t.Fatal(err)
	}
	if f := readFrame(t, conn); f["type"] != "error" || !strings.Contains(fmt.Sprint(f["error"]), "window_size") {
		t.Fatalf("bad config = %v", f)
	}
	if err := conn.WriteJSON(map[string]any{"type": "config", "payload": map[string]any{"anomaly_threshold": 60, "window_size": 40}}); err != nil {
		t.Fatal(err)
	}
	ack := readFrame(t, conn)
	cfg, _ := ack["config"].(map[string]any)
	if ack["type"] != "config_ack" || cfg["anomaly_threshold"].(float64) != 60 || cfg["window_size"].(float64) != 40 || cfg["stride"] == nil {
		t.Fatalf("config_ack = %v", ack)
	}
	// Bad frames get an error and the session goes on.
	for _, bad := range []string{`not json`, `{"type":"event"}`, `{"value":"abc"}`, `{"other":1}`, `{"value":1e999}`, `[1,2]`,
		`{"value":1e200}`, `{"type":"event","payload":{"value":-1e150}}`, `{"value":.5}`,
		`{"value":` + strings.Repeat("1", 20000) + `}`} {
		if err := conn.WriteMessage(websocket.TextMessage, []byte(bad)); err != nil {
			t.Fatal(err)
		}
		if f := readFrame(t, conn); f["type"] != "error" || f["error"].(map[string]any)["message"] == "" {
			t.Fatalf("bad frame %.40q = %v", bad, f)
		}
	}
	// A second client on the same stream.
	other := wsDial(t, p.m, "/ws/stream?stream=sensor-1", http.Header{"Authorization": {p.usr[1]}})
	readFrame(t, other)

	var first map[string]any
	buffering := 0
	maxNormal := 0.0
	n := 0
	for i := range 400 {
		sendEvent(t, conn, i, sine(i), i%2 == 0)
		f := readFrame(t, conn)
		switch f["type"] {
		case "buffering":
			buffering++
			if f["needed"].(float64) < 40 || f["count"].(float64) != float64(i+1) {
				t.Fatalf("buffering = %v", f)
			}
		case "analysis":
			n++
			if first == nil {
				first = f
			}
			d := f["data"].(map[string]any)
			score := d["anomaly_score"].(float64)
			if score < 0 || score > 100 {
				t.Fatalf("score %v out of range", score)
			}
			if i > 250 && score > maxNormal {
				maxNormal = score
			}
		default:
			t.Fatalf("event %d: frame %v", i, f)
		}
	}
	if buffering < 40 || n == 0 {
		t.Fatalf("buffering frames %d, analyses %d", buffering, n)
	}
	// Mid-stream, a finite value too large to analyse is refused (it used to crash the stream
	// actor: its distances overflowed) and the stream goes on.
	if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"value":1e200}`)); err != nil {
		t.Fatal(err)
	}
	if f := readFrame(t, conn); f["type"] != "error" || f["error"].(map[string]any)["code"] != "VALIDATION_ERROR" {
		t.Fatalf("out-of-range event = %v", f)
	}
	sendEvent(t, conn, 400, sine(400), false)
	if f := readFrame(t, conn); f["type"] != "analysis" {
		t.Fatalf("after the refused event: %v", f)
	}
	d := first["data"].(map[string]any)
	for _, k := range []string{"is_anomaly", "anomaly_score", "scores", "betti_numbers", "topology_features"} {
		if _, ok := d[k]; !ok {
			t.Errorf("analysis data lacks %s: %v", k, d)
		}
	}
	sc := d["scores"].(map[string]any)
	for _, k := range []string{"total", "betti", "entropy", "ml"} {
		if _, ok := sc[k]; !ok {
			t.Errorf("scores lack %s", k)
		}
	}
	tf := d["topology_features"].(map[string]any)
	if len(tf["landscape"].(map[string]any)["x"].([]any)) == 0 || first["original_event"] == nil {
		t.Errorf("analysis = %v", first)
	}
	if maxNormal >= 60 {
		t.Errorf("stationary sine reached %v, threshold 60", maxNormal)
	}
	// The other client received the analyses too.
	got := 0
	for {
		_ = other.SetReadDeadline(time.Now().Add(2 * time.Second))
		_, b, err := other.ReadMessage()
		if err != nil {
			break
		}
		if strings.Contains(string(b), `"type":"analysis"`) {
			got++
		}
		if got == n {
			break
		}
	}
	if got != n {
		t.Errorf("second client got %d analyses, want %d", got, n)
	}
	// A spike is flagged and stored.
	flagged := false
	for i := 400; i < 480; i++ { // past the default 400-sample warmup
		v := sine(i)
		if i == 450 {
			v += 40
		}
		sendEvent(t, conn, i, v, false)
		if f := readFrame(t, conn); f["type"] == "analysis" && f["data"].(map[string]any)["is_anomaly"] == true {
			flagged = true
		}
	}
	if !flagged {
		t.Fatal("a +40 spike on a sine of amplitude 3 was not flagged")
	}
	list := p.c.expect(200, "GET", "/api/anomalies", nil, p.usr...)
	if list["total"].(float64) < 1 || list["page"].(float64) != 1 || list["limit"].(float64) != 20 {
		t.Fatalf("anomalies = %v", list)
	}
	a0 := list["anomalies"].([]any)[0].(map[string]any)
	if a0["stream"] != "sensor-1" || a0["analysis"] == nil || a0["event"] == nil {
		t.Fatalf("anomaly record = %v", a0)
	}
	if l := p.c.expect(200, "GET", "/api/anomalies?stream=nope", nil, p.usr...); l["total"].(float64) != 0 {
		t.Errorf("stream filter = %v", l["total"])
	}
	if l := p.c.expect(200, "GET", "/api/anomalies?end_date=2023-12-31T00:00:00Z", nil, p.usr...); l["total"].(float64) != 0 {
		t.Errorf("end_date filter = %v", l["total"])
	}
	if l := p.c.expect(200, "GET", "/api/anomalies", nil, p.admin...); l["total"].(float64) != list["total"].(float64) {
		t.Errorf("admin sees %v anomalies", l["total"])
	}
	resp, err := http.Get("http://" + p.m.Addr() + "/api/anomalies/export?format=csv&token=x")
	if err == nil && resp.StatusCode != 401 {
		t.Errorf("export without credentials = %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", "http://"+p.m.Addr()+"/api/anomalies/export?format=csv", nil)
	req.Header.Set("Authorization", p.usr[1])
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil || len(rows) != int(list["total"].(float64))+1 || rows[0][0] != "id" {
		t.Fatalf("csv export (%v) = %q", err, body)
	}
	for i, cell := range rows[1] {
		if cell == "" {
			t.Errorf("csv column %s is empty", rows[0][i])
		}
	}
	j := p.c.expect(200, "GET", "/api/anomalies/export?format=json", nil, p.usr...)
	_ = j
}

func TestStreamAnomaliesSurviveRestart(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	p := newPlatform(t, cfg)
	tok := p.usr[1][len("Bearer "):]
	conn := wsDial(t, p.m, "/ws/stream?stream=s&token="+tok, nil)
	readFrame(t, conn)
	flagged := false
	for i := range 600 {
		v := sine(i)
		if i == 560 { // past the default 400-sample warmup
			v += 50
		}
		sendEvent(t, conn, i, v, true)
		if f := readFrame(t, conn); f["type"] == "analysis" && f["data"].(map[string]any)["is_anomaly"] == true {
			flagged = true
		}
	}
	if !flagged {
		t.Fatal("spike not flagged")
	}
	before := p.c.expect(200, "GET", "/api/anomalies", nil, p.usr...)["total"]
	_ = conn.Close()
	if err := p.m.Close(); err != nil {
		t.Fatal(err)
	}
	m2 := MustRunMain(t, cfg)
	c2 := newClient(t, m2)
	ut, _ := c2.login("user1")
	if after := c2.expect(200, "GET", "/api/anomalies", nil, bearer(ut)...)["total"]; after != before {
		t.Errorf("anomalies after restart = %v, before %v", after, before)
	}
	// The named stream's config and state come back: its first event after restart is analysed
	// without buffering again when the analyzer state was snapshotted.
	conn2 := wsDial(t, m2, "/ws/stream?stream=s&token="+ut, nil)
	if h := readFrame(t, conn2); h["type"] != "connected" {
		t.Fatalf("hello = %v", h)
	}
}

// TestSlowStreamReaderIsDropped: a client that sends events but never reads fills its socket
// and its send queue and is disconnected; the stream goes on serving its other client.
func TestSlowStreamReaderIsDropped(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.HTTP.WS.WriteWait = 200 * time.Millisecond
	cfg.HTTP.WS.SendQueue = 16 // the fast client has one frame in flight
	p := newPlatform(t, cfg)
	tok := p.usr[1][len("Bearer "):]
	// A receive buffer of a few KB makes the slow client's socket fill after a few frames.
	d := websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetReadBuffer(4096)
		}
		return c, err
	}}
	slow, _, err := d.Dial("ws://"+p.m.Addr()+"/ws/stream?stream=shared&token="+tok, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	fast := wsDial(t, p.m, "/ws/stream?stream=shared&token="+tok, nil)
	readFrame(t, fast)
	// The fast client sends every event and reads every answer; the slow one only watches.
	const events = 8000 // ~11 MB of analyses: more than loopback socket buffers hold
	analyses := 0
	for i := range events {
		sendEvent(t, fast, i, sine(i), false)
		if f := readFrame(t, fast); f["type"] == "analysis" {
			analyses++
		}
	}
	if analyses < events-200 {
		t.Fatalf("fast client got %d analyses of %d events", analyses, events)
	}
	// The server dropped the slow session: only the fast one is left.
	deadline := time.Now().Add(10 * time.Second)
	for p.m.server.Sessions() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("%d sessions open, want 1: the slow client was never disconnected", p.m.server.Sessions())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
