package auth

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token kinds, carried in the "typ" claim so a refresh token is never accepted as an access token.
const (
	KindAccess  = "access"
	KindRefresh = "refresh"
)

// Claims are TopoForge's JWT claims.
type Claims struct {
	jwt.RegisteredClaims
	Username string `json:"usr"`
	Role     string `json:"role"`
	Kind     string `json:"typ"`
}

// Issuer signs and verifies tokens with one HMAC-SHA256 secret.
type Issuer struct {
	secret     []byte
	accessTTL  time.Duration
	refreshTTL time.Duration
	now        func() time.Time
}

// MinSecretLen is the shortest accepted signing secret, in bytes.
const MinSecretLen = 32

// NewIssuer returns an Issuer. secret must hold at least MinSecretLen bytes; accessTTL defaults
// to 1 hour and refreshTTL to 30 days when <= 0.
func NewIssuer(secret []byte, accessTTL, refreshTTL time.Duration) (*Issuer, error) {
	if len(secret) < MinSecretLen {
		return nil, fmt.Errorf("jwt secret has %d bytes, need at least %d", len(secret), MinSecretLen)
	}
	if accessTTL <= 0 {
		accessTTL = time.Hour
	}
	if refreshTTL <= 0 {
		refreshTTL = 30 * 24 * time.Hour
	}
	return &Issuer{secret: secret, accessTTL: accessTTL, refreshTTL: refreshTTL, now: time.Now}, nil
}

// AccessTTL is how long an access token lives.
func (is *Issuer) AccessTTL() time.Duration { return is.accessTTL }

// RefreshTTL is how long a refresh token lives.
func (is *Issuer) RefreshTTL() time.Duration { return is.refreshTTL }

// Sign returns a signed token of the kind for the user, with the given ID (jti) and expiry.
func (is *Issuer) Sign(kind, userID, username, role, jti string, expires time.Time) (string, error) {
	now := is.now()
	c := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   userID,
			ID:        jti,
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now.Add(-time.Second)),
			ExpiresAt: jwt.NewNumericDate(expires),
			Issuer:    "topoforge",
		},
		Username: username,
		Role:     role,
		Kind:     kind,
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(is.secret)
	if err != nil {
		return "", fmt.Errorf("sign %s token: %w", kind, err)
	}
	return s, nil
}

// ErrInvalidToken is returned by Verify for a token that is malformed, badly signed, expired or
// of the wrong kind.
var ErrInvalidToken = errors.New("invalid or expired token")

// Verify parses a token, checks its signature (HS256 only), expiry and kind, and returns its claims.
func (is *Issuer) Verify(token, kind string) (*Claims, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return is.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer("topoforge"),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(is.now),
	)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	if c.Kind != kind || c.Subject == "" {
		return nil, fmt.Errorf("%w: not an %s token", ErrInvalidToken, kind)
	}
	return &c, nil
}

// NewID returns prefix + 16 random hex characters, e.g. "usr_9f86d081884c7d65".
func NewID(prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return prefix + hex.EncodeToString(b[:])
}

// NewSecret returns n random bytes, for a generated JWT secret.
func NewSecret(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}
