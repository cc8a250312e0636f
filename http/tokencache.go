package http

import (
	"sync"
	"time"

	"github.com/topoforge/topoforge/messages"
)

// Token cache bounds.
const (
	tokenCacheSize = 10000           // verified access tokens remembered; the cache is reset when full
	tokenCacheTTL  = 5 * time.Minute // longest a verified token is trusted without re-verifying
)

// tokenCache remembers access tokens already verified, so the per-request cost of a bearer token
// is a map lookup instead of a signature check and a claims parse. An entry is dropped at the
// token's expiry (or after tokenCacheTTL, whichever is first). It is safe for concurrent use.
type tokenCache struct {
	mu sync.RWMutex
	m  map[string]cachedToken
}

type cachedToken struct {
	p       *messages.Principal // shared by every request of the token: read-only
	expires time.Time
}

// get returns the principal of a cached, unexpired token; it must not be modified. It does not
// allocate (the lookup converts tok without copying it).
func (c *tokenCache) get(tok []byte, now time.Time) (*messages.Principal, bool) {
	c.mu.RLock()
	e, ok := c.m[string(tok)]
	c.mu.RUnlock()
	if !ok || !now.Before(e.expires) {
		return nil, false
	}
	return e.p, true
}

func (c *tokenCache) put(tok string, p messages.Principal, expires, now time.Time) {
	if limit := now.Add(tokenCacheTTL); expires.After(limit) {
		expires = limit
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= tokenCacheSize {
		c.m = make(map[string]cachedToken, 1024)
	}
	c.m[tok] = cachedToken{p: &p, expires: expires}
	c.mu.Unlock()
}
