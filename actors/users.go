package actors

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/topoforge/topoforge/auth"
	"github.com/topoforge/topoforge/messages"
)

// Key prefixes owned by the users actor (see persistence/FORMAT.md).
const (
	userPrefix    = "user/"
	apiKeyPrefix  = "apikey/"
	refreshPrefix = "refresh/"
)

// userRecord is a user as stored under user/<id>.
type userRecord struct {
	messages.User
	PasswordHash []byte `json:"password_hash"`
}

// apiKeyRecord is an API key as stored under apikey/<id>; Hash is hex SHA-256 of the key.
type apiKeyRecord struct {
	messages.APIKey
	Hash string `json:"hash"`
}

// refreshRecord is a refresh-token ID as stored under refresh/<jti>. Used JTIs are kept until
// they expire, so presenting one again is detected as reuse.
type refreshRecord struct {
	UserID    string    `json:"user_id"`
	ExpiresAt time.Time `json:"expires_at"`
	Used      bool      `json:"used"`
}

// users owns accounts, API keys, refresh-token IDs and login-failure counters.
type users struct {
	cfg      Config
	log      *slog.Logger
	byID     map[string]*userRecord
	byName   map[string]string // normalised username → ID
	keys     map[string]*apiKeyRecord
	keyHash  map[[32]byte]string // key hash → key ID
	refresh  map[string]*refreshRecord
	failures map[string][]time.Time // normalised username → recent failed logins
}

func newUsers(cfg Config) actor.Actor {
	return &users{cfg: cfg, log: cfg.Logger.With("actor", "users")}
}

// Receive implements actor.Actor.
func (u *users) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		if err := u.load(); err != nil {
			panic(fmt.Errorf("users: load: %w", err)) // the supervisor retries, then stops us
		}
	case *statsProbe:
		ctx.Respond(&messages.StatsReply{Counters: map[string]int64{"users": int64(len(u.byID))}})
	case *messages.Stats:
		ctx.Respond(&messages.StatsReply{Counters: map[string]int64{
			"users": int64(len(u.byID)), "api_keys": int64(len(u.keys)),
		}})
	case *messages.Ping:
		pctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err := u.cfg.Store.Ping(pctx)
		cancel()
		if err != nil {
			u.log.Error("store ping", "err", err)
			ctx.Respond(&messages.Ack{Err: messages.Errorf(messages.CodeUnavailable, "store does not answer")})
			return
		}
		ctx.Respond(&messages.Ack{})
	case *messages.RegisterUser:
		ctx.Respond(u.register(m))
	case *messages.GetLoginCandidate:
		ctx.Respond(u.loginCandidate(m))
	case *messages.LoginAttempt:
		ctx.Respond(u.loginAttempt(m))
	case *messages.RotateRefresh:
		ctx.Respond(u.rotate(m))
	case *messages.GetUser:
		rec, ok := u.byID[m.ID]
		if !ok {
			ctx.Respond(&messages.UserReply{Err: messages.Errorf(messages.CodeNotFound, "user %s not found", m.ID)})
			return
		}
		ctx.Respond(&messages.UserReply{User: rec.User})
	case *messages.ListUsers:
		list := make([]messages.User, 0, len(u.byID))
		for _, r := range u.byID {
			list = append(list, r.User)
		}
		slices.SortFunc(list, func(a, b messages.User) int {
			return cmpTimeID(a.CreatedAt, b.CreatedAt, a.ID, b.ID)
		})
		ctx.Respond(&messages.UserList{Users: list})
	case *messages.SetRole:
		ctx.Respond(u.setRole(m))
	case *messages.CreateAPIKey:
		ctx.Respond(u.createKey(m))
	case *messages.ListAPIKeys:
		ctx.Respond(u.listKeys(m))
	case *messages.RevokeAPIKey:
		ctx.Respond(u.revokeKey(m))
	case *messages.ResolveAPIKey:
		ctx.Respond(u.resolveKey(m))
	}
}

func cmpTimeID(a, b time.Time, ida, idb string) int {
	if c := a.Compare(b); c != 0 {
		return c
	}
	return strings.Compare(ida, idb)
}

