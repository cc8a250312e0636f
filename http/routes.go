package http

import (
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"

	"github.com/topoforge/topoforge/messages"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// routeTable lists every route with what it requires. Both API surfaces share one user store:
// /api/auth/* (streaming contract) and /api/v1/auth/* (platform contract) are the same handlers.
func (s *Server) routeTable() []route {
	prom := fasthttpadaptor.NewFastHTTPHandler(promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	rs := []route{
		{"GET", "/health", public, "check health", s.health},
		{"GET", "/api/v1/health", public, "check health", s.health},
		{"GET", "/status", public, "read status", s.status},
		{"GET", "/api/v1/status", public, "read status", s.status},
		{"GET", "/metrics", public, "scrape metrics", func(ctx *fasthttp.RequestCtx, _ *messages.Principal) { prom(ctx) }},
		{"GET", "/openapi.yaml", public, "read the API spec", s.openAPI},
		{"GET", "/docs", public, "read the API docs", s.docs},

		{"POST", "/api/auth/register", public, "register", s.register},
		{"POST", "/api/auth/login", public, "log in", s.login},
		{"POST", "/api/v1/auth/register", public, "register", s.register},
		{"POST", "/api/v1/auth/login", public, "log in", s.login},
		{"POST", "/api/v1/auth/refresh", public, "refresh a token", s.refresh},
		{"GET", "/api/v1/auth/me", authenticated, "read the current user", s.me},
		{"POST", "/api/v1/auth/api-keys", authenticated, "create API keys", s.createAPIKey},
		{"GET", "/api/v1/auth/api-keys", authenticated, "list API keys", s.listAPIKeys},
		{"DELETE", "/api/v1/auth/api-keys/{key_id}", authenticated, "revoke API keys", s.revokeAPIKey},
		{"GET", "/api/v1/users", adminOnly, "list users", s.listUsers},
		{"PUT", "/api/v1/users/{user_id}/role", adminOnly, "change roles", s.setRole},

		{"GET", "/api/v1/detectors/algorithms", authenticated, "list algorithms", s.algorithms},
		{"GET", "/api/v1/detectors", authenticated, "list detectors", s.listDetectors},
		{"POST", "/api/v1/detectors", write, "create detectors", s.createDetector},
		{"GET", "/api/v1/detectors/{detector_id}", authenticated, "read detectors", s.getDetector},
		{"PUT", "/api/v1/detectors/{detector_id}", write, "update detectors", s.updateDetector},
		{"DELETE", "/api/v1/detectors/{detector_id}", write, "delete detectors", s.deleteDetector},
		{"POST", "/api/v1/detectors/{detector_id}/train", write, "train detectors", s.trainDetector},
		{"POST", "/api/v1/detectors/{detector_id}/detect", write, "run detection", s.detect},
		{"POST", "/api/v1/detectors/{detector_id}/detect/batch", write, "run batch detection", s.batchDetect},
		{"GET", "/api/v1/detectors/{detector_id}/results", authenticated, "read results", s.detectorResults},
		{"GET", "/api/v1/results/{batch_id}", authenticated, "read batch results", s.getBatch},
		{"GET", "/api/v1/metrics", authenticated, "read metrics", s.platformMetrics},
		{"GET", "/ws/detections", authenticated, "watch live events", s.wsDetections},

		{"POST", "/api/v1/tda/persistence", authenticated, "compute persistence", s.tdaPersistence},
		{"GET", "/ws/stream", authenticated, "stream events", s.wsStream},
		{"GET", "/api/anomalies", authenticated, "list anomalies", s.listAnomalies},
		{"GET", "/api/anomalies/export", authenticated, "export anomalies", s.exportAnomalies},

		{"GET", "/api/v1/datasets", authenticated, "list datasets", s.listDatasets},
		{"POST", "/api/v1/datasets", write, "create datasets", s.createDataset},
		{"POST", "/api/v1/datasets/upload", write, "upload datasets", s.uploadDataset},
		{"GET", "/api/v1/datasets/{dataset_id}", authenticated, "read datasets", s.getDataset},
		{"GET", "/api/v1/datasets/{dataset_id}/sample", authenticated, "read samples", s.datasetSample},
		{"DELETE", "/api/v1/datasets/{dataset_id}", write, "delete datasets", s.deleteDataset},

		{"GET", "/api/v1/ensembles", authenticated, "list ensembles", s.listEnsembles},
		{"POST", "/api/v1/ensembles", write, "create ensembles", s.createEnsemble},
		{"GET", "/api/v1/ensembles/{ensemble_id}", authenticated, "read ensembles", s.getEnsemble},
		{"DELETE", "/api/v1/ensembles/{ensemble_id}", write, "delete ensembles", s.deleteEnsemble},
		{"POST", "/api/v1/ensembles/{ensemble_id}/detect", write, "run ensemble detection", s.ensembleDetect},

		{"GET", "/api/v1/experiments", authenticated, "list experiments", s.listExperiments},
		{"POST", "/api/v1/experiments", write, "run experiments", s.createExperiment},
		{"GET", "/api/v1/experiments/{experiment_id}", authenticated, "read experiments", s.getExperiment},
		{"GET", "/api/v1/analytics/performance", authenticated, "read analytics", s.performance},
	}
	return rs
}
