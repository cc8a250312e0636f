// Package dataset ingests datasets for the detector platform: it reads CSV
// streams and JSON rows in one pass, infers column types and statistics,
// validates an optional label column, and encodes the rows into chunks for
// the key-value store; later it turns stored chunks back into a
// detect.Table (Schema.Table), into JSON samples (Schema.Sample) and into a
// validation split (Split).
//
// It is pure: no I/O beyond the io.Reader it is given, no goroutines and no
// package-level state; it imports the standard library and detect only.
//
// # Ingestion
//
// A Builder takes rows from CSVReader (ReadCSV), from a JSON array of
// objects (ReadJSON) or from decoded values (AddMap, AddRow). Each cell is
// kept as its raw text, or as missing when it is empty, white space or one
// of Options.NullValues. While rows stream by, each column's Type narrows
// (int, then float; any mix with text becomes string, see Type), and
// min/max (numbers, timestamps), distinct values (strings, bools, counted up
// to Options.MaxUnique) and missing cells are counted. Rows are encoded into
// chunks of at most Options.ChunkRows rows (or Options.ChunkBytes bytes)
// handed to the caller's emit function as they fill, so memory does not grow
// with the input: about ChunkBytes + MaxRecordBytes + 16 × MaxUnique bytes
// per column. Every limit has a default; exceeding one returns a *LimitError
// naming it; bad input returns a *ParseError naming the line (CSV) or row
// (JSON), and the column.
//
// # Storage
//
// The caller stores each Chunk under its index and the Schema (JSON) once
// Finish returns it; the chunk encoding is described at AppendChunk and
// versioned by ChunkVersion. Cells are typed only when read back, with the
// final column types: an int column's early cells and a float column's late
// ones agree.
//
// # Reading back
//
// Schema.Table gives typed cells: numbers and timestamps (Unix seconds) as
// float64, bools as bool, strings as string, missing as nil; the label is
// returned apart as []bool. Schema.AppendJSON and Schema.Sample give rows as
// JSON objects with the original column names. Split picks a deterministic
// validation split.
//
// # Concurrency
//
// A Builder and a CSVReader are used by one goroutine. A Schema is only read
// by its methods, which may run concurrently.
//
// # Example
//
//	var chunks [][]byte // the store, in this example
//	schema, err := dataset.IngestCSV(body, dataset.Options{LabelColumn: "is_fraud"},
//		func(c dataset.Chunk) error {
//			chunks = append(chunks, c.Data) // store.Put(chunkKey(id, c.Index), c.Data)
//			return nil
//		})
//	var le *dataset.LimitError
//	if errors.As(err, &le) { ... } // 413 naming le.Limit
//	var pe *dataset.ParseError
//	if errors.As(err, &pe) { ... } // 422 naming pe.Line, pe.Column
//	summary := schema.Summary() // sample_count, feature_count, features, statistics
//
//	load := func(i int) ([]byte, error) { return chunks[i], nil }
//	train, valid := dataset.Split(schema.Rows, 0.2, 1)
//	table, labels, err := schema.Table(load, train) // detect.Table, []bool
//	check, checkLabels, err := schema.Table(load, valid)
package dataset
