package messages

import "time"

// Role is a principal's role. Viewers read only; users read and write what they own; admins see
// and change everything.
type Role string

// The roles.
const (
	RoleAdmin  Role = "admin"
	RoleUser   Role = "user"
	RoleViewer Role = "viewer"
)

// Valid reports whether r is one of the three roles.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleUser || r == RoleViewer }

// User is a registered account as replies show it; the password hash never leaves the users actor
// except inside LoginCandidate.
type User struct {
	ID        string    `json:"id"`
	Username  string    `json:"username"`
	Email     string    `json:"email"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
}

// Principal is who a request acts for: the user, the role, and the API key when one was used.
type Principal struct {
	UserID   string
	Username string
	Role     Role
	APIKeyID string
}

// RegisterUser asks the users actor to create an account. PasswordHash is a bcrypt hash computed
// by the caller: the plain password never enters the actor system. Reply: *UserReply.
type RegisterUser struct {
	Username     string
	Email        string
	PasswordHash []byte
}

// UserReply answers RegisterUser, GetUser and SetRole.
type UserReply struct {
	User User
	Err  *Error
}

// GetLoginCandidate asks for the stored hash of a username before a password check. Reply:
// *LoginCandidate. A locked name answers CodeRateLimited with RetryAfter.
type GetLoginCandidate struct {
	Username string
}

// LoginCandidate is the stored account for a username. Err is CodeUnauthorized for an unknown
// name (the caller still spends a bcrypt comparison so that timing does not reveal names).
type LoginCandidate struct {
	User         User
	PasswordHash []byte
	Err          *Error
}

// LoginAttempt reports the outcome of a password check. On success the actor records a new
// refresh-token ID (JTI) for the user; on failure it counts towards the lockout. Reply:
// *LoginResult.
type LoginAttempt struct {
	Username   string
	OK         bool
	RefreshJTI string
	ExpiresAt  time.Time
}

// LoginResult answers LoginAttempt.
type LoginResult struct {
	User User
	Err  *Error
}

// RotateRefresh exchanges a refresh-token ID for a new one. A JTI that is unknown or was already
// used answers CodeUnauthorized; reuse of a used JTI also revokes every refresh token of that
// user (token-family reuse detection). Reply: *LoginResult.
type RotateRefresh struct {
	UserID    string
	OldJTI    string
	NewJTI    string
	ExpiresAt time.Time
}

// GetUser asks for one user by ID. Reply: *UserReply.
type GetUser struct {
	ID string
}

// ListUsers asks for every user, ordered by creation. Reply: *UserList.
type ListUsers struct{}

// UserList answers ListUsers.
type UserList struct {
	Users []User
	Err   *Error
}

// SetRole changes a user's role (admin only; the caller checks). Reply: *UserReply.
type SetRole struct {
	ID   string
	Role Role
}

// APIKey is an API key's record as listings show it: never the key itself.
type APIKey struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Description string     `json:"description,omitempty"`
	Prefix      string     `json:"prefix"`
	UserID      string     `json:"user_id"`
	CreatedAt   time.Time  `json:"created_at"`
	LastUsedAt  *time.Time `json:"last_used_at,omitempty"`
}

// CreateAPIKey stores a new key's SHA-256 hash for the user. Reply: *APIKeyReply.
type CreateAPIKey struct {
	UserID      string
	Name        string
	Description string
	Prefix      string
	Hash        [32]byte
}

// APIKeyReply answers CreateAPIKey.
type APIKeyReply struct {
	Key APIKey
	Err *Error
}

// ListAPIKeys asks for a user's keys, or every key when All is set (admins). Reply: *APIKeyList.
type ListAPIKeys struct {
	UserID string
	All    bool
}

// APIKeyList answers ListAPIKeys.
type APIKeyList struct {
	Keys []APIKey
	Err  *Error
}

// RevokeAPIKey deletes a key at once. Only its owner or an admin may (Principal says who asks).
// Reply: *Ack.
type RevokeAPIKey struct {
	ID        string
	Principal Principal
}

// ResolveAPIKey looks up the principal of a key by its SHA-256 hash. Reply: *PrincipalReply.
type ResolveAPIKey struct {
	Hash [32]byte
}

// PrincipalReply answers ResolveAPIKey.
type PrincipalReply struct {
	Principal Principal
	Err       *Error
}

// Ack is the reply to a write that returns nothing but success or an error.
type Ack struct {
	Err *Error
}

// Stats asks an actor for its counters. Reply: *StatsReply.
type Stats struct{}

// StatsReply answers Stats with named counters.
type StatsReply struct {
	Counters map[string]int64
}

// Ping asks an actor to check its store, for health checks. Reply: *Ack.
type Ping struct{}
