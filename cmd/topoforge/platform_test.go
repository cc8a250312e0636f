package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"github.com/topoforge/topoforge/messages"
)

// txRows returns n normal transactions and k anomalous ones, labelled, deterministic.
func txRows(n, k int, seed uint64) []map[string]any {
	r := rand.New(rand.NewPCG(seed, 7))
	rows := make([]map[string]any, 0, n+k)
	for range n {
		m := []string{"grocery", "fuel", "pharmacy"}[r.IntN(3)]
		rows = append(rows, map[string]any{"amount": 100 + 10*r.NormFloat64(), "merchant": m, "hour": float64(8 + r.IntN(12)), "label": 0})
	}
	for range k {
		rows = append(rows, map[string]any{"amount": 5000 + 500*r.NormFloat64(), "merchant": "jewelry", "hour": 3.0, "label": 1})
	}
	return rows
}

// platform sets up a server with a logged-in admin and user.
type platform struct {
	m          *Main
	c          *client
	admin, usr []string // auth headers
	adminID    string
	userID     string
}

func newPlatform(t *testing.T, cfg Config) *platform {
	t.Helper()
	m := MustRunMain(t, cfg)
	c := newClient(t, m)
	a := c.register("admin1")
	u := c.register("user1")
	at, _ := c.login("admin1")
	ut, _ := c.login("user1")
	return &platform{m: m, c: c, admin: bearer(at), usr: bearer(ut), adminID: a["id"].(string), userID: u["id"].(string)}
}

func (p *platform) dataset(auth []string, name string, rows []map[string]any, label string) string {
	body := map[string]any{"name": name, "data": rows}
	if label != "" {
		body["label_column"] = label
	}
	out := p.c.expect(201, "POST", "/api/v1/datasets", body, auth...)
	return out["id"].(string)
}

func (p *platform) detector(auth []string, algo string, params map[string]any) string {
	out := p.c.expect(201, "POST", "/api/v1/detectors", map[string]any{"name": algo + " det", "algorithm": algo, "parameters": params}, auth...)
	return out["id"].(string)
}

func (p *platform) train(auth []string, det, ds string) map[string]any {
	return p.c.expect(200, "POST", "/api/v1/detectors/"+det+"/train", map[string]any{"dataset_id": ds, "validation_split": 0.3}, auth...)
}

func (p *platform) detect(auth []string, det string, rows ...map[string]any) map[string]any {
	return p.c.expect(200, "POST", "/api/v1/detectors/"+det+"/detect", map[string]any{"data": rows}, auth...)
}

func fieldOf(t *testing.T, out map[string]any) string {
	t.Helper()
	errorCode(t, out)
	f, _ := out["error"].(map[string]any)["details"].(map[string]any)["field"].(string)
	return f
}

