package messages

import "time"

// Live event types pushed to /ws/detections.
const (
	EventDetectionResult = "detection_result"
	EventDetectorTrained = "detector_trained"
	EventSystemAlert     = "system_alert"
)

// LiveEvent is published on the actor system's event stream and relayed to /ws/detections
// clients. OwnerID scopes it: a client sees events of its own detectors (admins see all);
// system alerts with an empty OwnerID go to admins only.
type LiveEvent struct {
	Type       string    `json:"type"`
	OwnerID    string    `json:"-"`
	DetectorID string    `json:"detector_id,omitempty"`
	Timestamp  time.Time `json:"timestamp"`
	Data       any       `json:"data"` // a JSON object: a map or a struct such as DetectionData
}

// DetectionData is the data of a detection_result event: a struct, not a map, because one is
// published for every detect request.
type DetectionData struct {
	AnomaliesDetected int `json:"anomalies_detected"`
	TotalSamples      int `json:"total_samples"`
}
