package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// APIKeyPrefix starts every API key, so leaked keys are easy to recognise in logs and scanners.
const APIKeyPrefix = "tfk_"

// NewAPIKey returns a new random API key (APIKeyPrefix + 43 base64url characters, 256 bits of
// entropy), the short prefix shown in listings, and the SHA-256 hash under which it is stored.
// Keys are high-entropy, so a fast hash is safe; the key itself is never stored.
func NewAPIKey() (key, shown string, hash [32]byte) {
	var b [32]byte
	_, _ = rand.Read(b[:])
	key = APIKeyPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return key, key[:len(APIKeyPrefix)+6], sha256.Sum256([]byte(key))
}

// HashAPIKey returns the SHA-256 hash of a presented key and whether it has the key shape.
func HashAPIKey(key string) (hash [32]byte, ok bool) {
	if !strings.HasPrefix(key, APIKeyPrefix) || len(key) != len(APIKeyPrefix)+43 {
		return hash, false
	}
	return sha256.Sum256([]byte(key)), true
}
