package auth

import (
	"net/mail"
	"strings"
	"unicode/utf8"
)

// Limits on registration fields.
const (
	MinUsernameLen = 3   // shortest username
	MaxUsernameLen = 32  // longest username
	MinPasswordLen = 8   // shortest password, in characters
	MaxPasswordLen = 72  // longest password in bytes: bcrypt ignores bytes past 72
	MaxEmailLen    = 254 // longest email address (RFC 5321 path limit)
)

// ValidateUsername returns "" when name is 3–32 characters of ASCII letters, digits, '_', '-'
// or '.', starting with a letter or digit; otherwise the issue.
func ValidateUsername(name string) string {
	if n := len(name); n < MinUsernameLen || n > MaxUsernameLen {
		return "must be 3 to 32 characters"
	}
	for i, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case (r == '_' || r == '-' || r == '.') && i > 0:
		default:
			return "may contain only letters, digits, '_', '-' and '.', and must start with a letter or digit"
		}
	}
	return ""
}

// ValidateEmail returns "" when email is a plain address (local@domain with a dot in the domain),
// otherwise the issue.
func ValidateEmail(email string) string {
	if len(email) == 0 || len(email) > MaxEmailLen {
		return "must be 1 to 254 characters"
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || a.Name != "" {
		return "must be an email address such as user@example.com"
	}
	at := strings.LastIndexByte(email, '@')
	if domain := email[at+1:]; !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "must be an email address such as user@example.com"
	}
	return ""
}

// ValidatePassword returns "" when password has at least 8 characters and at most 72 bytes,
// otherwise the issue.
func ValidatePassword(password string) string {
	if utf8.RuneCountInString(password) < MinPasswordLen {
		return "must be at least 8 characters"
	}
	if len(password) > MaxPasswordLen {
		return "must be at most 72 bytes"
	}
	return ""
}

// NormalizeUsername returns the form under which usernames are unique: ASCII lower case.
func NormalizeUsername(name string) string { return strings.ToLower(name) }
