package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	tfhttp "github.com/topoforge/topoforge/http"
	"github.com/topoforge/topoforge/persistence"
)

// testConfig is a server config for tests: loopback port, small Badger in dir, cheap bcrypt.
func testConfig(tb testing.TB, dir string) Config {
	tb.Helper()
	cfg, err := parseServeFlags([]string{"-addr", "127.0.0.1:0", "-data", dir, "-bcrypt-cost", "4"},
		func(string) string { return "" })
	if err != nil {
		tb.Fatal(err)
	}
	so := persistence.SmallOptions(cfg.Store.Dir)
	cfg.Store = so
	return cfg
}

// MustRunMain starts a server with cfg and closes it at test end.
func MustRunMain(tb testing.TB, cfg Config) *Main {
	tb.Helper()
	m := &Main{Config: cfg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := m.Run(); err != nil {
		tb.Fatalf("Run: %v", err)
	}
	tb.Cleanup(func() { _ = m.Close() })
	return m
}

// client is a tiny JSON client for one server.
type client struct {
	tb   testing.TB
	base string
	hc   *http.Client
}

func newClient(tb testing.TB, m *Main) *client {
	return &client{tb: tb, base: "http://" + m.Addr(), hc: &http.Client{Timeout: 10 * time.Second}}
}

// do sends a request; body is JSON-encoded unless it is a string or []byte. hdr holds pairs.
func (c *client) do(method, path string, body any, hdr ...string) (*http.Response, map[string]any) {
	c.tb.Helper()
	var r io.Reader
	ct := "application/json"
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		c.tb.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", ct)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp, out
}

// expect checks the status and returns the body.
func (c *client) expect(status int, method, path string, body any, hdr ...string) map[string]any {
	c.tb.Helper()
	resp, out := c.do(method, path, body, hdr...)
	if resp.StatusCode != status {
		c.tb.Fatalf("%s %s = %d %v, want %d", method, path, resp.StatusCode, out, status)
	}
	return out
}

func (c *client) register(name string) map[string]any {
	c.tb.Helper()
	return c.expect(201, "POST", "/api/v1/auth/register", map[string]string{
		"username": name, "email": name + "@example.com", "password": "password-" + name,
	})
}

// login returns the access and refresh tokens.
func (c *client) login(name string) (access, refresh string) {
	c.tb.Helper()
	out := c.expect(200, "POST", "/api/v1/auth/login", map[string]string{"username": name, "password": "password-" + name})
	if out["token_type"] != "bearer" || out["expires_in"] != float64(3600) {
		c.tb.Fatalf("login reply = %v", out)
	}
	return out["access_token"].(string), out["refresh_token"].(string)
}

func bearer(tok string) []string { return []string{"Authorization", "Bearer " + tok} }

// errorCode checks the error envelope and returns its code.
func errorCode(tb testing.TB, out map[string]any) string {
	tb.Helper()
	e, ok := out["error"].(map[string]any)
	if !ok {
		tb.Fatalf("body %v has no error envelope", out)
	}
	for _, k := range []string{"code", "message", "details", "request_id"} {
		if _, ok := e[k]; !ok {
			tb.Fatalf("error envelope %v lacks %q", e, k)
		}
	}
	return e["code"].(string)
}

func TestRegisterLoginAuthorizedCall(t *testing.T) {
	m := MustRunMain(t, testConfig(t, t.TempDir()))
	c := newClient(t, m)
	admin := c.register("alice")
	if admin["role"] != "admin" {
		t.Fatalf("first user role = %v, want admin", admin["role"])
	}
	if u := c.register("bob"); u["role"] != "user" {
		t.Fatalf("second user role = %v, want user", u["role"])
	}
	// The client never picks its role.
	out := c.expect(201, "POST", "/api/auth/register", map[string]string{
		"username": "carol", "email": "c@example.com", "password": "password-carol", "role": "admin",
	})
	if out["role"] != "user" {
		t.Fatalf("role from body was honoured: %v", out["role"])
	}
	access, _ := c.login("bob")
	me := c.expect(200, "GET", "/api/v1/auth/me", nil, bearer(access)...)
	if me["username"] != "bob" {
		t.Fatalf("/me = %v", me)
	}
	// The streaming API's login path uses the same store.
	c.expect(200, "POST", "/api/auth/login", map[string]string{"username": "alice", "password": "password-alice"})
	c.expect(401, "POST", "/api/v1/auth/login", map[string]string{"username": "alice", "password": "wrong-password"})
	c.expect(401, "POST", "/api/v1/auth/login", map[string]string{"username": "nobody", "password": "wrong-password"})
}

func TestRegisterValidation(t *testing.T) {
	m := MustRunMain(t, testConfig(t, t.TempDir()))
	c := newClient(t, m)
	for _, tc := range []struct {
		body  map[string]string
		field string
	}{
		{map[string]string{"username": "a", "email": "a@example.com", "password": "password1"}, "username"},
		{map[string]string{"username": "bad name", "email": "a@example.com", "password": "password1"}, "username"},
		{map[string]string{"username": "alice", "email": "nope", "password": "password1"}, "email"},
		{map[string]string{"username": "alice", "email": "a@example.com", "password": "short"}, "password"},
		{map[string]string{"email": "a@example.com", "password": "password1"}, "username"},
	} {
		out := c.expect(422, "POST", "/api/v1/auth/register", tc.body)
		if errorCode(t, out) != "VALIDATION_ERROR" {
			t.Errorf("%v: code %v", tc.body, out)
		}
		if f := out["error"].(map[string]any)["details"].(map[string]any)["field"]; f != tc.field {
			t.Errorf("%v: field = %v, want %s", tc.body, f, tc.field)
		}
	}
	c.register("alice")
	out := c.expect(409, "POST", "/api/v1/auth/register", map[string]string{"username": "ALICE", "email": "x@example.com", "password": "password1"})
	if errorCode(t, out) != "CONFLICT" {
		t.Errorf("duplicate = %v", out)
	}
}

func TestErrorEnvelopes(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.HTTP.MaxBodyBytes = 4096
	m := MustRunMain(t, cfg)
	c := newClient(t, m)
	resp, out := c.do("POST", "/api/v1/auth/login", `{"username": "a",`)
	if resp.StatusCode != 400 || errorCode(t, out) != "BAD_REQUEST" {
		t.Errorf("malformed JSON = %d %v", resp.StatusCode, out)
	}
	resp, out = c.do("POST", "/api/v1/auth/login", `{"username": 5, "password": "x"}`)
	if resp.StatusCode != 422 || errorCode(t, out) != "VALIDATION_ERROR" {
		t.Errorf("wrong type = %d %v", resp.StatusCode, out)
	}
	resp, out = c.do("POST", "/api/v1/auth/login", `{"username":"a","password":"b"}`, "Content-Type", "text/plain")
	if resp.StatusCode != 415 || errorCode(t, out) != "UNSUPPORTED_MEDIA_TYPE" {
		t.Errorf("wrong content type = %d %v", resp.StatusCode, out)
	}
	big := `{"username":"` + strings.Repeat("a", 5000) + `"}`
	resp, out = c.do("POST", "/api/v1/auth/login", big)
	if resp.StatusCode != 413 || errorCode(t, out) != "PAYLOAD_TOO_LARGE" {
		t.Errorf("oversize body = %d %v", resp.StatusCode, out)
	}
	resp, out = c.do("GET", "/api/v1/no-such-route", nil, "X-Request-ID", "client-id-42")
	if resp.StatusCode != 404 || errorCode(t, out) != "NOT_FOUND" {
		t.Errorf("unknown route = %d %v", resp.StatusCode, out)
	}
	if got := resp.Header.Get("X-Request-ID"); got != "client-id-42" {
		t.Errorf("X-Request-ID = %q, want the client's", got)
	}
	if rid := out["error"].(map[string]any)["request_id"]; rid != "client-id-42" {
		t.Errorf("request_id in body = %v", rid)
	}
	resp, out = c.do("DELETE", "/health", nil)
	if resp.StatusCode != 405 || errorCode(t, out) != "METHOD_NOT_ALLOWED" {
		t.Errorf("wrong method = %d %v", resp.StatusCode, out)
	}
	resp, _ = c.do("GET", "/health", nil)
	if id := resp.Header.Get("X-Request-ID"); !strings.HasPrefix(id, "req_") {
		t.Errorf("generated X-Request-ID = %q", id)
	}
}

// TestAuthMatrix sends every registered route without credentials, with a viewer's and with a
// user's token, and checks 401/403 against the route's declared access.
func TestAuthMatrix(t *testing.T) {
	m := MustRunMain(t, testConfig(t, t.TempDir()))
	c := newClient(t, m)
	c.register("admin1")
	viewer := c.register("viewer1")
	c.register("user1")
	adminTok, _ := c.login("admin1")
	c.expect(200, "PUT", "/api/v1/users/"+viewer["id"].(string)+"/role", map[string]string{"role": "viewer"}, bearer(adminTok)...)
	viewerTok, _ := c.login("viewer1")
	userTok, _ := c.login("user1")
	routes := m.server.Routes()
	if len(routes) < 10 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	for _, r := range routes {
		path := strings.NewReplacer("{key_id}", "key_x", "{user_id}", "usr_x").Replace(r.Path)
		for _, p := range strings.Split(path, "/") {
			if strings.HasPrefix(p, "{") {
				path = strings.Replace(path, p, "x", 1)
			}
		}
		var body any
		if r.Method == "POST" || r.Method == "PUT" {
			body = "{}"
		}
		resp, out := c.do(r.Method, path, body)
		switch r.Access {
		case "public":
			if resp.StatusCode == 401 || resp.StatusCode == 403 {
				t.Errorf("public %s %s without credentials = %d", r.Method, r.Path, resp.StatusCode)
			}
			continue
		default:
			if resp.StatusCode != 401 || errorCode(t, out) != "UNAUTHORIZED" {
				t.Errorf("%s %s without credentials = %d %v, want 401", r.Method, r.Path, resp.StatusCode, out)
			}
		}
		resp, _ = c.do(r.Method, path, body, "Authorization", "Bearer not-a-token")
		if resp.StatusCode != 401 {
			t.Errorf("%s %s with a bad token = %d, want 401", r.Method, r.Path, resp.StatusCode)
		}
		resp, _ = c.do(r.Method, path, body, bearer(viewerTok)...)
		if forbidden := r.Access == "write" || r.Access == "admin"; forbidden != (resp.StatusCode == 403) {
			t.Errorf("%s %s as viewer = %d (access %s)", r.Method, r.Path, resp.StatusCode, r.Access)
		}
		resp, _ = c.do(r.Method, path, body, bearer(userTok)...)
		if forbidden := r.Access == "admin"; forbidden != (resp.StatusCode == 403) {
			t.Errorf("%s %s as user = %d (access %s)", r.Method, r.Path, resp.StatusCode, r.Access)
		}
	}
}

func TestRefreshRotation(t *testing.T) {
	m := MustRunMain(t, testConfig(t, t.TempDir()))
	c := newClient(t, m)
	c.register("dora")
	_, refresh := c.login("dora")
	out := c.expect(200, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": refresh})
	newAccess, newRefresh := out["access_token"].(string), out["refresh_token"].(string)
	c.expect(200, "GET", "/api/v1/auth/me", nil, bearer(newAccess)...)
	// The used refresh token is dead; presenting it again also kills the new one.
	c.expect(401, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": refresh})
	c.expect(401, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": newRefresh})
	// An access token is not a refresh token, nor the reverse.
	c.expect(401, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": newAccess})
	c.expect(401, "GET", "/api/v1/auth/me", nil, bearer(newRefresh)...)
	c.expect(422, "POST", "/api/v1/auth/refresh", map[string]string{})
}

func TestAPIKeyLifecycleAndRestart(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, dir)
	m := MustRunMain(t, cfg)
	c := newClient(t, m)
	c.register("erin")
	c.register("frank")
	tok, _ := c.login("erin")
	frankTok, _ := c.login("frank")
	created := c.expect(201, "POST", "/api/v1/auth/api-keys", map[string]string{"name": "ci", "description": "for CI"}, bearer(tok)...)
	key, id := created["key"].(string), created["id"].(string)
	if key == "" || id == "" || created["name"] != "ci" || created["created_at"] == nil {
		t.Fatalf("create key = %v", created)
	}
	me := c.expect(200, "GET", "/api/v1/auth/me", nil, "X-API-Key", key)
	if me["username"] != "erin" {
		t.Fatalf("/me with API key = %v", me)
	}
	list := c.expect(200, "GET", "/api/v1/auth/api-keys", nil, bearer(tok)...)
	keys := list["api_keys"].([]any)
	if len(keys) != 1 || strings.Contains(fmt.Sprint(keys), key) {
		t.Fatalf("list = %v (must hold one key and never the key itself)", keys)
	}
	if l := c.expect(200, "GET", "/api/v1/auth/api-keys", nil, bearer(frankTok)...); len(l["api_keys"].([]any)) != 0 {
		t.Fatalf("frank sees erin's keys: %v", l)
	}
	c.expect(403, "DELETE", "/api/v1/auth/api-keys/"+id, nil, bearer(frankTok)...)
	c.expect(422, "POST", "/api/v1/auth/api-keys", map[string]string{"name": " "}, bearer(tok)...)

	// Restart: users and keys survive.
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	m2 := MustRunMain(t, cfg)
	c2 := newClient(t, m2)
	if me := c2.expect(200, "GET", "/api/v1/auth/me", nil, "X-API-Key", key); me["username"] != "erin" {
		t.Fatalf("after restart /me = %v", me)
	}
	tok2, _ := c2.login("erin") // the password hash survived
	// The old access token is still valid: the generated secret was kept in the data dir.
	c2.expect(200, "GET", "/api/v1/auth/me", nil, bearer(tok)...)
	c2.expect(200, "DELETE", "/api/v1/auth/api-keys/"+id, nil, bearer(tok2)...)
	c2.expect(401, "GET", "/api/v1/auth/me", nil, "X-API-Key", key)
	c2.expect(404, "DELETE", "/api/v1/auth/api-keys/"+id, nil, bearer(tok2)...)
}

func TestLoginLockout(t *testing.T) {
	m := MustRunMain(t, testConfig(t, t.TempDir()))
	c := newClient(t, m)
	c.register("gina")
	bad := map[string]string{"username": "gina", "password": "not-her-password"}
	for i := range 4 {
		if resp, _ := c.do("POST", "/api/v1/auth/login", bad); resp.StatusCode != 401 {
			t.Fatalf("failure %d = %d, want 401", i+1, resp.StatusCode)
		}
	}
	resp, out := c.do("POST", "/api/v1/auth/login", bad)
	if resp.StatusCode != 429 || errorCode(t, out) != "RATE_LIMITED" || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("5th failure = %d %v (Retry-After %q), want 429", resp.StatusCode, out, resp.Header.Get("Retry-After"))
	}
	// Locked even with the right password.
	resp, _ = c.do("POST", "/api/v1/auth/login", map[string]string{"username": "gina", "password": "password-gina"})
	if resp.StatusCode != 429 {
		t.Fatalf("right password while locked = %d, want 429", resp.StatusCode)
	}
}

func TestRateLimit(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.HTTP.RateLimits = tfhttp.RateLimits{Anonymous: 5, Viewer: 3, User: 3, Admin: 3}
	m := MustRunMain(t, cfg)
	c := newClient(t, m)
	for i := range 5 {
		resp, _ := c.do("GET", "/health", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("request %d = %d", i+1, resp.StatusCode)
		}
		if resp.Header.Get("X-RateLimit-Limit") != "5" || resp.Header.Get("X-RateLimit-Remaining") != fmt.Sprint(4-i) {
			t.Fatalf("request %d headers: limit %q remaining %q", i+1,
				resp.Header.Get("X-RateLimit-Limit"), resp.Header.Get("X-RateLimit-Remaining"))
		}
		if resp.Header.Get("X-RateLimit-Reset") == "" {
			t.Fatal("no X-RateLimit-Reset")
		}
	}
	resp, out := c.do("GET", "/health", nil)
	if resp.StatusCode != 429 || errorCode(t, out) != "RATE_LIMITED" || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("6th request = %d %v, want 429 with Retry-After", resp.StatusCode, out)
	}
}

func TestConcurrentRegistrationsOfOneName(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.HTTP.RateLimits.Anonymous = -1
	m := MustRunMain(t, cfg)
	c := newClient(t, m)
	const n = 50
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, _ := c.do("POST", "/api/v1/auth/register", map[string]string{
				"username": "samename", "email": fmt.Sprintf("s%d@example.com", i), "password": "password1",
			})
			codes[i] = resp.StatusCode
		}()
	}
	wg.Wait()
	created, conflict := 0, 0
	for _, code := range codes {
		switch code {
		case 201:
			created++
		case 409:
			conflict++
		}
	}
	if created != 1 || conflict != n-1 {
		t.Fatalf("50 registrations of one name: %d created, %d conflicts, want 1 and 49 (%v)", created, conflict, codes)
	}
}

