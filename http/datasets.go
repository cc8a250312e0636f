package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/valyala/fasthttp"

	"github.com/topoforge/topoforge/dataset"
	"github.com/topoforge/topoforge/messages"
)

// ingestError maps a dataset ingestion error to the error envelope: a limit is 413 naming it,
// bad content 422 with where it is.
func ingestError(err error) error {
	var le *dataset.LimitError
	var pe *dataset.ParseError
	var me *messages.Error
	switch {
	case errors.As(err, &me):
		return me
	case errors.As(err, &le):
		return &messages.Error{Code: messages.CodeTooLarge, Message: le.Error(),
			Details: map[string]any{"limit": le.Limit, "max": le.Value}}
	case errors.As(err, &pe):
		d := map[string]any{"issue": pe.Err.Error()}
		if pe.Line > 0 {
			d["line"] = pe.Line
		}
		if pe.Row >= 0 {
			d["row"] = pe.Row
		}
		if pe.Column != "" {
			d["column"] = pe.Column
		}
		d["field"] = "data"
		return &messages.Error{Code: messages.CodeValidation, Message: pe.Error(), Details: d}
	case errors.Is(err, dataset.ErrNoRows), errors.Is(err, dataset.ErrNoHeader):
		return messages.FieldError("data", err.Error())
	}
	return err
}

// ingest streams rows from r into a new dataset: chunks go to the datasets actor as they fill,
// the metadata last. On failure the partial upload is deleted.
func (s *Server) ingest(p *messages.Principal, name, desc, label, format, source string,
	run func(opts dataset.Options, emit func(dataset.Chunk) error) (*dataset.Schema, error)) (*messages.Dataset, error) {
	if strings.TrimSpace(name) == "" {
		return nil, messages.FieldError("name", "is required")
	}
	begin, err := ask[*messages.DatasetReply](s, s.actors.Datasets, &messages.BeginDataset{Principal: *p})
	if err = failed(err, begin); err != nil {
		return nil, err
	}
	id := begin.Dataset.ID
	chunks := 0
	emit := func(c dataset.Chunk) error {
		ack, err := ask[*messages.Ack](s, s.actors.Datasets, &messages.PutChunk{ID: id, Index: c.Index, Data: c.Data})
		chunks++
		return failed(err, ack)
	}
	opts := dataset.Options{LabelColumn: label, MaxRows: s.cfg.MaxDatasetRows, MaxColumns: s.cfg.MaxDatasetColumns}
	schema, err := run(opts, emit)
	if err != nil {
		_, _ = ask[*messages.Ack](s, s.actors.Datasets, &messages.AbortDataset{ID: id})
		if label != "" && errors.Is(err, dataset.ErrHeader) && strings.Contains(err.Error(), label) {
			return nil, messages.FieldError("label_column", fmt.Sprintf("column %q is not in the data", label))
		}
		return nil, ingestError(err)
	}
	sum := schema.Summary()
	features, _ := json.Marshal(sum.Features)
	stats, _ := json.Marshal(sum.Statistics)
	raw, _ := json.Marshal(schema)
	rep, err := ask[*messages.DatasetReply](s, s.actors.Datasets, &messages.CommitDataset{Principal: *p, Dataset: messages.Dataset{
		ID: id, Name: name, Description: desc, SampleCount: sum.SampleCount, FeatureCount: sum.FeatureCount,
		LabelColumn: label, DataSource: source, Format: format, Features: features, Statistics: stats,
		Schema: raw, Chunks: chunks,
	}})
	if err = failed(err, rep); err != nil {
		_, _ = ask[*messages.Ack](s, s.actors.Datasets, &messages.AbortDataset{ID: id})
		return nil, err
	}
	return &rep.Dataset, nil
}

type datasetRequest struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	LabelColumn string          `json:"label_column"`
	Data        json.RawMessage `json:"data"`
}