func TestPlatformDetectorLifecycle(t *testing.T) {
	p := newPlatform(t, testConfig(t, t.TempDir()))
	c := p.c
	// Validation names the field and the allowed range.
	resp, out := c.do("POST", "/api/v1/detectors", map[string]any{"name": "x", "algorithm": "IsolationForest", "parameters": map[string]any{"contamination": 0.9}}, p.usr...)
	if resp.StatusCode != 422 || fieldOf(t, out) != "parameters.contamination" || !strings.Contains(fmt.Sprint(out), "0.5") {
		t.Fatalf("contamination 0.9 = %d %v", resp.StatusCode, out)
	}
	resp, out = c.do("POST", "/api/v1/detectors", map[string]any{"name": "x", "algorithm": "NoSuchAlgo"}, p.usr...)
	if resp.StatusCode != 422 || fieldOf(t, out) != "algorithm" {
		t.Fatalf("unknown algorithm = %d %v", resp.StatusCode, out)
	}
	resp, out = c.do("POST", "/api/v1/detectors", map[string]any{"algorithm": "HBOS"}, p.usr...)
	if resp.StatusCode != 422 || fieldOf(t, out) != "name" {
		t.Fatalf("no name = %d %v", resp.StatusCode, out)
	}
	algos := c.expect(200, "GET", "/api/v1/detectors/algorithms", nil, p.usr...)["algorithms"].([]any)
	if len(algos) < 12 {
		t.Fatalf("catalogue has %d algorithms", len(algos))
	}
	first := algos[0].(map[string]any)
	for _, k := range []string{"name", "category", "description", "parameters", "complexity", "scalability"} {
		if _, ok := first[k]; !ok {
			t.Errorf("catalogue entry lacks %s: %v", k, first)
		}
	}

	ds := p.dataset(p.usr, "tx", txRows(400, 12, 1), "label")
	det := p.detector(p.usr, "IsolationForest", map[string]any{"contamination": 0.03, "random_state": 7})
	resp, out = c.do("POST", "/api/v1/detectors/"+det+"/detect", map[string]any{"data": []any{map[string]any{"amount": 1}}}, p.usr...)
	if resp.StatusCode != 409 || errorCode(t, out) != "CONFLICT" || !strings.Contains(fmt.Sprint(out), "not trained") {
		t.Fatalf("detect untrained = %d %v", resp.StatusCode, out)
	}
	tr := p.train(p.usr, det, ds)
	metrics := tr["metrics"].(map[string]any)
	if tr["status"] != "completed" || tr["training_samples"].(float64) != 288 || tr["validation_samples"].(float64) != 124 {
		t.Fatalf("train = %v", tr)
	}
	if metrics["roc_auc"].(float64) < 0.9 {
		t.Errorf("validation roc_auc = %v, want >= 0.9 on separable data", metrics["roc_auc"])
	}
	got := c.expect(200, "GET", "/api/v1/detectors/"+det, nil, p.usr...)
	if got["is_trained"] != true || got["training_info"] == nil || got["performance_metrics"] == nil {
		t.Fatalf("trained detector = %v", got)
	}

	normal := map[string]any{"amount": 101.0, "merchant": "grocery", "hour": 10.0}
	odd := map[string]any{"amount": 7000.0, "merchant": "jewelry", "hour": 3.0}
	res := p.detect(p.usr, det, normal, odd)
	rs := res["results"].([]any)
	if res["total_samples"].(float64) != 2 || res["anomalies_detected"].(float64) != 1 || len(rs) != 2 {
		t.Fatalf("detect = %v", res)
	}
	r0, r1 := rs[0].(map[string]any), rs[1].(map[string]any)
	if r0["is_anomaly"] != false || r1["is_anomaly"] != true || !strings.Contains(r1["explanation"].(string), "amount") {
		t.Fatalf("detect results = %v / %v", r0, r1)
	}
	if r1["data_point"].(map[string]any)["merchant"] != "jewelry" {
		t.Errorf("data_point not echoed: %v", r1["data_point"])
	}
	// The same row scores the same alone and in any batch.
	alone := p.detect(p.usr, det, odd)["results"].([]any)[0].(map[string]any)
	if alone["anomaly_score"] != r1["anomaly_score"] {
		t.Errorf("anomaly_score alone %v != in batch %v", alone["anomaly_score"], r1["anomaly_score"])
	}
	// Bad rows: not objects, nested values, unknown-only columns are imputed (not an error).
	resp, out = c.do("POST", "/api/v1/detectors/"+det+"/detect", `{"data":[1,2]}`, p.usr...)
	if resp.StatusCode != 422 || !strings.HasPrefix(fieldOf(t, out), "data") {
		t.Errorf("non-object rows = %d %v", resp.StatusCode, out)
	}
	resp, out = c.do("POST", "/api/v1/detectors/"+det+"/detect", `{"rows":[]}`, p.usr...)
	if resp.StatusCode != 422 || fieldOf(t, out) != "data" {
		t.Errorf("missing data = %d %v", resp.StatusCode, out)
	}

	// Results: 3 stored, 2 anomalies, filters.
	all := c.expect(200, "GET", "/api/v1/detectors/"+det+"/results", nil, p.usr...)
	if all["total"].(float64) != 3 || all["anomaly_count"].(float64) != 2 || len(all["results"].([]any)) != 3 {
		t.Fatalf("results = %v", all)
	}
	only := c.expect(200, "GET", "/api/v1/detectors/"+det+"/results?anomalies_only=true&limit=1", nil, p.usr...)
	if only["total"].(float64) != 2 || len(only["results"].([]any)) != 1 {
		t.Fatalf("anomalies_only&limit=1 = %v", only)
	}
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	if r := c.expect(200, "GET", "/api/v1/detectors/"+det+"/results?start_date="+future, nil, p.usr...); r["total"].(float64) != 0 {
		t.Errorf("results after a future start_date = %v", r["total"])
	}
	resp, out = c.do("GET", "/api/v1/detectors/"+det+"/results?start_date=yesterday", nil, p.usr...)
	if resp.StatusCode != 422 || fieldOf(t, out) != "start_date" {
		t.Errorf("bad start_date = %d %v", resp.StatusCode, out)
	}

	// Changing parameters marks the detector untrained.
	upd := c.expect(200, "PUT", "/api/v1/detectors/"+det, map[string]any{"name": "renamed", "parameters": map[string]any{"n_estimators": 50}}, p.usr...)
	if upd["is_trained"] != false || upd["name"] != "renamed" || upd["parameters"].(map[string]any)["n_estimators"].(float64) != 50 {
		t.Fatalf("update = %v", upd)
	}
	c.expect(409, "POST", "/api/v1/detectors/"+det+"/detect", map[string]any{"data": []any{normal}}, p.usr...)
	// Renaming alone keeps it trained.
	p.train(p.usr, det, ds)
	if u := c.expect(200, "PUT", "/api/v1/detectors/"+det, map[string]any{"name": "again"}, p.usr...); u["is_trained"] != true {
		t.Errorf("rename untrained the detector: %v", u)
	}
	c.expect(200, "DELETE", "/api/v1/detectors/"+det, nil, p.usr...)
	c.expect(404, "GET", "/api/v1/detectors/"+det, nil, p.usr...)
	c.expect(404, "GET", "/api/v1/detectors/"+det+"/results", nil, p.usr...)
	// A deleted detector answers detect with 404 at once (the detect path's DetectAsk gets its
	// reply from the manager; it must not wait for a timeout).
	start := time.Now()
	c.expect(404, "POST", "/api/v1/detectors/"+det+"/detect", map[string]any{"data": []any{map[string]any{"amount": 1}}}, p.usr...)
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("detect on a deleted detector took %v", el)
	}
}

