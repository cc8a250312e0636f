package messages

import "time"

// AlgorithmSpec is one algorithm of an experiment.
type AlgorithmSpec struct {
	Name       string         `json:"name"`
	Parameters map[string]any `json:"parameters,omitempty"`
}

// ExperimentResult is one algorithm's outcome.
type ExperimentResult struct {
	Algorithm      string             `json:"algorithm"`
	Parameters     map[string]any     `json:"parameters,omitempty"`
	Metrics        map[string]float64 `json:"metrics"`
	TrainingTimeMs int64              `json:"training_time_ms"`
	Error          string             `json:"error,omitempty"`
}

// Winner is the best algorithm and why.
type Winner struct {
	Algorithm string `json:"algorithm"`
	Reason    string `json:"reason"`
}

// Experiment compares algorithms on a labelled dataset.
type Experiment struct {
	ID                string             `json:"id"`
	Name              string             `json:"name"`
	Description       string             `json:"description,omitempty"`
	OwnerID           string             `json:"owner_id"`
	DatasetID         string             `json:"dataset_id"`
	Algorithms        []AlgorithmSpec    `json:"algorithms"`
	EvaluationMetrics []string           `json:"evaluation_metrics"`
	Status            string             `json:"status"`
	CreatedAt         time.Time          `json:"created_at"`
	CompletedAt       *time.Time         `json:"completed_at,omitempty"`
	Results           []ExperimentResult `json:"results"`
	Winner            *Winner            `json:"winner,omitempty"`
	ResultsSummary    map[string]any     `json:"results_summary,omitempty"`
}

// CreateExperiment runs one child actor per algorithm on the dataset in parallel. Reply:
// *ExperimentReply when it finished or Wait elapsed (status "running").
type CreateExperiment struct {
	Principal  Principal
	Experiment Experiment
	Data       *TableData
	Wait       time.Duration
}

// ExperimentReply answers the experiment messages.
type ExperimentReply struct {
	Experiment Experiment
	Err        *Error
}

// GetExperiment asks for one experiment. Reply: *ExperimentReply.
type GetExperiment struct {
	Principal Principal
	ID        string
}

// ListExperiments lists experiments the principal may read. Reply: *ExperimentList.
type ListExperiments struct {
	Principal Principal
	Limit     int
	Offset    int
}

// ExperimentList answers ListExperiments.
type ExperimentList struct {
	Experiments []Experiment
	Total       int
	Err         *Error
}
