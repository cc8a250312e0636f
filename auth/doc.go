// Package auth holds TopoForge's credential primitives: HS256 JWT access and refresh tokens,
// bcrypt password hashes, API-key generation and hashing, and the validation rules for
// usernames, emails and passwords. It keeps no state: who is registered, which refresh tokens are
// still valid and which API keys exist is the users actor's business.
//
// An *Issuer is safe for concurrent use.
package auth
