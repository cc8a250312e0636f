package messages_test

import (
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/topoforge/topoforge/messages"
)

// TestCodeNamesAreStable pins the wire names: the list is append-only.
func TestCodeNamesAreStable(t *testing.T) {
	want := map[messages.Code]string{
		messages.CodeInternal: "INTERNAL_ERROR", messages.CodeBadRequest: "BAD_REQUEST",
		messages.CodeUnauthorized: "UNAUTHORIZED", messages.CodeForbidden: "FORBIDDEN",
		messages.CodeNotFound: "NOT_FOUND", messages.CodeConflict: "CONFLICT",
		messages.CodeTooLarge: "PAYLOAD_TOO_LARGE", messages.CodeUnsupportedType: "UNSUPPORTED_MEDIA_TYPE",
		messages.CodeValidation: "VALIDATION_ERROR", messages.CodeRateLimited: "RATE_LIMITED",
	}
	for c, name := range want {
		if c.String() != name {
			t.Errorf("Code(%d).String() = %s, want %s", int(c), c, name)
		}
	}
	if got := messages.Code(999).String(); got != "CODE_999" {
		t.Errorf("unknown code = %s", got)
	}
}

func TestProtoRoundTrip(t *testing.T) {
	in := &messages.DetectRows{DetectorId: "det_1", UserId: "usr_1", Role: "user", RowsJson: []byte(`[{"a":1}]`), StoreResults: true}
	b, err := proto.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out messages.DetectRows
	if err := proto.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(in, &out) {
		t.Errorf("round trip = %v, want %v", &out, in)
	}
}