func (u *users) load() error {
	u.byID = map[string]*userRecord{}
	u.byName = map[string]string{}
	u.keys = map[string]*apiKeyRecord{}
	u.keyHash = map[[32]byte]string{}
	u.refresh = map[string]*refreshRecord{}
	u.failures = map[string][]time.Time{}
	var decodeErr error
	err := u.cfg.Store.Scan([]byte(userPrefix), nil, func(k, v []byte) bool {
		var r userRecord
		if decodeErr = json.Unmarshal(v, &r); decodeErr != nil {
			decodeErr = fmt.Errorf("decode %s: %w", k, decodeErr)
			return false
		}
		u.byID[r.ID] = &r
		u.byName[auth.NormalizeUsername(r.Username)] = r.ID
		return true
	})
	if err = firstErr(err, decodeErr); err != nil {
		return err
	}
	err = u.cfg.Store.Scan([]byte(apiKeyPrefix), nil, func(k, v []byte) bool {
		var r apiKeyRecord
		if decodeErr = json.Unmarshal(v, &r); decodeErr != nil {
			decodeErr = fmt.Errorf("decode %s: %w", k, decodeErr)
			return false
		}
		var h [32]byte
		if n, err := hex.Decode(h[:], []byte(r.Hash)); err != nil || n != 32 {
			decodeErr = fmt.Errorf("decode %s: bad hash", k)
			return false
		}
		u.keys[r.ID] = &r
		u.keyHash[h] = r.ID
		return true
	})
	if err = firstErr(err, decodeErr); err != nil {
		return err
	}
	now := u.cfg.Now()
	var expired [][]byte
	err = u.cfg.Store.Scan([]byte(refreshPrefix), nil, func(k, v []byte) bool {
		var r refreshRecord
		if decodeErr = json.Unmarshal(v, &r); decodeErr != nil {
			decodeErr = fmt.Errorf("decode %s: %w", k, decodeErr)
			return false
		}
		if now.After(r.ExpiresAt) {
			expired = append(expired, []byte(string(k)))
			return true
		}
		u.refresh[string(k[len(refreshPrefix):])] = &r
		return true
	})
	if err = firstErr(err, decodeErr); err != nil {
		return err
	}
	if len(expired) > 0 {
		if err := u.cfg.Store.Write(expired, make([][]byte, len(expired))); err != nil {
			return fmt.Errorf("drop expired refresh tokens: %w", err)
		}
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// put marshals v and writes it under key; the error is a CodeInternal reply error.
func (u *users) put(keys []string, vals []any) *messages.Error {
	kb := make([][]byte, len(keys))
	vb := make([][]byte, len(keys))
	for i, k := range keys {
		kb[i] = []byte(k)
		if vals[i] != nil {
			b, err := json.Marshal(vals[i])
			if err != nil {
				u.log.Error("encode record", "key", k, "err", err)
				return messages.Errorf(messages.CodeInternal, "internal error")
			}
			vb[i] = b
		}
	}
	if err := u.cfg.Store.Write(kb, vb); err != nil {
		u.log.Error("store write", "keys", keys, "err", err)
		return messages.Errorf(messages.CodeInternal, "storage error")
	}
	return nil
}

func (u *users) register(m *messages.RegisterUser) *messages.UserReply {
	norm := auth.NormalizeUsername(m.Username)
	if _, taken := u.byName[norm]; taken {
		return &messages.UserReply{Err: &messages.Error{
			Code: messages.CodeConflict, Message: fmt.Sprintf("username %q is already taken", m.Username),
			Details: map[string]any{"field": "username"},
		}}
	}
	role := messages.RoleUser
	if len(u.byID) == 0 {
		role = messages.RoleAdmin
	}
	rec := &userRecord{
		User: messages.User{
			ID: auth.NewID("usr_"), Username: m.Username, Email: m.Email, Role: role,
			CreatedAt: u.cfg.Now().UTC(),
		},
		PasswordHash: m.PasswordHash,
	}
	if err := u.put([]string{userPrefix + rec.ID}, []any{rec}); err != nil {
		return &messages.UserReply{Err: err}
	}
	u.byID[rec.ID] = rec
	u.byName[norm] = rec.ID
	return &messages.UserReply{User: rec.User}
}

// lockedFor returns how long the name stays locked, pruning failures outside the window.
func (u *users) lockedFor(norm string) time.Duration {
	now := u.cfg.Now()
	f := u.failures[norm]
	i := 0
	for i < len(f) && now.Sub(f[i]) >= u.cfg.LoginWindow {
		i++
	}
	f = f[i:]
	if len(f) == 0 {
		delete(u.failures, norm)
		return 0
	}
	u.failures[norm] = f
	if len(f) < u.cfg.LoginMaxFailures {
		return 0
	}
	// Locked until the oldest counted failure leaves the window.
	return f[len(f)-u.cfg.LoginMaxFailures].Add(u.cfg.LoginWindow).Sub(now)
}

func lockedErr(d time.Duration) *messages.Error {
	secs := int((d + time.Second - 1) / time.Second)
	return &messages.Error{
		Code:       messages.CodeRateLimited,
		Message:    fmt.Sprintf("too many failed logins for this username; try again in %d s", secs),
		RetryAfter: secs,
	}
}

func (u *users) loginCandidate(m *messages.GetLoginCandidate) *messages.LoginCandidate {
	norm := auth.NormalizeUsername(m.Username)
	if d := u.lockedFor(norm); d > 0 {
		return &messages.LoginCandidate{Err: lockedErr(d)}
	}
	id, ok := u.byName[norm]
	if !ok {
		return &messages.LoginCandidate{Err: messages.Errorf(messages.CodeUnauthorized, "invalid username or password")}
	}
	r := u.byID[id]
	return &messages.LoginCandidate{User: r.User, PasswordHash: r.PasswordHash}
}

func (u *users) loginAttempt(m *messages.LoginAttempt) *messages.LoginResult {
	norm := auth.NormalizeUsername(m.Username)
	if !m.OK {
		u.failures[norm] = append(u.failures[norm], u.cfg.Now())
		if d := u.lockedFor(norm); d > 0 {
			return &messages.LoginResult{Err: lockedErr(d)}
		}
		return &messages.LoginResult{Err: messages.Errorf(messages.CodeUnauthorized, "invalid username or password")}
	}
	if d := u.lockedFor(norm); d > 0 {
		return &messages.LoginResult{Err: lockedErr(d)}
	}
	id, ok := u.byName[norm]
	if !ok {
		return &messages.LoginResult{Err: messages.Errorf(messages.CodeUnauthorized, "invalid username or password")}
	}
	delete(u.failures, norm)
	rec := &refreshRecord{UserID: id, ExpiresAt: m.ExpiresAt}
	if err := u.put([]string{refreshPrefix + m.RefreshJTI}, []any{rec}); err != nil {
		return &messages.LoginResult{Err: err}
	}
	u.refresh[m.RefreshJTI] = rec
	return &messages.LoginResult{User: u.byID[id].User}
}

func (u *users) rotate(m *messages.RotateRefresh) *messages.LoginResult {
	invalid := &messages.LoginResult{Err: messages.Errorf(messages.CodeUnauthorized, "refresh token is invalid, expired or already used")}
	old, ok := u.refresh[m.OldJTI]
	if !ok || old.UserID != m.UserID || u.cfg.Now().After(old.ExpiresAt) {
		return invalid
	}
	user, ok := u.byID[m.UserID]
	if !ok {
		return invalid
	}
	if old.Used {
		// Reuse of a rotated token: someone holds a stolen copy. Revoke every live token of
		// this user so both parties must log in again.
		var keys []string
		var vals []any
		for jti, r := range u.refresh {
			if r.UserID == m.UserID && !r.Used {
				keys = append(keys, refreshPrefix+jti)
				vals = append(vals, &refreshRecord{UserID: r.UserID, ExpiresAt: r.ExpiresAt, Used: true})
			}
		}
		slices.Sort(keys)
		if len(keys) > 0 {
			if err := u.put(keys, vals); err != nil {
				return &messages.LoginResult{Err: err}
			}
			for _, k := range keys {
				u.refresh[k[len(refreshPrefix):]].Used = true
			}
		}
		u.log.Warn("refresh token reuse detected; user's refresh tokens revoked", "user", m.UserID)
		return invalid
	}
	usedRec := &refreshRecord{UserID: old.UserID, ExpiresAt: old.ExpiresAt, Used: true}
	newRec := &refreshRecord{UserID: m.UserID, ExpiresAt: m.ExpiresAt}
	if err := u.put([]string{refreshPrefix + m.OldJTI, refreshPrefix + m.NewJTI}, []any{usedRec, newRec}); err != nil {
		return &messages.LoginResult{Err: err}
	}
	u.refresh[m.OldJTI] = usedRec
	u.refresh[m.NewJTI] = newRec
	return &messages.LoginResult{User: user.User}
}

func (u *users) setRole(m *messages.SetRole) *messages.UserReply {
	r, ok := u.byID[m.ID]
	if !ok {
		return &messages.UserReply{Err: messages.Errorf(messages.CodeNotFound, "user %s not found", m.ID)}
	}
	if !m.Role.Valid() {
		return &messages.UserReply{Err: messages.FieldError("role", "must be one of admin, user, viewer")}
	}
	updated := *r
	updated.Role = m.Role
	if err := u.put([]string{userPrefix + r.ID}, []any{&updated}); err != nil {
		return &messages.UserReply{Err: err}
	}
	u.byID[r.ID] = &updated
	return &messages.UserReply{User: updated.User}
}

func (u *users) createKey(m *messages.CreateAPIKey) *messages.APIKeyReply {
	if _, ok := u.byID[m.UserID]; !ok {
		return &messages.APIKeyReply{Err: messages.Errorf(messages.CodeNotFound, "user %s not found", m.UserID)}
	}
	rec := &apiKeyRecord{
		APIKey: messages.APIKey{
			ID: auth.NewID("key_"), Name: m.Name, Description: m.Description, Prefix: m.Prefix,
			UserID: m.UserID, CreatedAt: u.cfg.Now().UTC(),
		},
		Hash: hex.EncodeToString(m.Hash[:]),
	}
	if err := u.put([]string{apiKeyPrefix + rec.ID}, []any{rec}); err != nil {
		return &messages.APIKeyReply{Err: err}
	}
	u.keys[rec.ID] = rec
	u.keyHash[m.Hash] = rec.ID
	return &messages.APIKeyReply{Key: rec.APIKey}
}

func (u *users) listKeys(m *messages.ListAPIKeys) *messages.APIKeyList {
	var list []messages.APIKey
	for _, k := range u.keys {
		if m.All || k.UserID == m.UserID {
			list = append(list, k.APIKey)
		}
	}
	slices.SortFunc(list, func(a, b messages.APIKey) int { return cmpTimeID(a.CreatedAt, b.CreatedAt, a.ID, b.ID) })
	return &messages.APIKeyList{Keys: list}
}

func (u *users) revokeKey(m *messages.RevokeAPIKey) *messages.Ack {
	k, ok := u.keys[m.ID]
	if !ok {
		return &messages.Ack{Err: messages.Errorf(messages.CodeNotFound, "API key %s not found", m.ID)}
	}
	if k.UserID != m.Principal.UserID && m.Principal.Role != messages.RoleAdmin {
		return &messages.Ack{Err: messages.Errorf(messages.CodeForbidden, "API key %s belongs to another user", m.ID)}
	}
	if err := u.put([]string{apiKeyPrefix + k.ID}, []any{nil}); err != nil {
		return &messages.Ack{Err: err}
	}
	var h [32]byte
	_, _ = hex.Decode(h[:], []byte(k.Hash))
	delete(u.keyHash, h)
	delete(u.keys, k.ID)
	return &messages.Ack{}
}

func (u *users) resolveKey(m *messages.ResolveAPIKey) *messages.PrincipalReply {
	id, ok := u.keyHash[m.Hash]
	if !ok {
		return &messages.PrincipalReply{Err: messages.Errorf(messages.CodeUnauthorized, "invalid API key")}
	}
	k := u.keys[id]
	usr, ok := u.byID[k.UserID]
	if !ok {
		return &messages.PrincipalReply{Err: messages.Errorf(messages.CodeUnauthorized, "invalid API key")}
	}
	return &messages.PrincipalReply{Principal: messages.Principal{
		UserID: usr.ID, Username: usr.Username, Role: usr.Role, APIKeyID: k.ID,
	}}
}
