package messages

import "fmt"

// Code classifies an error reply. The list is append-only: codes are never reordered or reused,
// because their names travel to clients in the error body.
type Code int

// The error codes. Each names the HTTP status the API layer maps it to.
const (
	CodeInternal         Code = iota // 500: an internal failure; the message never holds internals
	CodeBadRequest                   // 400: the body or a parameter is malformed
	CodeUnauthorized                 // 401: credentials are missing, invalid or expired
	CodeForbidden                    // 403: the principal's role or ownership does not allow it
	CodeNotFound                     // 404: no such resource or route
	CodeConflict                     // 409: duplicate, or the resource is in the wrong state
	CodeTooLarge                     // 413: the body or an upload exceeds a limit
	CodeUnsupportedType              // 415: the Content-Type is not accepted
	CodeValidation                   // 422: a field is semantically invalid; Details name it
	CodeRateLimited                  // 429: too many requests or login attempts
	CodeMethodNotAllowed             // 405: the route exists with another method
	CodeUnavailable                  // 503: shutting down or a dependency is down
	CodeTimeout                      // 504: an actor did not answer in time
)

var codeNames = [...]string{
	CodeInternal:         "INTERNAL_ERROR",
	CodeBadRequest:       "BAD_REQUEST",
	CodeUnauthorized:     "UNAUTHORIZED",
	CodeForbidden:        "FORBIDDEN",
	CodeNotFound:         "NOT_FOUND",
	CodeConflict:         "CONFLICT",
	CodeTooLarge:         "PAYLOAD_TOO_LARGE",
	CodeUnsupportedType:  "UNSUPPORTED_MEDIA_TYPE",
	CodeValidation:       "VALIDATION_ERROR",
	CodeRateLimited:      "RATE_LIMITED",
	CodeMethodNotAllowed: "METHOD_NOT_ALLOWED",
	CodeUnavailable:      "SERVICE_UNAVAILABLE",
	CodeTimeout:          "TIMEOUT",
}

// String returns the code's wire name, such as "VALIDATION_ERROR".
func (c Code) String() string {
	if c >= 0 && int(c) < len(codeNames) {
		return codeNames[c]
	}
	return fmt.Sprintf("CODE_%d", int(c))
}

// Error is the typed error an actor replies with. Details, when set, names the offending field
// ("field") and what is wrong with it ("issue"), or other structured facts such as a limit.
type Error struct {
	Code    Code
	Message string
	Details map[string]any
	// RetryAfter, when positive, is the number of seconds a client should wait (CodeRateLimited).
	RetryAfter int
}

// Error returns the message prefixed with the code name.
func (e *Error) Error() string { return e.Code.String() + ": " + e.Message }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns a CodeValidation error that names the field and the issue, the contract's
// shape for a 422.
func FieldError(field, issue string) *Error {
	return &Error{
		Code:    CodeValidation,
		Message: fmt.Sprintf("invalid %s: %s", field, issue),
		Details: map[string]any{"field": field, "issue": issue},
	}
}
