package auth

import (
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// HashPassword returns the bcrypt hash of password at the given cost (bcrypt.DefaultCost, 10,
// when cost <= 0; bcrypt.MinCost, 4, is for tests only).
func HashPassword(password string, cost int) ([]byte, error) {
	if cost <= 0 {
		cost = bcrypt.DefaultCost
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	return h, nil
}

// dummyHash is compared against when a username is unknown, so a login for an unknown name costs
// the same bcrypt time as one for a known name.
var dummyHash = []byte("$2a$10$pes0uYbUHstonVO4PxqueOW32ToKMZTvY6lD5R1xqGOFi4P6G/5Si")

// CheckPassword reports whether password matches hash. A nil hash is compared against a dummy
// hash and always fails, taking the same time.
func CheckPassword(hash []byte, password string) bool {
	if hash == nil {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return false
	}
	return bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
}
