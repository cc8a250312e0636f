package http

import (
	"encoding/json"
	"testing"

	"github.com/valyala/fastjson"

	"github.com/topoforge/topoforge/messages"
)

// FuzzAuthBodies feeds arbitrary bytes to the auth request decoders and validators: they must
// never panic, and every failure must be a 400 or 422 with a message.
func FuzzAuthBodies(f *testing.F) {
	for _, seed := range []string{
		`{"username":"alice","email":"a@example.com","password":"password1"}`,
		`{"username":"alice","password":"pw"}`,
		`{"refresh_token":"eyJhbGciOiJIUzI1NiJ9.e30.x"}`,
		`{"name":"ci","description":"key"}`,
		`{"username":5}`, `[]`, `null`, `{"username":"\u0000"}`, `{} {}`, `{"a":`, "\xff\xfe", ``,
		`{"username":"` + "é" + `","email":"x@y.z","password":"12345678"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		check := func(e *messages.Error) {
			if e == nil {
				return
			}
			if e.Code != messages.CodeBadRequest && e.Code != messages.CodeValidation {
				t.Fatalf("decode %q: code %v", body, e.Code)
			}
			if e.Message == "" {
				t.Fatalf("decode %q: empty message", body)
			}
		}
		var r registerRequest
		if e := decodeJSONBytes(body, &r); e != nil {
			check(e)
		} else {
			check(r.validate())
		}
		var l loginRequest
		check(decodeJSONBytes(body, &l))
		var rf refreshRequest
		check(decodeJSONBytes(body, &rf))
		var k apiKeyRequest
		check(decodeJSONBytes(body, &k))
	})
}

// FuzzRowsEnvelope feeds arbitrary bodies to the detect request's envelope check: it never
// panics, fails only with 400 or 422 and a message, and what it returns is a JSON array.
func FuzzRowsEnvelope(f *testing.F) {
	for _, seed := range []string{`{"data":[{"a":1}]}`, `{"data":{}}`, `{"x":1}`, `[]`, `{"data":[.]}`, `{"data":[1]} x`, ``, " \n"} {
		f.Add([]byte(seed))
	}
	var pool fastjson.ParserPool
	f.Fuzz(func(t *testing.T, body []byte) {
		data, e := rowsEnvelope(&pool, body)
		if e != nil {
			if (e.Code != messages.CodeBadRequest && e.Code != messages.CodeValidation) || e.Message == "" {
				t.Fatalf("rowsEnvelope(%q): %v %q", body, e.Code, e.Message)
			}
			return
		}
		var v []any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatalf("rowsEnvelope(%q) = %q: not a JSON array: %v", body, data, err)
		}
	})
}
