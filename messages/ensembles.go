package messages

import "time"

// Ensemble combines trained detectors with a voting strategy.
type Ensemble struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	OwnerID        string    `json:"owner_id"`
	DetectorIDs    []string  `json:"detector_ids"`
	VotingStrategy string    `json:"voting_strategy"`
	Weights        []float64 `json:"weights,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
}

// CreateEnsemble creates an ensemble after checking that every detector exists, is the
// principal's (or the principal is admin) and is trained. Reply: *EnsembleReply.
type CreateEnsemble struct {
	Principal      Principal
	Name           string
	DetectorIDs    []string
	VotingStrategy string
	Weights        []float64
}

// EnsembleReply answers the ensemble messages.
type EnsembleReply struct {
	Ensemble Ensemble
	Err      *Error
}

// GetEnsemble asks for one ensemble. Reply: *EnsembleReply.
type GetEnsemble struct {
	Principal Principal
	ID        string
}

// ListEnsembles lists the principal's ensembles. Reply: *EnsembleList.
type ListEnsembles struct {
	Principal Principal
	Limit     int
	Offset    int
}

// EnsembleList answers ListEnsembles.
type EnsembleList struct {
	Ensembles []Ensemble
	Total     int
	Err       *Error
}

// DeleteEnsemble deletes an ensemble (not its detectors). Reply: *Ack.
type DeleteEnsemble struct {
	Principal Principal
	ID        string
}

// EnsembleDetect scores rows with every detector of the ensemble and combines them. RowsJSON is
// the request's "data" array. Reply: *EnsembleDetectReply.
type EnsembleDetect struct {
	Principal Principal
	ID        string
	RowsJSON  []byte
}

// EnsembleDetectReply carries the encoded contract body.
type EnsembleDetectReply struct {
	Body []byte
	Err  *Error
}