func (s *Server) createDataset(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	var req datasetRequest
	if err := s.decodeJSONLimit(ctx, &req, s.cfg.MaxUploadBytes); err != nil {
		s.writeError(ctx, err)
		return
	}
	if len(req.Data) == 0 || req.Data[0] != '[' {
		s.writeError(ctx, messages.FieldError("data", "is required: an array of objects"))
		return
	}
	ds, err := s.ingest(p, req.Name, req.Description, req.LabelColumn, "json", "api",
		func(opts dataset.Options, emit func(dataset.Chunk) error) (*dataset.Schema, error) {
			return dataset.IngestJSON(bytes.NewReader(req.Data), opts, emit)
		})
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeJSON(ctx, fasthttp.StatusCreated, ds)
}

func (s *Server) uploadDataset(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	if !bytes.HasPrefix(ctx.Request.Header.ContentType(), []byte("multipart/form-data")) {
		s.writeError(ctx, &messages.Error{Code: messages.CodeUnsupportedType,
			Message: "Content-Type must be multipart/form-data with a file field"})
		return
	}
	form, err := ctx.MultipartForm()
	if err != nil {
		s.writeError(ctx, messages.Errorf(messages.CodeBadRequest, "malformed multipart body: %v", err))
		return
	}
	defer ctx.Request.RemoveMultipartFormFiles()
	files := form.File["file"]
	if len(files) != 1 {
		s.writeError(ctx, messages.FieldError("file", "exactly one CSV file is required"))
		return
	}
	value := func(k string) string {
		if v := form.Value[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	name := value("name")
	if name == "" {
		name = files[0].Filename
	}
	f, err := files[0].Open()
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	defer f.Close()
	ds, err := s.ingest(p, name, value("description"), value("label_column"), "csv", "uploaded_file",
		func(opts dataset.Options, emit func(dataset.Chunk) error) (*dataset.Schema, error) {
			return dataset.IngestCSV(io.Reader(f), opts, emit)
		})
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeJSON(ctx, fasthttp.StatusCreated, ds)
}

func (s *Server) listDatasets(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	limit, offset, verr := paging(ctx)
	if verr != nil {
		s.writeError(ctx, verr)
		return
	}
	format := string(ctx.QueryArgs().Peek("format"))
	if format != "" && format != "csv" && format != "json" {
		s.writeError(ctx, messages.FieldError("format", "must be csv or json"))
		return
	}
	rep, err := ask[*messages.DatasetList](s, s.actors.Datasets, &messages.ListDatasets{Principal: *p, Limit: limit, Offset: offset, Format: format})
	if err = failed(err, rep); err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeJSON(ctx, fasthttp.StatusOK, map[string]any{
		"datasets": rep.Datasets, "total": rep.Total, "limit": limit, "offset": offset,
		"pagination": newPagination(limit, offset, rep.Total),
	})
}

func (s *Server) getDataset(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	askAndWrite(s, ctx, s.actors.Datasets, &messages.GetDataset{Principal: *p, ID: pathArg(ctx, "dataset_id")},
		fasthttp.StatusOK, func(r *messages.DatasetReply) any { return r.Dataset })
}

// maxSample bounds GET /datasets/{id}/sample?limit.
const maxSample = 1000

func (s *Server) datasetSample(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	limit, verr := intArg(ctx, "limit", 10, 1, maxSample)
	if verr != nil {
		s.writeError(ctx, verr)
		return
	}
	askAndWrite(s, ctx, s.actors.Datasets, &messages.GetSample{Principal: *p, ID: pathArg(ctx, "dataset_id"), Limit: limit},
		fasthttp.StatusOK, func(r *messages.SampleReply) any {
			return map[string]any{"samples": r.Samples, "total_samples": r.Total}
		})
}

func (s *Server) deleteDataset(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	askAndWrite(s, ctx, s.actors.Datasets, &messages.DeleteDataset{Principal: *p, ID: pathArg(ctx, "dataset_id")},
		fasthttp.StatusOK, func(*messages.Ack) any { return map[string]string{"message": "Dataset deleted successfully"} })
}