func TestPlatformPaginationAndFilters(t *testing.T) {
	p := newPlatform(t, testConfig(t, t.TempDir()))
	c := p.c
	for i := range 5 {
		algo := []string{"HBOS", "ECOD"}[i%2]
		p.detector(p.usr, algo, nil)
	}
	p.detector(p.admin, "HBOS", nil)
	page := c.expect(200, "GET", "/api/v1/detectors?limit=2&offset=0", nil, p.usr...)
	pg := page["pagination"].(map[string]any)
	if len(page["detectors"].([]any)) != 2 || pg["total"].(float64) != 5 || pg["has_more"] != true {
		t.Fatalf("first page = %v", page)
	}
	last := c.expect(200, "GET", "/api/v1/detectors?limit=2&offset=4", nil, p.usr...)
	if len(last["detectors"].([]any)) != 1 || last["pagination"].(map[string]any)["has_more"] != false {
		t.Fatalf("last page = %v", last)
	}
	beyond := c.expect(200, "GET", "/api/v1/detectors?offset=99", nil, p.usr...)
	if len(beyond["detectors"].([]any)) != 0 || beyond["total"].(float64) != 5 {
		t.Fatalf("beyond = %v", beyond)
	}
	if f := c.expect(200, "GET", "/api/v1/detectors?algorithm=ECOD", nil, p.usr...); f["total"].(float64) != 2 {
		t.Errorf("algorithm filter total = %v", f["total"])
	}
	if f := c.expect(200, "GET", "/api/v1/detectors?status=trained", nil, p.usr...); f["total"].(float64) != 0 {
		t.Errorf("status=trained total = %v", f["total"])
	}
	if f := c.expect(200, "GET", "/api/v1/detectors", nil, p.admin...); f["total"].(float64) != 6 {
		t.Errorf("admin sees %v detectors, want 6", f["total"])
	}
	for _, q := range []string{"limit=0", "limit=1001", "offset=-1", "limit=abc", "status=bogus"} {
		resp, out := c.do("GET", "/api/v1/detectors?"+q, nil, p.usr...)
		if resp.StatusCode != 422 {
			t.Errorf("%s = %d %v, want 422", q, resp.StatusCode, out)
		}
	}
}

func TestPlatformOwnershipAndRoles(t *testing.T) {
	p := newPlatform(t, testConfig(t, t.TempDir()))
	c := p.c
	c.register("viewer1")
	other := c.register("user2")
	vt, _ := c.login("viewer1")
	ot, _ := c.login("user2")
	viewer, user2 := bearer(vt), bearer(ot)
	list := c.expect(200, "GET", "/api/v1/users", nil, p.admin...)["users"].([]any)
	for _, u := range list {
		if u.(map[string]any)["username"] == "viewer1" {
			c.expect(200, "PUT", "/api/v1/users/"+u.(map[string]any)["id"].(string)+"/role", map[string]any{"role": "viewer"}, p.admin...)
		}
	}
	vt, _ = c.login("viewer1") // the role is in the token
	viewer = bearer(vt)
	ds := p.dataset(p.usr, "mine", txRows(100, 3, 2), "")
	det := p.detector(p.usr, "HBOS", nil)
	p.train(p.usr, det, ds)

	c.expect(403, "GET", "/api/v1/detectors/"+det, nil, user2...)
	c.expect(403, "POST", "/api/v1/detectors/"+det+"/detect", map[string]any{"data": []any{map[string]any{"amount": 1}}}, user2...)
	c.expect(403, "DELETE", "/api/v1/detectors/"+det, nil, user2...)
	c.expect(403, "GET", "/api/v1/datasets/"+ds, nil, user2...)
	c.expect(403, "POST", "/api/v1/detectors/"+det+"/train", map[string]any{"dataset_id": ds}, user2...)
	if l := c.expect(200, "GET", "/api/v1/detectors", nil, user2...); l["total"].(float64) != 0 {
		t.Errorf("user2 lists %v detectors", l["total"])
	}
	// user2 cannot train its own detector on user1's dataset either.
	own := p.detector(user2, "HBOS", nil)
	c.expect(403, "POST", "/api/v1/detectors/"+own+"/train", map[string]any{"dataset_id": ds}, user2...)
	// Viewers read everything and change nothing.
	c.expect(200, "GET", "/api/v1/detectors/"+det, nil, viewer...)
	c.expect(200, "GET", "/api/v1/datasets/"+ds+"/sample", nil, viewer...)
	c.expect(403, "POST", "/api/v1/detectors/"+det+"/detect", map[string]any{"data": []any{map[string]any{"amount": 1}}}, viewer...)
	c.expect(403, "POST", "/api/v1/detectors", map[string]any{"name": "v", "algorithm": "HBOS"}, viewer...)
	// Admins see and change all.
	c.expect(200, "POST", "/api/v1/detectors/"+det+"/detect", map[string]any{"data": []any{map[string]any{"amount": 1}}}, p.admin...)
	_ = other
}

