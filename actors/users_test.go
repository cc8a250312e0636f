package actors_test

import (
	"sync"
	"testing"
	"time"

	"github.com/topoforge/topoforge/actors"
	"github.com/topoforge/topoforge/messages"
	"github.com/topoforge/topoforge/persistence"
)

// clock is a settable time source for lockout tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// MustStart starts an engine on a Badger in dir and stops it at test end.
func MustStart(tb testing.TB, dir string, now func() time.Time) *actors.Engine {
	tb.Helper()
	st, err := persistence.Open(persistence.SmallOptions(dir))
	if err != nil {
		tb.Fatal(err)
	}
	e, err := actors.Start(actors.Config{Store: st, Now: now})
	if err != nil {
		_ = st.Close()
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		_ = e.Stop()
		_ = st.Close()
	})
	return e
}

func ask[T any](tb testing.TB, e *actors.Engine, msg any) T {
	tb.Helper()
	res, err := e.Root.RequestFuture(e.Users, msg, 5*time.Second).Result()
	if err != nil {
		tb.Fatalf("ask %T: %v", msg, err)
	}
	return res.(T)
}

func TestUsersRegisterRolesAndRestart(t *testing.T) {
	dir := t.TempDir()
	st, err := persistence.Open(persistence.SmallOptions(dir))
	if err != nil {
		t.Fatal(err)
	}
	e, err := actors.Start(actors.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	first := ask[*messages.UserReply](t, e, &messages.RegisterUser{Username: "Alice", Email: "a@x.io", PasswordHash: []byte("h1")})
	second := ask[*messages.UserReply](t, e, &messages.RegisterUser{Username: "bob", Email: "b@x.io", PasswordHash: []byte("h2")})
	dup := ask[*messages.UserReply](t, e, &messages.RegisterUser{Username: "alice", Email: "c@x.io", PasswordHash: []byte("h3")})
	if first.Err != nil || first.User.Role != messages.RoleAdmin {
		t.Fatalf("first user = %+v, want admin", first)
	}
	if second.Err != nil || second.User.Role != messages.RoleUser {
		t.Fatalf("second user = %+v, want user", second)
	}
	if dup.Err == nil || dup.Err.Code != messages.CodeConflict {
		t.Fatalf("duplicate (case-insensitive) = %+v, want conflict", dup.Err)
	}
	_ = e.Stop()
	_ = st.Close()

	e2 := MustStart(t, dir, nil)
	list := ask[*messages.UserList](t, e2, &messages.ListUsers{})
	if len(list.Users) != 2 || list.Users[0].Username != "Alice" || list.Users[1].Username != "bob" {
		t.Fatalf("after restart users = %+v", list.Users)
	}
	c := ask[*messages.LoginCandidate](t, e2, &messages.GetLoginCandidate{Username: "ALICE"})
	if c.Err != nil || string(c.PasswordHash) != "h1" {
		t.Fatalf("candidate after restart = %+v", c)
	}
}

func TestUsersLockout(t *testing.T) {
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	e := MustStart(t, t.TempDir(), clk.now)
	ask[*messages.UserReply](t, e, &messages.RegisterUser{Username: "carol", Email: "c@x.io", PasswordHash: []byte("h")})
	for i := range 5 {
		r := ask[*messages.LoginResult](t, e, &messages.LoginAttempt{Username: "carol"})
		want := messages.CodeUnauthorized
		if i == 4 {
			want = messages.CodeRateLimited
		}
		if r.Err == nil || r.Err.Code != want {
			t.Fatalf("failure %d: %+v, want %v", i+1, r.Err, want)
		}
		clk.add(time.Minute)
	}
	c := ask[*messages.LoginCandidate](t, e, &messages.GetLoginCandidate{Username: "carol"})
	if c.Err == nil || c.Err.Code != messages.CodeRateLimited || c.Err.RetryAfter <= 0 || c.Err.RetryAfter > 15*60 {
		t.Fatalf("locked candidate = %+v", c.Err)
	}
	clk.add(15 * time.Minute)
	c = ask[*messages.LoginCandidate](t, e, &messages.GetLoginCandidate{Username: "carol"})
	if c.Err != nil {
		t.Fatalf("after the window the name is still locked: %+v", c.Err)
	}
}

func TestUsersRefreshRotationAndReuse(t *testing.T) {
	e := MustStart(t, t.TempDir(), nil)
	u := ask[*messages.UserReply](t, e, &messages.RegisterUser{Username: "dave", Email: "d@x.io", PasswordHash: []byte("h")})
	exp := time.Now().Add(time.Hour)
	if r := ask[*messages.LoginResult](t, e, &messages.LoginAttempt{Username: "dave", OK: true, RefreshJTI: "j1", ExpiresAt: exp}); r.Err != nil {
		t.Fatal(r.Err)
	}
	if r := ask[*messages.LoginResult](t, e, &messages.RotateRefresh{UserID: u.User.ID, OldJTI: "j1", NewJTI: "j2", ExpiresAt: exp}); r.Err != nil {
		t.Fatalf("first rotation: %v", r.Err)
	}
	if r := ask[*messages.LoginResult](t, e, &messages.RotateRefresh{UserID: u.User.ID, OldJTI: "j1", NewJTI: "j3", ExpiresAt: exp}); r.Err == nil {
		t.Fatal("rotation of a used JTI succeeded")
	}
	// Reuse revoked the whole family: j2 is dead too.
	if r := ask[*messages.LoginResult](t, e, &messages.RotateRefresh{UserID: u.User.ID, OldJTI: "j2", NewJTI: "j4", ExpiresAt: exp}); r.Err == nil {
		t.Fatal("after reuse detection j2 still rotates")
	}
}

func TestUsersAPIKeys(t *testing.T) {
	e := MustStart(t, t.TempDir(), nil)
	admin := ask[*messages.UserReply](t, e, &messages.RegisterUser{Username: "root", Email: "r@x.io", PasswordHash: []byte("h")}).User
	eve := ask[*messages.UserReply](t, e, &messages.RegisterUser{Username: "eve", Email: "e@x.io", PasswordHash: []byte("h")}).User
	h := [32]byte{1, 2, 3}
	k := ask[*messages.APIKeyReply](t, e, &messages.CreateAPIKey{UserID: admin.ID, Name: "ci", Hash: h})
	if k.Err != nil {
		t.Fatal(k.Err)
	}
	p := ask[*messages.PrincipalReply](t, e, &messages.ResolveAPIKey{Hash: h})
	if p.Err != nil || p.Principal.UserID != admin.ID || p.Principal.APIKeyID != k.Key.ID {
		t.Fatalf("resolve = %+v", p)
	}
	evePrincipal := messages.Principal{UserID: eve.ID, Role: messages.RoleUser}
	if a := ask[*messages.Ack](t, e, &messages.RevokeAPIKey{ID: k.Key.ID, Principal: evePrincipal}); a.Err == nil || a.Err.Code != messages.CodeForbidden {
		t.Fatalf("revoke by another user = %+v, want forbidden", a.Err)
	}
	if l := ask[*messages.APIKeyList](t, e, &messages.ListAPIKeys{UserID: eve.ID}); len(l.Keys) != 0 {
		t.Fatalf("eve sees %d keys, want 0", len(l.Keys))
	}
	adminPrincipal := messages.Principal{UserID: admin.ID, Role: messages.RoleAdmin}
	if a := ask[*messages.Ack](t, e, &messages.RevokeAPIKey{ID: k.Key.ID, Principal: adminPrincipal}); a.Err != nil {
		t.Fatal(a.Err)
	}
	if p := ask[*messages.PrincipalReply](t, e, &messages.ResolveAPIKey{Hash: h}); p.Err == nil {
		t.Fatal("revoked key still resolves")
	}
}
