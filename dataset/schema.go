package dataset

import (
	"fmt"
	"time"
)

// Schema describes an ingested dataset: its columns with their types and
// statistics, its row count, how the rows are split into chunks and its
// label column. It is what the store keeps next to the chunks, as JSON; the
// API views of it are Summary, Features and Statistics.
type Schema struct {
	// Version is the ChunkVersion the chunks were written with.
	Version int `json:"version"`
	// Rows is the number of data rows.
	Rows int `json:"rows"`
	// ChunkSizes holds the row count of each chunk, in order; they sum to
	// Rows.
	ChunkSizes []int `json:"chunk_sizes"`
	// Columns lists every column in input order, the label column included.
	Columns []Feature `json:"columns"`
	// Label describes the label column; nil if there is none.
	Label *Label `json:"label,omitempty"`
}

// Label describes a label column.
type Label struct {
	// Name is the column name.
	Name string `json:"name"`
	// Column is the position of the label in Schema.Columns.
	Column int `json:"column"`
	// Anomalies counts the rows labelled as anomalies.
	Anomalies int `json:"anomalies"`
}

// Feature describes one column and its statistics. Its JSON is an element
// of the "features" array of GET /datasets/{id}:
//
//	{"name": "amount", "type": "float", "min": 0.1, "max": 10000, "missing": 0}
//	{"name": "merchant", "type": "string", "unique_values": 50, "missing": 2}
//	{"name": "at", "type": "timestamp", "min": "2024-01-01T00:00:00Z", "max": "2024-02-01T00:00:00Z", "missing": 0}
type Feature struct {
	// Name is the column name.
	Name string `json:"name"`
	// Type is the inferred type.
	Type Type `json:"type"`
	// Min and Max are the smallest and largest values: float64 for int and
	// float columns (whole numbers for int), RFC 3339 UTC strings for
	// timestamp columns, nil (omitted) otherwise.
	Min any `json:"min,omitempty"`
	Max any `json:"max,omitempty"`
	// UniqueValues counts the distinct cell texts of a string column (the
	// distinct values, 1 or 2, of a bool column); nil (omitted) for other
	// types. Counting stops at Options.MaxUnique: then it is that cap and
	// UniqueCapped is set.
	UniqueValues *int `json:"unique_values,omitempty"`
	// UniqueCapped reports that the column has at least UniqueValues
	// distinct values.
	UniqueCapped bool `json:"unique_values_capped,omitempty"`
	// Missing counts the missing cells.
	Missing int `json:"missing"`
}

// Statistics is the "statistics" object of GET /datasets/{id}, over the
// features (label excluded).
type Statistics struct {
	// NumericalFeatures counts int, float and timestamp features.
	NumericalFeatures int `json:"numerical_features"`
	// CategoricalFeatures counts string and bool features.
	CategoricalFeatures int `json:"categorical_features"`
	// EmptyFeatures counts features with no value at all.
	EmptyFeatures int `json:"empty_features"`
	// MissingValues counts the missing cells of all features.
	MissingValues int `json:"missing_values"`
}

// Summary is the dataset-dependent part of GET /datasets/{id}; handlers embed
// it in their reply next to id, name and description, which flattens it:
//
//	{"sample_count": 10000, "feature_count": 2,
//	 "features": [{"name": "amount", "type": "float", "min": 0.1, "max": 10000, "missing": 0}, ...],
//	 "statistics": {"numerical_features": 1, "categorical_features": 1, "empty_features": 0, "missing_values": 0},
//	 "label": {"name": "is_fraud", "column": 2, "anomalies": 12}}
type Summary struct {
	// SampleCount is the number of rows.
	SampleCount int `json:"sample_count"`
	// FeatureCount is the number of features (label excluded).
	FeatureCount int `json:"feature_count"`
	// Features describes the features in column order.
	Features []Feature `json:"features"`
	// Statistics sums up the features.
	Statistics Statistics `json:"statistics"`
	// Label describes the label column, omitted if none.
	Label *Label `json:"label,omitempty"`
}

// Features returns the columns without the label column, in order.
func (s *Schema) Features() []Feature {
	out := make([]Feature, 0, len(s.Columns))
	for j, f := range s.Columns {
		if !s.isLabel(j) {
			out = append(out, f)
		}
	}
	return out
}

// Statistics sums up the features.
func (s *Schema) Statistics() Statistics {
	var st Statistics
	for _, f := range s.Features() {
		switch {
		case f.Type.Numeric():
			st.NumericalFeatures++
		case f.Type.Categorical():
			st.CategoricalFeatures++
		default:
			st.EmptyFeatures++
		}
		st.MissingValues += f.Missing
	}
	return st
}

// Summary returns the API view of the schema.
func (s *Schema) Summary() Summary {
	f := s.Features()
	return Summary{SampleCount: s.Rows, FeatureCount: len(f), Features: f, Statistics: s.Statistics(), Label: s.Label}
}

// isLabel reports whether column j is the label.
func (s *Schema) isLabel(j int) bool { return s.Label != nil && s.Label.Column == j }

// Validate checks a schema read back from the store: version, chunk sizes
// and label position. It returns an error wrapping ErrChunk.
func (s *Schema) Validate() error {
	if s.Version != ChunkVersion {
		return fmt.Errorf("validate schema: %w: unknown version %d", ErrChunk, s.Version)
	}
	n := 0
	for i, c := range s.ChunkSizes {
		if c <= 0 {
			return fmt.Errorf("validate schema: %w: chunk %d has %d rows", ErrChunk, i, c)
		}
		n += c
	}
	if n != s.Rows {
		return fmt.Errorf("validate schema: %w: chunks hold %d rows, want %d", ErrChunk, n, s.Rows)
	}
	if s.Label != nil && (s.Label.Column < 0 || s.Label.Column >= len(s.Columns)) {
		return fmt.Errorf("validate schema: %w: label column %d of %d", ErrChunk, s.Label.Column, len(s.Columns))
	}
	return nil
}

// feature returns the column's final type and statistics.
func (c *column) feature(maxUnique int) Feature {
	f := Feature{Name: c.name, Type: c.typ(), Missing: c.missing}
	switch f.Type {
	case TypeInt, TypeFloat:
		f.Min, f.Max = c.minF, c.maxF
	case TypeTimestamp:
		f.Min = time.Unix(c.minT[0], c.minT[1]).UTC().Format(time.RFC3339Nano)
		f.Max = time.Unix(c.maxT[0], c.maxT[1]).UTC().Format(time.RFC3339Nano)
	case TypeBool:
		n := b2i(c.bools[0]) + b2i(c.bools[1])
		f.UniqueValues = &n
	case TypeString:
		n := c.uniqueCount(maxUnique)
		f.UniqueValues, f.UniqueCapped = &n, c.capped
	}
	return f
}