func TestPlatformDatasets(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.HTTP.MaxUploadBytes = 64 << 10
	p := newPlatform(t, cfg)
	c := p.c
	upload := func(csv []byte, fields map[string]string, ct string) (*http.Response, map[string]any) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "data.csv")
		_, _ = fw.Write(csv)
		for k, v := range fields {
			_ = mw.WriteField(k, v)
		}
		_ = mw.Close()
		if ct == "" {
			ct = mw.FormDataContentType()
		}
		return c.do("POST", "/api/v1/datasets/upload", buf.Bytes(), append([]string{"Content-Type", ct}, p.usr...)...)
	}
	csv := "\xef\xbb\xbfamount,merchant,note,is_fraud\r\n10.5,grocery,\"a, b\",0\r\n12,fuel,,no\r\n9000,jewelry,\"said \"\"hi\"\"\",yes\r\n11,grocery,\"multi\nline\",0\r\n"
	resp, out := upload([]byte(csv), map[string]string{"name": "tx", "description": "d", "label_column": "is_fraud"}, "")
	if resp.StatusCode != 201 {
		t.Fatalf("upload = %d %v", resp.StatusCode, out)
	}
	if out["sample_count"].(float64) != 4 || out["feature_count"].(float64) != 3 || out["data_source"] != "uploaded_file" {
		t.Fatalf("upload = %v", out)
	}
	id := out["id"].(string)
	detail := c.expect(200, "GET", "/api/v1/datasets/"+id, nil, p.usr...)
	feats := detail["features"].([]any)
	amount := feats[0].(map[string]any)
	if amount["name"] != "amount" || amount["type"] != "float" || amount["min"].(float64) != 10.5 || amount["max"].(float64) != 9000 {
		t.Errorf("amount feature = %v", amount)
	}
	if note := feats[2].(map[string]any); note["missing"].(float64) != 1 {
		t.Errorf("note feature = %v", note)
	}
	st := detail["statistics"].(map[string]any)
	if st["numerical_features"].(float64) != 1 || st["categorical_features"].(float64) != 2 || st["missing_values"].(float64) != 1 {
		t.Errorf("statistics = %v", st)
	}
	sample := c.expect(200, "GET", "/api/v1/datasets/"+id+"/sample?limit=2", nil, p.usr...)
	ss := sample["samples"].([]any)
	if len(ss) != 2 || sample["total_samples"].(float64) != 4 || ss[0].(map[string]any)["note"] != "a, b" {
		t.Errorf("sample = %v", sample)
	}
	// Errors: wrong column count names the line; missing label column; no file; wrong type; too big.
	resp, out = upload([]byte("a,b\n1,2\n3\n"), map[string]string{"name": "bad"}, "")
	if resp.StatusCode != 422 || out["error"].(map[string]any)["details"].(map[string]any)["line"].(float64) != 3 {
		t.Errorf("ragged CSV = %d %v", resp.StatusCode, out)
	}
	resp, out = upload([]byte("a,b\n1,2\n"), map[string]string{"name": "nolabel", "label_column": "zzz"}, "")
	if resp.StatusCode != 422 || fieldOf(t, out) != "label_column" {
		t.Errorf("missing label column = %d %v", resp.StatusCode, out)
	}
	resp, _ = c.do("POST", "/api/v1/datasets/upload", "a,b\n1,2\n", append([]string{"Content-Type", "text/csv"}, p.usr...)...)
	if resp.StatusCode != 415 {
		t.Errorf("text/csv body = %d, want 415", resp.StatusCode)
	}
	big := []byte("a,b\n" + strings.Repeat("123456789,123456789\n", 5000))
	resp, out = upload(big, map[string]string{"name": "big"}, "")
	if resp.StatusCode != 413 {
		t.Errorf("oversize upload = %d %v", resp.StatusCode, out)
	}
	if l := c.expect(200, "GET", "/api/v1/datasets?format=csv", nil, p.usr...); l["total"].(float64) != 1 {
		t.Errorf("datasets after failed uploads = %v (failed uploads must leave nothing)", l["total"])
	}
	c.expect(200, "DELETE", "/api/v1/datasets/"+id, nil, p.usr...)
	c.expect(404, "GET", "/api/v1/datasets/"+id+"/sample", nil, p.usr...)
}

