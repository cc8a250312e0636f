package load

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fasthttp/websocket"
)

// StreamReport is the outcome of the streaming scenario.
type StreamReport struct {
	Sessions int
	Duration time.Duration
	Events   int
	Analyses int
	Errors   int
	EPS      float64
	Latency  Latencies // event sent → its analysis received
}

func dialStream(addr, token, query string) (*websocket.Conn, error) {
	conn, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/ws/stream?"+query, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		return nil, err
	}
	if _, _, err := conn.ReadMessage(); err != nil { // "connected"
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// event returns a raw event frame of a noisy sine.
func event(dst []byte, i int) []byte {
	v := 10 + 3*math.Sin(2*math.Pi*float64(i)/25.3) + 0.1*math.Sin(float64(i)*1.3)
	dst = append(dst[:0], `{"value":`...)
	dst = strconv.AppendFloat(dst, v, 'f', 6, 64)
	return append(dst, '}')
}

// StreamLoad runs sessions WebSocket clients, each on its own stream with the default config,
// each sending an event and waiting for its answer, for d. Latency counts analysed events only.
func StreamLoad(addr, token string, sessions int, d time.Duration) (StreamReport, error) {
	var mu sync.Mutex
	var lat []time.Duration
	events, analyses, errs := 0, 0, 0
	var wg sync.WaitGroup
	deadline := time.Now().Add(d)
	start := time.Now()
	var dialErr error
	for s := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := dialStream(addr, token, "stream=load-"+strconv.Itoa(s))
			if err != nil {
				mu.Lock()
				dialErr = err
				mu.Unlock()
				return
			}
			defer conn.Close()
			buf := make([]byte, 0, 64)
			var in bytes.Buffer // reused for every answer: the client should cost as little as it can
			my := make([]time.Duration, 0, 1<<15)
			ev, an, e := 0, 0, 0
			for i := 0; time.Now().Before(deadline); i++ {
				buf = event(buf, i)
				t := time.Now()
				if err := conn.WriteMessage(websocket.TextMessage, buf); err != nil {
					e++
					break
				}
				b, err := readInto(conn, &in)
				if err != nil {
					e++
					break
				}
				ev++
				switch {
				case bytes.Contains(b, []byte(`"type":"analysis"`)):
					an++
					my = append(my, time.Since(t))
				case bytes.Contains(b, []byte(`"type":"error"`)):
					e++
				}
			}
			mu.Lock()
			lat = append(lat, my...)
			events, analyses, errs = events+ev, analyses+an, errs+e
			mu.Unlock()
		}()
	}
	wg.Wait()
	el := time.Since(start)
	r := StreamReport{Sessions: sessions, Duration: el, Events: events, Analyses: analyses, Errors: errs,
		EPS: float64(events) / el.Seconds(), Latency: summarise(lat)}
	if events == 0 {
		return r, fmt.Errorf("no event answered: %v", dialErr)
	}
	return r, nil
}

// readInto reads the next message into buf (reset first) and returns its bytes, valid until the
// next call.
func readInto(conn *websocket.Conn, buf *bytes.Buffer) ([]byte, error) {
	_, r, err := conn.NextReader()
	if err != nil {
		return nil, err
	}
	buf.Reset()
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// IdleReport is the outcome of the idle-sessions scenario.
type IdleReport struct {
	Sessions      int
	RSSBeforeMB   float64
	RSSAfterMB    float64
	BytesPerIdle  float64
	EventsEach    int
	ConnectErrors int
}

// rssMB reads a process's resident set size from /proc.
func rssMB(pid int) (float64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				return 0, err
			}
			return float64(kb) / 1024, nil
		}
	}
	return 0, fmt.Errorf("no VmRSS for pid %d", pid)
}

// IdleSessions opens n stream sessions, sends each eventsEach events (so its window is full and
// analysed), leaves them idle and connected, and measures the server's resident memory.
func IdleSessions(addr, token string, pid, n, eventsEach int, settle time.Duration) (IdleReport, error) {
	before, err := rssMB(pid)
	if err != nil {
		return IdleReport{}, err
	}
	r := IdleReport{Sessions: n, RSSBeforeMB: before, EventsEach: eventsEach}
	conns := make([]*websocket.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64) // connections being set up at once
	for s := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			conn, err := dialStream(addr, token, "stream=idle-"+strconv.Itoa(s))
			if err != nil {
				mu.Lock()
				r.ConnectErrors++
				mu.Unlock()
				return
			}
			buf := make([]byte, 0, 64)
			for i := range eventsEach {
				buf = event(buf, i)
				if conn.WriteMessage(websocket.TextMessage, buf) != nil {
					break
				}
				if _, _, err := conn.ReadMessage(); err != nil {
					break
				}
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
		}()
	}
	wg.Wait()
	time.Sleep(settle)
	after, err := rssMB(pid)
	if err != nil {
		return r, err
	}
	r.RSSAfterMB = after
	if len(conns) > 0 {
		r.BytesPerIdle = (after - before) * (1 << 20) / float64(len(conns))
	}
	return r, nil
}
