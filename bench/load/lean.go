package load

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"time"
)

// LeanDetectLoad is DetectLoad with a minimal HTTP/1.1 client: each of conns goroutines owns
// one keep-alive TCP connection, writes the same pre-encoded request, reads the status line,
// the headers and a Content-Length body, and times the exchange itself. It runs the client's
// goroutines on one P (GOMAXPROCS 1 for the duration), so it spends about as little CPU per
// request as wrk while timing every request itself: its mean latency agrees with
// conns / throughput (Little's law), which wrk's did not on this machine (see bench/RESULTS.md).
// A response other than 200, a malformed one or a broken connection counts as an error and
// the connection is redialled.
func LeanDetectLoad(addr, token, det string, conns int, d time.Duration) (DetectReport, error) {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	req := []byte("POST /api/v1/detectors/" + det + "/detect HTTP/1.1\r\nHost: " + addr +
		"\r\nContent-Type: application/json\r\nAuthorization: Bearer " + token +
		"\r\nContent-Length: " + strconv.Itoa(len(detectBody)) + "\r\n\r\n" + detectBody)
	return closedLoop(conns, d, func(deadline time.Time) ([]time.Duration, int) {
		lat := make([]time.Duration, 0, 1<<16)
		e := 0
		var c net.Conn
		var br *bufio.Reader
		for time.Now().Before(deadline) {
			if c == nil {
				var err error
				if c, err = net.Dial("tcp", addr); err != nil {
					e++
					time.Sleep(10 * time.Millisecond)
					continue
				}
				br = bufio.NewReaderSize(c, 16<<10)
			}
			t := time.Now()
			_, err := c.Write(req)
			if err == nil {
				err = readOK(br)
			}
			if err != nil {
				e++
				c.Close()
				c = nil
				continue
			}
			lat = append(lat, time.Since(t))
		}
		if c != nil {
			c.Close()
		}
		return lat, e
	})
}

// readOK reads one HTTP/1.1 response with a Content-Length body from br and returns an error
// unless its status is 200.
func readOK(br *bufio.Reader) error {
	line, err := br.ReadSlice('\n')
	if err != nil {
		return fmt.Errorf("status line: %w", err)
	}
	if !bytes.HasPrefix(line, []byte("HTTP/1.1 200 ")) {
		return fmt.Errorf("status %q", bytes.TrimSpace(line))
	}
	n := -1
	for {
		h, err := br.ReadSlice('\n')
		if err != nil {
			return fmt.Errorf("header: %w", err)
		}
		h = bytes.TrimRight(h, "\r\n")
		if len(h) == 0 {
			break
		}
		if k, v, ok := bytes.Cut(h, []byte(":")); ok && bytes.EqualFold(k, []byte("Content-Length")) {
			if n, err = strconv.Atoi(string(bytes.TrimSpace(v))); err != nil {
				return fmt.Errorf("content length %q: %w", v, err)
			}
		}
	}
	if n < 0 {
		return fmt.Errorf("response without Content-Length")
	}
	if _, err := br.Discard(n); err != nil {
		return fmt.Errorf("body: %w", err)
	}
	return nil
}
