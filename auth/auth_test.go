package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/topoforge/topoforge/auth"
)

func TestTokenRoundTripAndKinds(t *testing.T) {
	is, err := auth.NewIssuer(auth.NewSecret(32), time.Minute, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := is.Sign(auth.KindAccess, "usr_1", "alice", "admin", "j1", time.Now().Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	c, err := is.Verify(tok, auth.KindAccess)
	if err != nil {
		t.Fatal(err)
	}
	if c.Subject != "usr_1" || c.Username != "alice" || c.Role != "admin" || c.ID != "j1" {
		t.Errorf("Verify claims = %+v", c)
	}
	if _, err := is.Verify(tok, auth.KindRefresh); err == nil {
		t.Error("access token accepted as refresh token")
	}
	other, _ := auth.NewIssuer(auth.NewSecret(32), 0, 0)
	if _, err := other.Verify(tok, auth.KindAccess); err == nil {
		t.Error("token signed with another secret accepted")
	}
	expired, _ := is.Sign(auth.KindAccess, "usr_1", "alice", "admin", "j2", time.Now().Add(-time.Minute))
	if _, err := is.Verify(expired, auth.KindAccess); err == nil {
		t.Error("expired token accepted")
	}
	if _, err := is.Verify(tok[:len(tok)-2]+"xx", auth.KindAccess); err == nil {
		t.Error("tampered token accepted")
	}
	// alg "none" must never verify.
	none := "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + strings.Split(tok, ".")[1] + "."
	if _, err := is.Verify(none, auth.KindAccess); err == nil {
		t.Error("alg=none token accepted")
	}
}

func TestShortSecretRejected(t *testing.T) {
	if _, err := auth.NewIssuer([]byte("short"), 0, 0); err == nil {
		t.Error("NewIssuer with a 5-byte secret succeeded")
	}
}

func TestPasswords(t *testing.T) {
	h, err := auth.HashPassword("correct horse", 4)
	if err != nil {
		t.Fatal(err)
	}
	if !auth.CheckPassword(h, "correct horse") {
		t.Error("CheckPassword rejected the right password")
	}
	if auth.CheckPassword(h, "wrong horse!") {
		t.Error("CheckPassword accepted a wrong password")
	}
	if auth.CheckPassword(nil, "anything") {
		t.Error("CheckPassword(nil) accepted")
	}
}

func TestAPIKey(t *testing.T) {
	k, shown, h := auth.NewAPIKey()
	if !strings.HasPrefix(k, auth.APIKeyPrefix) || !strings.HasPrefix(k, shown) {
		t.Fatalf("NewAPIKey = %q, %q", k, shown)
	}
	h2, ok := auth.HashAPIKey(k)
	if !ok || h2 != h {
		t.Error("HashAPIKey(key) differs from NewAPIKey's hash")
	}
	if _, ok := auth.HashAPIKey("tfk_short"); ok {
		t.Error("HashAPIKey accepted a malformed key")
	}
	k2, _, _ := auth.NewAPIKey()
	if k2 == k {
		t.Error("two keys are equal")
	}
}

func TestValidation(t *testing.T) {
	f := func(name string, fn func(string) string, in string, ok bool) {
		t.Helper()
		if got := fn(in); (got == "") != ok {
			t.Errorf("%s(%q) = %q, want ok=%v", name, in, got, ok)
		}
	}
	f("username", auth.ValidateUsername, "alice_01", true)
	f("username", auth.ValidateUsername, "al", false)
	f("username", auth.ValidateUsername, strings.Repeat("a", 33), false)
	f("username", auth.ValidateUsername, "_alice", false)
	f("username", auth.ValidateUsername, "ali ce", false)
	f("username", auth.ValidateUsername, "alicé", false)
	f("email", auth.ValidateEmail, "a@example.com", true)
	f("email", auth.ValidateEmail, "Alice <a@example.com>", false)
	f("email", auth.ValidateEmail, "a@localhost", false)
	f("email", auth.ValidateEmail, "not-an-email", false)
	f("password", auth.ValidatePassword, "12345678", true)
	f("password", auth.ValidatePassword, "1234567", false)
	f("password", auth.ValidatePassword, strings.Repeat("x", 73), false)
}