func TestPlatformBatchEnsembleExperiment(t *testing.T) {
	p := newPlatform(t, testConfig(t, t.TempDir()))
	c := p.c
	ds := p.dataset(p.usr, "tx", txRows(600, 20, 3), "label")
	nolabel := p.dataset(p.usr, "tx2", txRows(50, 0, 4), "")
	iso := p.detector(p.usr, "IsolationForest", map[string]any{"contamination": 0.05})
	hb := p.detector(p.usr, "HBOS", map[string]any{"contamination": 0.05})
	untrained := p.detector(p.usr, "ECOD", nil)
	p.train(p.usr, iso, ds)
	p.train(p.usr, hb, ds)

	for _, format := range []string{"json", "csv"} {
		b := c.expect(200, "POST", "/api/v1/detectors/"+iso+"/detect/batch", map[string]any{"dataset_id": ds, "output_format": format}, p.usr...)
		if b["status"] != "completed" || b["processed_samples"].(float64) != 620 || b["results_url"] == "" {
			t.Fatalf("batch %s = %v", format, b)
		}
		got := c.expect(200, "GET", b["results_url"].(string)+"?format=json", nil, p.usr...)
		if got["status"] != "completed" || got["progress"].(float64) != 1 {
			t.Fatalf("batch %s results = %v", format, got["status"])
		}
		if format == "json" && len(got["results"].([]any)) != 620 {
			t.Fatalf("batch json has %d results", len(got["results"].([]any)))
		}
		if format == "csv" && strings.Count(got["results"].(string), "\n") != 621 {
			t.Fatalf("batch csv has %d lines", strings.Count(got["results"].(string), "\n"))
		}
	}
	resp, out := c.do("POST", "/api/v1/detectors/"+iso+"/detect/batch", map[string]any{"dataset_id": ds, "output_format": "xml"}, p.usr...)
	if resp.StatusCode != 422 || fieldOf(t, out) != "output_format" {
		t.Errorf("xml batch = %d %v", resp.StatusCode, out)
	}
	c.expect(404, "GET", "/api/v1/results/batch_nope", nil, p.usr...)

	// Ensembles: validation, then detect.
	bad := []struct {
		body  map[string]any
		code  int
		field string
	}{
		{map[string]any{"name": "e", "detector_ids": []string{iso, untrained}, "voting_strategy": "majority"}, 422, "detector_ids[1]"},
		{map[string]any{"name": "e", "detector_ids": []string{iso, hb}, "voting_strategy": "weighted", "weights": []float64{1}}, 422, "weights"},
		{map[string]any{"name": "e", "detector_ids": []string{iso, hb}, "voting_strategy": "weighted", "weights": []float64{1, -1}}, 422, "weights[1]"},
		{map[string]any{"name": "e", "detector_ids": []string{iso, hb}, "voting_strategy": "plurality"}, 422, "voting_strategy"},
		{map[string]any{"name": "e", "detector_ids": []string{iso, "det_nope"}, "voting_strategy": "any"}, 422, "detector_ids[1]"},
	}
	for _, b := range bad {
		resp, out := c.do("POST", "/api/v1/ensembles", b.body, p.usr...)
		if resp.StatusCode != b.code || fieldOf(t, out) != b.field {
			t.Errorf("ensemble %v = %d %v, want %d %s", b.body, resp.StatusCode, out, b.code, b.field)
		}
	}
	c.expect(403, "POST", "/api/v1/ensembles", map[string]any{"name": "e", "detector_ids": []string{iso, hb}, "voting_strategy": "any"}, bearer(func() string { c.register("user3"); t3, _ := c.login("user3"); return t3 }())...)
	en := c.expect(201, "POST", "/api/v1/ensembles", map[string]any{"name": "e", "detector_ids": []string{iso, hb}, "voting_strategy": "weighted", "weights": []float64{0.7, 0.3}}, p.usr...)
	eid := en["id"].(string)
	c.expect(200, "GET", "/api/v1/ensembles/"+eid, nil, p.usr...)
	det := c.expect(200, "POST", "/api/v1/ensembles/"+eid+"/detect", map[string]any{"data": []any{
		map[string]any{"amount": 100.0, "merchant": "grocery", "hour": 10.0},
		map[string]any{"amount": 8000.0, "merchant": "jewelry", "hour": 3.0},
	}}, p.usr...)
	rs := det["results"].([]any)
	r0, r1 := rs[0].(map[string]any), rs[1].(map[string]any)
	if r0["is_anomaly"] != false || r1["is_anomaly"] != true || len(r1["individual_scores"].([]any)) != 2 {
		t.Fatalf("ensemble detect = %v", det)
	}
	if v := r1["votes"].(map[string]any); v["anomaly"].(float64)+v["normal"].(float64) != 2 {
		t.Errorf("votes = %v", v)
	}
	if l := c.expect(200, "GET", "/api/v1/ensembles", nil, p.usr...); l["total"].(float64) != 1 {
		t.Errorf("ensembles listed = %v", l["total"])
	}
	c.expect(200, "DELETE", "/api/v1/ensembles/"+eid, nil, p.usr...)
	c.expect(404, "GET", "/api/v1/ensembles/"+eid, nil, p.usr...)

	// Experiments: a label column is required; the winner is computed.
	resp, out = c.do("POST", "/api/v1/experiments", map[string]any{"name": "x", "dataset_id": nolabel,
		"algorithms": []any{map[string]any{"name": "HBOS"}}}, p.usr...)
	if resp.StatusCode != 422 || fieldOf(t, out) != "dataset_id" {
		t.Errorf("experiment without labels = %d %v", resp.StatusCode, out)
	}
	resp, out = c.do("POST", "/api/v1/experiments", map[string]any{"name": "x", "dataset_id": ds,
		"algorithms": []any{map[string]any{"name": "HBOS"}}, "evaluation_metrics": []string{"accuracy"}}, p.usr...)
	if resp.StatusCode != 422 || fieldOf(t, out) != "evaluation_metrics[0]" {
		t.Errorf("bad metric = %d %v", resp.StatusCode, out)
	}
	exp := c.expect(201, "POST", "/api/v1/experiments", map[string]any{"name": "cmp", "dataset_id": ds,
		"algorithms": []any{
			map[string]any{"name": "IsolationForest", "parameters": map[string]any{"contamination": 0.05}},
			map[string]any{"name": "LOF", "parameters": map[string]any{"n_neighbors": 20}},
			map[string]any{"name": "HBOS"},
		},
		"evaluation_metrics": []string{"roc_auc", "f1_score"}}, p.usr...)
	results := exp["results"].([]any)
	if exp["status"] != "completed" || len(results) != 3 || exp["winner"] == nil {
		t.Fatalf("experiment = %v", exp)
	}
	best, bestAlgo := -1.0, ""
	for _, r := range results {
		m := r.(map[string]any)
		met := m["metrics"].(map[string]any)
		if _, ok := met["precision"]; ok {
			t.Errorf("unrequested metric precision reported: %v", met)
		}
		if v := met["roc_auc"].(float64); v > best {
			best, bestAlgo = v, m["algorithm"].(string)
		}
	}
	w := exp["winner"].(map[string]any)
	for _, r := range results {
		m := r.(map[string]any)
		if m["algorithm"] == w["algorithm"] && m["metrics"].(map[string]any)["roc_auc"].(float64) != best {
			t.Errorf("winner %v has roc_auc %v, best is %v (%s)", w, m["metrics"], best, bestAlgo)
		}
	}
	if !strings.Contains(w["reason"].(string), "roc_auc") {
		t.Errorf("winner reason = %v", w["reason"])
	}
	got := c.expect(200, "GET", "/api/v1/experiments/"+exp["id"].(string), nil, p.usr...)
	if got["status"] != "completed" {
		t.Errorf("GET experiment = %v", got["status"])
	}
	if l := c.expect(200, "GET", "/api/v1/experiments", nil, p.usr...); l["total"].(float64) != 1 {
		t.Errorf("experiments listed = %v", l["total"])
	}

	// Metrics and analytics come from real counters.
	mt := c.expect(200, "GET", "/api/v1/metrics", nil, p.usr...)
	if mt["total_detectors"].(float64) != 3 || mt["trained_detectors"].(float64) != 2 {
		t.Errorf("metrics = %v", mt)
	}
	p.detect(p.usr, iso, map[string]any{"amount": 8000.0, "merchant": "jewelry", "hour": 3.0})
	mt = c.expect(200, "GET", "/api/v1/metrics", nil, p.usr...)
	if mt["total_detections_today"].(float64) != 1 || mt["anomalies_detected_today"].(float64) != 1 {
		t.Errorf("metrics after one detection = %v", mt)
	}
	an := c.expect(200, "GET", "/api/v1/analytics/performance?period=hour&detector_id="+iso, nil, p.usr...)
	vol := an["trends"].(map[string]any)["detection_volume"].([]any)
	if len(vol) != 24 || vol[23].(float64) != 1 || an["detector_performance"].([]any)[0].(map[string]any)["anomalies_count"].(float64) != 1 {
		t.Errorf("analytics = %v", an)
	}
	resp, out = c.do("GET", "/api/v1/analytics/performance?period=year", nil, p.usr...)
	if resp.StatusCode != 422 || fieldOf(t, out) != "period" {
		t.Errorf("period=year = %d %v", resp.StatusCode, out)
	}
}

