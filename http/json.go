package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"

	"github.com/valyala/fasthttp"

	"github.com/topoforge/topoforge/messages"
)

// decodeJSON checks the Content-Type and size, then decodes the body into v. Unknown fields are
// ignored; a body with trailing data after the JSON value is malformed.
func (s *Server) decodeJSON(ctx *fasthttp.RequestCtx, v any) *messages.Error {
	return s.decodeJSONLimit(ctx, v, s.cfg.MaxBodyBytes)
}

// decodeJSONLimit is decodeJSON with another body limit.
func (s *Server) decodeJSONLimit(ctx *fasthttp.RequestCtx, v any, limit int) *messages.Error {
	ct := string(ctx.Request.Header.ContentType())
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != "application/json" {
		return &messages.Error{
			Code:    messages.CodeUnsupportedType,
			Message: "Content-Type must be application/json",
			Details: map[string]any{"content_type": ct},
		}
	}
	body := ctx.PostBody()
	if len(body) > limit {
		return &messages.Error{
			Code:    messages.CodeTooLarge,
			Message: fmt.Sprintf("request body exceeds the limit of %d bytes", limit),
			Details: map[string]any{"limit_bytes": limit},
		}
	}
	return decodeJSONBytes(body, v)
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
