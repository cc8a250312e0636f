package messages

import (
	"encoding/json"
	"time"
)

// Dataset is a dataset as the API shows it. Features and Statistics are the dataset package's
// JSON (the contract's shapes).
type Dataset struct {
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	Description  string          `json:"description,omitempty"`
	OwnerID      string          `json:"owner_id"`
	SampleCount  int             `json:"sample_count"`
	FeatureCount int             `json:"feature_count"`
	LabelColumn  string          `json:"label_column,omitempty"`
	DataSource   string          `json:"data_source"`
	Format       string          `json:"format"`
	CreatedAt    time.Time       `json:"created_at"`
	Features     json.RawMessage `json:"features,omitempty"`
	Statistics   json.RawMessage `json:"statistics,omitempty"`
	// Schema is the dataset package's encoded schema, needed to read the rows back.
	Schema json.RawMessage `json:"-"`
	// Chunks is how many row chunks are stored.
	Chunks int `json:"-"`
}

// BeginDataset reserves a dataset ID for an upload. Reply: *DatasetReply (only ID set).
type BeginDataset struct{ Principal Principal }

// PutChunk stores one encoded chunk of rows of an upload in progress. Reply: *Ack after it is
// durable.
type PutChunk struct {
	ID    string
	Index int
	Data  []byte
}

// CommitDataset makes an upload visible: its metadata is written after every chunk. Reply:
// *DatasetReply.
type CommitDataset struct {
	Principal Principal
	Dataset   Dataset
}

// AbortDataset deletes the chunks of an upload that failed. Reply: *Ack.
type AbortDataset struct{ ID string }

// DatasetReply answers the dataset messages.
type DatasetReply struct {
	Dataset Dataset
	Err     *Error
}

// ListDatasets lists the datasets the principal may read, newest first; Format filters by
// "csv" or "json". Reply: *DatasetList.
type ListDatasets struct {
	Principal Principal
	Limit     int
	Offset    int
	Format    string
}

// DatasetList answers ListDatasets.
type DatasetList struct {
	Datasets []Dataset
	Total    int
	Err      *Error
}

// GetDataset asks for one dataset. Reply: *DatasetReply.
type GetDataset struct {
	Principal Principal
	ID        string
}

// GetSample asks for the first rows of a dataset as JSON objects. Reply: *SampleReply.
type GetSample struct {
	Principal Principal
	ID        string
	Limit     int
}

// SampleReply answers GetSample.
type SampleReply struct {
	Samples []json.RawMessage
	Total   int
	Err     *Error
}

// DeleteDataset deletes a dataset and its rows. Reply: *Ack.
type DeleteDataset struct {
	Principal Principal
	ID        string
}

// LoadTable asks for a dataset's rows as a table (label column separate). Reply: *TableReply.
type LoadTable struct {
	Principal Principal
	ID        string
}

// TableReply answers LoadTable.
type TableReply struct {
	Data *TableData
	Err  *Error
}
