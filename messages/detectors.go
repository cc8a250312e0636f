package messages

import "time"

// Detector is a detector as the API shows it (the platform contract's fields plus description,
// status and owner_id).
type Detector struct {
	ID                 string              `json:"id"`
	Name               string              `json:"name"`
	Description        string              `json:"description,omitempty"`
	Algorithm          string              `json:"algorithm"`
	Parameters         map[string]any      `json:"parameters"`
	IsTrained          bool                `json:"is_trained"`
	Status             string              `json:"status"`
	OwnerID            string              `json:"owner_id"`
	CreatedAt          time.Time           `json:"created_at"`
	UpdatedAt          time.Time           `json:"updated_at"`
	TrainingInfo       *TrainingInfo       `json:"training_info,omitempty"`
	PerformanceMetrics *PerformanceMetrics `json:"performance_metrics,omitempty"`
}

// Detector statuses, for the list filter `status`.
const (
	StatusUntrained = "untrained"
	StatusTraining  = "training"
	StatusTrained   = "trained"
)

// TrainingInfo describes a detector's last training.
type TrainingInfo struct {
	TrainedAt          time.Time `json:"trained_at"`
	TrainingSamples    int       `json:"training_samples"`
	ValidationSamples  int       `json:"validation_samples"`
	TrainingDurationMs int64     `json:"training_duration_ms"`
	DatasetID          string    `json:"dataset_id"`
	Features           []string  `json:"features,omitempty"`
}

// PerformanceMetrics holds the last evaluation on labelled validation rows.
type PerformanceMetrics struct {
	LastEvaluation *Evaluation `json:"last_evaluation,omitempty"`
}

// Evaluation is a detector's quality on labelled rows.
type Evaluation struct {
	Precision   float64   `json:"precision"`
	Recall      float64   `json:"recall"`
	F1Score     float64   `json:"f1_score"`
	ROCAUC      float64   `json:"roc_auc"`
	PRAUC       float64   `json:"pr_auc"`
	Samples     int       `json:"samples"`
	EvaluatedAt time.Time `json:"evaluated_at"`
}

// CreateDetector creates an untrained detector owned by the principal. Parameters were validated
// by the caller against the catalogue; the actor validates again. Reply: *DetectorReply.
type CreateDetector struct {
	Principal   Principal
	Name        string
	Description string
	Algorithm   string
	Parameters  map[string]any
}

// DetectorReply answers the detector CRUD messages.
type DetectorReply struct {
	Detector Detector
	Err      *Error
}

// ListDetectors lists the detectors the principal may read, newest first, filtered by algorithm
// and status when set. Reply: *DetectorList.
type ListDetectors struct {
	Principal Principal
	Limit     int
	Offset    int
	Algorithm string
	Status    string
}

// DetectorList answers ListDetectors; Total counts every match before paging.
type DetectorList struct {
	Detectors []Detector
	Total     int
	Err       *Error
}

// GetDetector asks for one detector. Reply: *DetectorReply.
type GetDetector struct {
	Principal Principal
	ID        string
}

// UpdateDetector changes a detector's name, description or parameters (nil = unchanged).
// Changed parameters mark the detector untrained. Reply: *DetectorReply.
type UpdateDetector struct {
	Principal   Principal
	ID          string
	Name        *string
	Description *string
	Parameters  map[string]any
}

// DeleteDetector stops a detector's actor and deletes its state and results. Reply: *Ack.
type DeleteDetector struct {
	Principal Principal
	ID        string
}

// TrainDetector fits a detector on a dataset's rows. Data is loaded by the caller from the
// datasets actor. Reply: *TrainReply, after the new model is durable.
type TrainDetector struct {
	Principal       Principal
	ID              string
	Data            *TableData
	ValidationSplit float64
}

// TrainReply is the contract's training reply.
type TrainReply struct {
	TrainingID         string             `json:"training_id"`
	Status             string             `json:"status"`
	TrainingSamples    int                `json:"training_samples"`
	ValidationSamples  int                `json:"validation_samples"`
	TrainingDurationMs int64              `json:"training_duration_ms"`
	Metrics            map[string]float64 `json:"metrics"`
	Err                *Error             `json:"-"`
}

// StoredResult is one detection result as stored and listed.
type StoredResult struct {
	ID           string         `json:"id"`
	DetectorID   string         `json:"detector_id"`
	IsAnomaly    bool           `json:"is_anomaly"`
	AnomalyScore float64        `json:"anomaly_score"`
	Confidence   float64        `json:"confidence"`
	Explanation  string         `json:"explanation,omitempty"`
	DetectedAt   time.Time      `json:"detected_at"`
	DataPoint    map[string]any `json:"data_point"`
}

