package load

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// API is a minimal JSON client for setting up scenarios.
type API struct {
	Base  string
	Token string
	hc    *http.Client
}

// NewAPI registers (or logs in) user name on the server at base and returns a client with its
// access token.
func NewAPI(base, name string) (*API, error) {
	a := &API{Base: base, hc: &http.Client{Timeout: 5 * time.Minute}}
	body := map[string]string{"username": name, "email": name + "@example.com", "password": "bench-password-" + name}
	if _, err := a.Call("POST", "/api/v1/auth/register", body, nil); err != nil {
		// already registered is fine
		_ = err
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if _, err := a.Call("POST", "/api/v1/auth/login", body, &tok); err != nil {
		return nil, fmt.Errorf("login %s: %w", name, err)
	}
	a.Token = tok.AccessToken
	return a, nil
}

// Call sends a JSON request and decodes a 2xx JSON reply into out (when non-nil).
func (a *API) Call(method, path string, in, out any) (int, error) {
	var r io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, fmt.Errorf("encode %s: %w", path, err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.Base+path, r)
	if err != nil {
		return 0, err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return a.do(req, out)
}

func (a *API) do(req *http.Request, out any) (int, error) {
	if a.Token != "" {
		req.Header.Set("Authorization", "Bearer "+a.Token)
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, fmt.Errorf("decode %s: %w", req.URL.Path, err)
		}
	}
	return resp.StatusCode, nil
}

// Upload sends a CSV file to /api/v1/datasets/upload and returns the dataset ID.
func (a *API) Upload(path, labelColumn string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", filepath.Base(path))
	if _, err := io.Copy(fw, f); err != nil {
		return "", err
	}
	_ = mw.WriteField("name", filepath.Base(path))
	if labelColumn != "" {
		_ = mw.WriteField("label_column", labelColumn)
	}
	_ = mw.Close()
	req, _ := http.NewRequest("POST", a.Base+"/api/v1/datasets/upload", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var ds struct {
		ID string `json:"id"`
	}
	if _, err := a.do(req, &ds); err != nil {
		return "", err
	}
	return ds.ID, nil
}

// TrainedDetector creates and trains a detector on a dataset and returns its ID.
func (a *API) TrainedDetector(algorithm string, params map[string]any, datasetID string) (string, error) {
	var det struct {
		ID string `json:"id"`
	}
	if _, err := a.Call("POST", "/api/v1/detectors", map[string]any{"name": "bench " + algorithm, "algorithm": algorithm, "parameters": params}, &det); err != nil {
		return "", err
	}
	if _, err := a.Call("POST", "/api/v1/detectors/"+det.ID+"/train", map[string]any{"dataset_id": datasetID, "validation_split": 0}, nil); err != nil {
		return "", err
	}
	return det.ID, nil
}