// wsDial opens a WebSocket with the given query string.
func wsDial(t *testing.T, m *Main, path string, hdr http.Header) *websocket.Conn {
	t.Helper()
	conn, resp, err := websocket.DefaultDialer.Dial("ws://"+m.Addr()+path, hdr)
	if err != nil {
		code := 0
		if resp != nil {
			code = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (status %d)", path, err, code)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// wsNext reads frames until one has the type, within the timeout.
func wsNext(t *testing.T, conn *websocket.Conn, typ string, timeout time.Duration) map[string]any {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		_ = conn.SetReadDeadline(deadline)
		_, b, err := conn.ReadMessage()
		if err != nil {
			t.Fatalf("waiting for %q: %v", typ, err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("frame %q: %v", b, err)
		}
		if m["type"] == typ {
			return m
		}
	}
}

func TestLiveEventsAndCrashRestart(t *testing.T) {
	p := newPlatform(t, testConfig(t, t.TempDir()))
	c := p.c
	tok := p.usr[1][len("Bearer "):]
	mine := wsDial(t, p.m, "/ws/detections?token="+tok, nil)
	wsNext(t, mine, "connected", 5*time.Second)
	c.register("user9")
	t9, _ := c.login("user9")
	theirs := wsDial(t, p.m, "/ws/detections", http.Header{"Authorization": {"Bearer " + t9}})
	wsNext(t, theirs, "connected", 5*time.Second)
	if _, resp, err := websocket.DefaultDialer.Dial("ws://"+p.m.Addr()+"/ws/detections", nil); err == nil || resp.StatusCode != 401 {
		t.Fatalf("unauthenticated ws = %v", err)
	}

	ds := p.dataset(p.usr, "tx", txRows(300, 10, 5), "")
	det := p.detector(p.usr, "IsolationForest", map[string]any{"random_state": 3})
	p.train(p.usr, det, ds)
	ev := wsNext(t, mine, "detector_trained", 5*time.Second)
	if ev["detector_id"] != det {
		t.Errorf("detector_trained = %v", ev)
	}
	odd := map[string]any{"amount": 9000.0, "merchant": "jewelry", "hour": 2.0}
	before := p.detect(p.usr, det, odd)["results"].([]any)[0].(map[string]any)["anomaly_score"]
	if ev := wsNext(t, mine, "detection_result", 5*time.Second); ev["data"].(map[string]any)["anomalies_detected"].(float64) != 1 {
		t.Errorf("detection_result = %v", ev)
	}
	if err := mine.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping"}`)); err != nil {
		t.Fatal(err)
	}
	wsNext(t, mine, "pong", 5*time.Second)

	// Crash the detector actor: it restarts from its snapshot, the owner gets a system_alert,
	// and the model scores identically.
	p.m.engine.Root.Send(p.m.engine.Detectors, &messages.Crash{ID: det})
	alert := wsNext(t, mine, "system_alert", 5*time.Second)
	if alert["detector_id"] != det {
		t.Errorf("system_alert = %v", alert)
	}
	after := p.detect(p.usr, det, odd)["results"].([]any)[0].(map[string]any)["anomaly_score"]
	if after != before {
		t.Errorf("score after crash/restart = %v, before %v", after, before)
	}
	// user9 saw none of it.
	_ = theirs.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if _, b, err := theirs.ReadMessage(); err == nil {
		t.Errorf("another user received %s", b)
	}
}

func TestConcurrentDetectWhileTraining(t *testing.T) {
	p := newPlatform(t, testConfig(t, t.TempDir()))
	small := p.dataset(p.usr, "small", txRows(200, 5, 6), "")
	big := p.dataset(p.usr, "big", txRows(6000, 60, 7), "")
	det := p.detector(p.usr, "LOF", map[string]any{"n_neighbors": 35})
	p.train(p.usr, det, small)
	var wg sync.WaitGroup
	trained := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(trained)
		p.train(p.usr, det, big)
	}()
	n := 0
	for {
		select {
		case <-trained:
		default:
			p.detect(p.usr, det, map[string]any{"amount": 100.0, "merchant": "fuel", "hour": 9.0})
			n++
			continue
		}
		break
	}
	wg.Wait()
	if n < 2 {
		t.Errorf("only %d detections answered while training ran", n)
	}
	got := p.c.expect(200, "GET", "/api/v1/detectors/"+det, nil, p.usr...)
	if got["training_info"].(map[string]any)["training_samples"].(float64) != 4242 { // 6060 rows, 30% validate
		t.Errorf("after training on big: %v", got["training_info"])
	}
	_ = io.Discard
}

func TestPlatformRestartDurability(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	p := newPlatform(t, cfg)
	ds := p.dataset(p.usr, "tx", txRows(300, 10, 8), "label")
	det := p.detector(p.usr, "KNN", map[string]any{"n_neighbors": 5})
	p.train(p.usr, det, ds)
	odd := map[string]any{"amount": 6000.0, "merchant": "jewelry", "hour": 4.0}
	before := p.detect(p.usr, det, odd)["results"].([]any)[0].(map[string]any)
	hb := p.detector(p.usr, "HBOS", nil)
	p.train(p.usr, hb, ds)
	en := p.c.expect(201, "POST", "/api/v1/ensembles", map[string]any{"name": "e", "detector_ids": []string{det, hb}, "voting_strategy": "average"}, p.usr...)
	exp := p.c.expect(201, "POST", "/api/v1/experiments", map[string]any{"name": "x", "dataset_id": ds, "algorithms": []any{map[string]any{"name": "HBOS"}}}, p.usr...)
	if err := p.m.Close(); err != nil {
		t.Fatal(err)
	}
	m2 := MustRunMain(t, cfg)
	c2 := newClient(t, m2)
	ut, _ := c2.login("user1")
	usr := bearer(ut)
	after := c2.expect(200, "POST", "/api/v1/detectors/"+det+"/detect", map[string]any{"data": []any{odd}}, usr...)["results"].([]any)[0].(map[string]any)
	if after["anomaly_score"] != before["anomaly_score"] || after["score"] != before["score"] {
		t.Errorf("after restart %v, before %v", after, before)
	}
	if r := c2.expect(200, "GET", "/api/v1/detectors/"+det+"/results", nil, usr...); r["total"].(float64) != 2 {
		t.Errorf("results after restart = %v", r["total"])
	}
	c2.expect(200, "GET", "/api/v1/datasets/"+ds, nil, usr...)
	c2.expect(200, "GET", "/api/v1/ensembles/"+en["id"].(string), nil, usr...)
	if e := c2.expect(200, "GET", "/api/v1/experiments/"+exp["id"].(string), nil, usr...); e["status"] != "completed" {
		t.Errorf("experiment after restart = %v", e["status"])
	}
}

func TestConfiguredLimits(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.HTTP.MaxDatasetRows = 10
	cfg.HTTP.WS.MaxClients = 1
	p := newPlatform(t, cfg)
	resp, out := p.c.do("POST", "/api/v1/datasets", map[string]any{"name": "big", "data": txRows(11, 0, 1)}, p.usr...)
	if resp.StatusCode != 413 || out["error"].(map[string]any)["details"].(map[string]any)["limit"] != "max_rows" {
		t.Errorf("11 rows with max 10 = %d %v", resp.StatusCode, out)
	}
	p.c.expect(201, "POST", "/api/v1/datasets", map[string]any{"name": "ok", "data": txRows(10, 0, 1)}, p.usr...)
	tok := p.usr[1][len("Bearer "):]
	first := wsDial(t, p.m, "/ws/stream?token="+tok, nil)
	readFrame(t, first)
	_, resp2, err := websocket.DefaultDialer.Dial("ws://"+p.m.Addr()+"/ws/stream?token="+tok, nil)
	if err == nil || resp2 == nil || resp2.StatusCode != 503 {
		t.Errorf("second WebSocket with max 1 = %v", err)
	}
	resp, out = p.c.do("GET", "/ws/stream?stream=bad%20name", nil, p.usr...)
	if resp.StatusCode != 422 {
		t.Errorf("bad stream name = %d %v", resp.StatusCode, out)
	}
}

func TestTDAPersistenceEndpoint(t *testing.T) {
	p := newPlatform(t, testConfig(t, t.TempDir()))
	in := `{"name":"square","points":[[0,0],[1,0],[1,1],[0,1]],"max_dim":1,"max_edge":null,"epsilon":0.1,"betti_at":[0.5]}`
	out := p.c.expect(200, "POST", "/api/v1/tda/persistence", in, p.usr...)
	d := out["diagrams"].(map[string]any)
	if len(d["0"].([]any)) != 4 || len(d["1"].([]any)) != 1 {
		t.Fatalf("square diagrams = %v", d)
	}
	// The H1 bar of the unit square is born at 1 and dies at sqrt(2).
	bar := d["1"].([]any)[0].([]any)
	if bar[0].(float64) != 1 || math.Abs(bar[1].(float64)-math.Sqrt2) > 1e-12 {
		t.Errorf("H1 bar = %v, want [1, sqrt 2]", bar)
	}
	resp, bad := p.c.do("POST", "/api/v1/tda/persistence", `{"points":[[0,0],[1]]}`, p.usr...)
	if resp.StatusCode != 422 || !strings.HasPrefix(fieldOf(t, bad), "points") {
		t.Errorf("ragged points = %d %v", resp.StatusCode, bad)
	}
	p.c.expect(401, "POST", "/api/v1/tda/persistence", in)
}

// TestDetectorPassivation: an idle detector actor stops and comes back from its snapshot on the
// next request, scoring identically.
func TestDetectorPassivation(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.DetectorIdle = 100 * time.Millisecond
	p := newPlatform(t, cfg)
	ds := p.dataset(p.usr, "tx", txRows(200, 5, 12), "")
	det := p.detector(p.usr, "HBOS", nil)
	p.train(p.usr, det, ds)
	row := map[string]any{"amount": 3000.0, "merchant": "jewelry", "hour": 2.0}
	before := p.detect(p.usr, det, row)["results"].([]any)[0].(map[string]any)["anomaly_score"]
	deadline := time.Now().Add(10 * time.Second)
	for p.c.expect(200, "GET", "/api/v1/metrics", nil, p.usr...)["active_detectors"].(float64) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the idle detector never passivated")
		}
		time.Sleep(20 * time.Millisecond)
	}
	after := p.detect(p.usr, det, row)["results"].([]any)[0].(map[string]any)["anomaly_score"]
	if after != before {
		t.Errorf("after passivation %v, before %v", after, before)
	}
}

