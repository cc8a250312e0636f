package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fastjson"

	"github.com/topoforge/topoforge/messages"
)

// decodeJSON checks the Content-Type and size, then decodes the body into v. Unknown fields are
// ignored; a body with trailing data after the JSON value is malformed.
func (s *Server) decodeJSON(ctx *fasthttp.RequestCtx, v any) *messages.Error {
	return s.decodeJSONLimit(ctx, v, s.cfg.MaxBodyBytes)
}

// decodeJSONLimit is decodeJSON with another body limit.
func (s *Server) decodeJSONLimit(ctx *fasthttp.RequestCtx, v any, limit int) *messages.Error {
	body, err := jsonBody(ctx, limit)
	if err != nil {
		return err
	}
	return decodeJSONBytes(body, v)
}

// jsonBody returns the request body after checking its Content-Type and size.
func jsonBody(ctx *fasthttp.RequestCtx, limit int) ([]byte, *messages.Error) {
	if ct := ctx.Request.Header.ContentType(); string(ct) != "application/json" { // the usual case, checked without parsing
		mt, _, err := mime.ParseMediaType(string(ct))
		if len(ct) == 0 || err != nil || mt != "application/json" {
			return nil, &messages.Error{
				Code:    messages.CodeUnsupportedType,
				Message: "Content-Type must be application/json",
				Details: map[string]any{"content_type": string(ct)},
			}
		}
	}
	body := ctx.PostBody()
	if len(body) > limit {
		return nil, &messages.Error{
			Code:    messages.CodeTooLarge,
			Message: fmt.Sprintf("request body exceeds the limit of %d bytes", limit),
			Details: map[string]any{"limit_bytes": limit},
		}
	}
	return body, nil
}

// decodeRowsEnvelope checks a detect request ({"data":[...], ...}) and returns the bytes of its
// data array, which the detector decodes. Other fields are ignored, as decodeJSON does.
func (s *Server) decodeRowsEnvelope(ctx *fasthttp.RequestCtx) ([]byte, *messages.Error) {
	body, merr := jsonBody(ctx, s.cfg.MaxBodyBytes)
	if merr != nil {
		return nil, merr
	}
	return rowsEnvelope(&s.parsers, body)
}

// rowsEnvelope is decodeRowsEnvelope on a body.
func rowsEnvelope(pool *fastjson.ParserPool, body []byte) ([]byte, *messages.Error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, messages.Errorf(messages.CodeBadRequest, "request body is empty; a JSON object is required")
	}
	if err := fastjson.ValidateBytes(body); err != nil {
		return nil, messages.Errorf(messages.CodeBadRequest, "malformed JSON: %v", err)
	}
	p := pool.Get()
	defer pool.Put(p)
	v, err := p.ParseBytes(body)
	if err != nil {
		return nil, messages.Errorf(messages.CodeBadRequest, "malformed JSON: %v", err)
	}
	if v.Type() != fastjson.TypeObject {
		return nil, &messages.Error{
			Code:    messages.CodeValidation,
			Message: "invalid body: must be a JSON object",
			Details: map[string]any{"field": "body", "issue": "must be a JSON object"},
		}
	}
	data := v.Get("data")
	if data == nil || data.Type() != fastjson.TypeArray {
		return nil, messages.FieldError("data", "is required: an array of objects")
	}
	return data.MarshalTo(make([]byte, 0, len(body))), nil
}

// decodeJSONBytes decodes exactly one JSON value from body into v.
func decodeJSONBytes(body []byte, v any) *messages.Error {
	if len(bytes.TrimSpace(body)) == 0 {
		return messages.Errorf(messages.CodeBadRequest, "request body is empty; a JSON object is required")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return messages.Errorf(messages.CodeBadRequest, "malformed JSON at byte %d: %v", se.Offset, se)
		case errors.As(err, &te):
			field := te.Field
			if field == "" {
				field = "body"
			}
			return &messages.Error{
				Code:    messages.CodeValidation,
				Message: fmt.Sprintf("invalid %s: must be %s, got %s", field, te.Type.String(), te.Value),
				Details: map[string]any{"field": field, "issue": "must be " + jsonType(te.Type.String())},
			}
		case errors.Is(err, io.ErrUnexpectedEOF):
			return messages.Errorf(messages.CodeBadRequest, "malformed JSON: unexpected end of input")
		default:
			return messages.Errorf(messages.CodeBadRequest, "malformed JSON: %v", err)
		}
	}
	if dec.More() {
		return messages.Errorf(messages.CodeBadRequest, "malformed JSON: trailing data after the value")
	}
	return nil
}

func jsonType(goType string) string {
	switch goType {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "float64", "int", "int64", "json.Number":
		return "a number"
	}
	return "of type " + goType
}
