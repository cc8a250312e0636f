package http

import (
	"fmt"

	"github.com/asynkron/protoactor-go/actor"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/topoforge/topoforge/messages"
)

// Paging bounds for list endpoints.
const (
	defaultLimit = 100  // page size when limit is absent
	maxLimit     = 1000 // largest accepted limit
)

// intArg parses an optional integer query argument within [lo, hi].
func intArg(ctx *fasthttp.RequestCtx, name string, def, lo, hi int) (int, *messages.Error) {
	raw := ctx.QueryArgs().Peek(name)
	if len(raw) == 0 {
		return def, nil
	}
	v, err := strconv.Atoi(string(raw))
	if err != nil || v < lo || v > hi {
		return 0, messages.FieldError(name, fmt.Sprintf("must be an integer from %d to %d", lo, hi))
	}
	return v, nil
}

// paging parses limit and offset.
func paging(ctx *fasthttp.RequestCtx) (limit, offset int, err *messages.Error) {
	if limit, err = intArg(ctx, "limit", defaultLimit, 1, maxLimit); err != nil {
		return 0, 0, err
	}
	offset, err = intArg(ctx, "offset", 0, 0, 1<<31-1)
	return limit, offset, err
}

// pagination is the contract's pagination block.
type pagination struct {
	Limit   int  `json:"limit"`
	Offset  int  `json:"offset"`
	Total   int  `json:"total"`
	HasMore bool `json:"has_more"`
}

func newPagination(limit, offset, total int) pagination {
	return pagination{Limit: limit, Offset: offset, Total: total, HasMore: offset+limit < total}
}

// timeArg parses an optional RFC 3339 (or date-only) query argument.
func timeArg(ctx *fasthttp.RequestCtx, name string) (time.Time, *messages.Error) {
	raw := string(ctx.QueryArgs().Peek(name))
	if raw == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, raw); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, messages.FieldError(name, "must be an ISO 8601 timestamp such as 2024-01-01T12:00:00Z")
}

// boolArg parses an optional boolean query argument.
func boolArg(ctx *fasthttp.RequestCtx, name string) (bool, *messages.Error) {
	raw := string(ctx.QueryArgs().Peek(name))
	if raw == "" {
		return false, nil
	}
	v, err := strconv.ParseBool(raw)
	if err != nil {
		return false, messages.FieldError(name, "must be true or false")
	}
	return v, nil
}

func pathArg(ctx *fasthttp.RequestCtx, name string) string {
	s, _ := ctx.UserValue(name).(string)
	return s
}

// failed returns err, or else the error carried in a reply (nil when the reply succeeded).
func failed(err error, rep any) error {
	if err != nil {
		return err
	}
	var e *messages.Error
	switch r := rep.(type) {
	case *messages.DetectorReply:
		e = r.Err
	case *messages.DetectorList:
		e = r.Err
	case *messages.Ack:
		e = r.Err
	case *messages.TrainReply:
		e = r.Err
	case *messages.TableReply:
		e = r.Err
	case *messages.BatchReply:
		e = r.Err
	case *messages.ResultsReply:
		e = r.Err
	case *messages.Metrics:
		e = r.Err
	case *messages.Performance:
		e = r.Err
	case *messages.DatasetReply:
		e = r.Err
	case *messages.DatasetList:
		e = r.Err
	case *messages.SampleReply:
		e = r.Err
	case *messages.EnsembleReply:
		e = r.Err
	case *messages.EnsembleList:
		e = r.Err
	case *messages.EnsembleDetectReply:
		e = r.Err
	case *messages.ExperimentReply:
		e = r.Err
	case *messages.ExperimentList:
		e = r.Err
	}
	if e != nil {
		return e
	}
	return nil
}

// askAndWrite asks pid, and writes view(reply) as JSON with status, or the error in the
// contract's envelope: the common tail of a handler.
func askAndWrite[T any](s *Server, ctx *fasthttp.RequestCtx, pid *actor.PID, msg any, status int, view func(T) any) {
	rep, err := ask[T](s, pid, msg)
	if err = failed(err, rep); err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeJSON(ctx, status, view(rep))
}