// TestCloseEndsIdleKeepAliveConnections: connections with no request being handled do not hold
// up the server's Close, an idle keep-alive one in a client's pool nor one opened and not yet
// used (Go's HTTP client dials such spare connections under concurrent use; fasthttp's Shutdown
// alone waited for its 30 s read timeout), while a request being handled when Close starts still
// gets its answer.
func TestCloseEndsIdleKeepAliveConnections(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	m := &Main{Config: cfg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := m.Run(); err != nil {
		t.Fatal(err)
	}
	closed := false
	t.Cleanup(func() {
		if !closed {
			_ = m.Close()
		}
	})
	c := newClient(t, m)
	c.register("closer")
	tok, _ := c.login("closer")
	p := &platform{m: m, c: c, usr: bearer(tok)}
	big := p.dataset(p.usr, "big", txRows(6000, 60, 7), "")
	det := p.detector(p.usr, "LOF", map[string]any{"n_neighbors": 35})
	c.expect(200, "GET", "/api/v1/health", nil) // leaves an idle connection in c's pool
	spare, err := net.Dial("tcp", m.Addr())     // a connection that never sends a request
	if err != nil {
		t.Fatal(err)
	}
	defer spare.Close()
	answered := make(chan int, 1)
	go func() {
		resp, _ := c.do("POST", "/api/v1/detectors/"+det+"/train", map[string]any{"dataset_id": big}, p.usr...)
		answered <- resp.StatusCode
	}()
	time.Sleep(30 * time.Millisecond) // the training request is in its handler
	start := time.Now()
	err = m.Close()
	closed = true
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("Close took %v with an idle keep-alive connection open", el)
	}
	if err != nil {
		t.Errorf("Close: %v", err)
	}
	select {
	case code := <-answered:
		if code != 200 {
			t.Errorf("the request in flight at Close got %d, want 200", code)
		}
	case <-time.After(10 * time.Second):
		t.Error("the request in flight at Close got no answer")
	}
	_ = spare.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := spare.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("the unused connection is still open after Close: read %d, %v", n, err)
	}
}