func TestHealthStatusMetricsDocs(t *testing.T) {
	m := MustRunMain(t, testConfig(t, t.TempDir()))
	c := newClient(t, m)
	for _, p := range []string{"/health", "/api/v1/health"} {
		h := c.expect(200, "GET", p, nil)
		comp := h["components"].(map[string]any)
		if h["status"] != "healthy" || comp["database"] != "healthy" || comp["cache"] != "not configured" || comp["algorithms"] != "healthy" {
			t.Errorf("%s = %v", p, h)
		}
	}
	for _, p := range []string{"/status", "/api/v1/status"} {
		s := c.expect(200, "GET", p, nil)
		for _, k := range []string{"status", "uptime", "active_detectors", "total_detections", "memory_usage_mb", "cpu_usage_percent"} {
			if _, ok := s[k]; !ok {
				t.Errorf("%s lacks %s: %v", p, k, s)
			}
		}
		if s["memory_usage_mb"].(float64) <= 0 {
			t.Errorf("memory_usage_mb = %v", s["memory_usage_mb"])
		}
	}
	resp, err := http.Get("http://" + m.Addr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(body, []byte(`topoforge_http_requests_total{route="/health",status="200"}`)) ||
		!bytes.Contains(body, []byte("topoforge_http_request_duration_seconds_bucket")) {
		t.Errorf("/metrics lacks request counters:\n%.2000s", body)
	}
	// Exact counts through the per-route cached series: 1 + 2 more /health, and statuses other
	// than 200 counted on their own.
	for _, path := range []string{"/health", "/health", "/api/v1/nope"} {
		if r, err := http.Get("http://" + m.Addr() + path); err == nil {
			r.Body.Close()
		}
	}
	resp, err = http.Get("http://" + m.Addr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, line := range []string{
		`topoforge_http_requests_total{route="/health",status="200"} 3`,
		`topoforge_http_request_duration_seconds_count{route="/health"} 3`,
		`topoforge_http_requests_total{route="unmatched",status="404"} 1`,
	} {
		if !bytes.Contains(body, []byte(line+"\n")) {
			t.Errorf("/metrics lacks %q", line)
		}
	}
	resp, err = http.Get("http://" + m.Addr() + "/docs")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("/api/v1/auth/api-keys")) {
		t.Errorf("/docs = %d, %.300s", resp.StatusCode, body)
	}
}

// TestOpenAPICoversRoutes fails when a registered route is missing from openapi.yaml.
func TestOpenAPICoversRoutes(t *testing.T) {
	m := MustRunMain(t, testConfig(t, t.TempDir()))
	ops, err := tfhttp.SpecOperations()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, o := range ops {
		have[o] = true
	}
	for _, r := range m.server.Routes() {
		if !have[r.Method+" "+r.Path] {
			t.Errorf("route %s %s is not in openapi.yaml", r.Method, r.Path)
		}
	}
}

func TestEnvConfig(t *testing.T) {
	env := map[string]string{"TOPOFORGE_ADDR": ":9999", "TOPOFORGE_MAX_BODY_BYTES": "123", "TOPOFORGE_DATA": "/tmp/x"}
	cfg, err := parseServeFlags([]string{"-addr", ":7777"}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":7777" || cfg.HTTP.MaxBodyBytes != 123 || cfg.DataDir != "/tmp/x" {
		t.Errorf("config = addr %s body %d data %s", cfg.Addr, cfg.HTTP.MaxBodyBytes, cfg.DataDir)
	}
	if cfg.Store.LogSyncInterval != 100*time.Millisecond {
		t.Errorf("default result sync interval = %v, want 100ms", cfg.Store.LogSyncInterval)
	}
	if cfg.CommitInterval != 0 {
		t.Errorf("default result commit interval = %v, want 0 (commits cost no sync)", cfg.CommitInterval)
	}
	if cfg, err := parseServeFlags([]string{"-result-sync-interval", "0"}, func(string) string { return "" }); err != nil || cfg.Store.LogSyncInterval != 0 || cfg.CommitInterval != time.Millisecond {
		t.Errorf("-result-sync-interval 0 = sync %v commit %v, %v; want 0 (sync every batch) and 1ms", cfg.Store.LogSyncInterval, cfg.CommitInterval, err)
	}
	if cfg, err := parseServeFlags([]string{"-result-sync-interval", "0", "-result-commit-interval", "3ms"}, func(string) string { return "" }); err != nil || cfg.CommitInterval != 3*time.Millisecond {
		t.Errorf("-result-commit-interval 3ms = %v, %v", cfg.CommitInterval, err)
	}
	if _, err := parseServeFlags([]string{"-result-sync-interval", "-1s"}, func(string) string { return "" }); err == nil {
		t.Error("negative -result-sync-interval accepted")
	}
	if cfg.Store.LogCompression != "snappy" {
		t.Errorf("default result compression = %q, want snappy", cfg.Store.LogCompression)
	}
	if cfg, err := parseServeFlags(nil, func(k string) string {
		return map[string]string{"TOPOFORGE_RESULT_COMPRESSION": "zstd"}[k]
	}); err != nil || cfg.Store.LogCompression != "zstd" {
		t.Errorf("TOPOFORGE_RESULT_COMPRESSION=zstd = %q, %v", cfg.Store.LogCompression, err)
	}
	if _, err := parseServeFlags([]string{"-result-compression", "lz4"}, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "lz4") {
		t.Errorf("-result-compression lz4: err %v, want one naming it", err)
	}
	if _, err := parseServeFlags(nil, func(k string) string {
		return map[string]string{"TOPOFORGE_MAX_CONNS": "lots"}[k]
	}); err == nil {
		t.Error("bad env value accepted")
	}
	if _, err := loadOrCreateSecret("short", t.TempDir()); err == nil {
		t.Error("short -jwt-secret accepted")
	}
	dir := t.TempDir()
	a, err := loadOrCreateSecret("", dir)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := loadOrCreateSecret("", dir)
	if string(a) != string(b) || len(a) < 32 {
		t.Errorf("generated secret not kept: %q vs %q", a, b)
	}
}