// GetResults lists a detector's stored results, newest first. Zero times mean unbounded.
// Reply: *ResultsReply.
type GetResults struct {
	Principal     Principal
	ID            string
	Limit         int
	Start, End    time.Time
	AnomaliesOnly bool
}

// ResultsReply answers GetResults: Total and AnomalyCount count every match in the range.
type ResultsReply struct {
	Results      []StoredResult
	Total        int
	AnomalyCount int
	Err          *Error
}

// BatchDetect scores every row of a dataset in a job. Reply: *BatchReply, either when the job
// finished or, after Wait, with status "running".
type BatchDetect struct {
	Principal    Principal
	ID           string
	DatasetID    string
	Data         *TableData
	OutputFormat string
	Wait         time.Duration
}

// Batch is a batch job's state (the contract's batch reply plus progress).
type Batch struct {
	BatchID              string    `json:"batch_id"`
	DetectorID           string    `json:"detector_id"`
	DatasetID            string    `json:"dataset_id"`
	OwnerID              string    `json:"owner_id"`
	Status               string    `json:"status"`
	Progress             float64   `json:"progress"`
	ProcessedSamples     int       `json:"processed_samples"`
	TotalSamples         int       `json:"total_samples"`
	AnomaliesDetected    int       `json:"anomalies_detected"`
	AnomalyRate          float64   `json:"anomaly_rate"`
	ProcessingDurationMs int64     `json:"processing_duration_ms"`
	OutputFormat         string    `json:"output_format"`
	ResultsURL           string    `json:"results_url"`
	CreatedAt            time.Time `json:"created_at"`
	Error                string    `json:"error,omitempty"`
}

// BatchReply answers BatchDetect and GetBatch. Body, for a finished GetBatch, is the results
// encoded in the batch's output format.
type BatchReply struct {
	Batch Batch
	Body  []byte
	Err   *Error
}

// GetBatch asks for a batch job's state and, when finished, its results. Reply: *BatchReply.
type GetBatch struct {
	Principal Principal
	BatchID   string
}

// TableData is a dataset's rows ready for fitting: the table, the labels when the dataset has a
// label column (else nil), and the dataset's ID.
type TableData struct {
	DatasetID string
	Columns   []string
	Rows      [][]any
	Labels    []bool
}

// Crash makes an entity actor panic (the detectors manager forwards it to detector ID). It is
// fault injection for supervision tests; the HTTP layer never sends it.
type Crash struct{ ID string }

// GetMetrics asks the detectors manager for the platform's counters. Reply: *Metrics.
type GetMetrics struct{ Principal Principal }

// Metrics is the contract's /api/v1/metrics body.
type Metrics struct {
	TotalDetectors         int     `json:"total_detectors"`
	ActiveDetectors        int     `json:"active_detectors"`
	TrainedDetectors       int     `json:"trained_detectors"`
	TotalDetectionsToday   int64   `json:"total_detections_today"`
	AnomaliesDetectedToday int64   `json:"anomalies_detected_today"`
	TotalDetections        int64   `json:"total_detections"`
	AvgDetectionTimeMs     float64 `json:"avg_detection_time_ms"`
	SystemHealth           string  `json:"system_health"`
	Err                    *Error  `json:"-"`
}

// GetPerformance asks for performance analytics over a period (hour, day, week, month) for one
// detector or all the principal may read. Reply: *Performance.
type GetPerformance struct {
	Principal  Principal
	DetectorID string
	Period     string
}

// DetectorPerformance is one detector's figures over the period.
type DetectorPerformance struct {
	DetectorID          string  `json:"detector_id"`
	DetectionsCount     int64   `json:"detections_count"`
	AnomaliesCount      int64   `json:"anomalies_count"`
	AvgScore            float64 `json:"avg_score"`
	AvgProcessingTimeMs float64 `json:"avg_processing_time_ms"`
}

// Performance is the contract's /api/v1/analytics/performance body. The period is the bucket
// size: trends hold the last 24 hours, 7 days, 4 weeks or 6 (30-day) months, oldest first,
// bucket i starting at BucketStarts[i]; DetectorPerformance sums the whole span.
type Performance struct {
	Period              string                `json:"period"`
	DetectorPerformance []DetectorPerformance `json:"detector_performance"`
	Trends              Trends                `json:"trends"`
	BucketStarts        []time.Time           `json:"bucket_starts"`
	Err                 *Error                `json:"-"`
}

// Trends are per-bucket detection volumes and anomaly rates.
type Trends struct {
	DetectionVolume []int64   `json:"detection_volume"`
	AnomalyRate     []float64 `json:"anomaly_rate"`
}
