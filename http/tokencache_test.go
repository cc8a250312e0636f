package http

import (
	"testing"
	"time"

	"github.com/topoforge/topoforge/messages"
)

func TestTokenCacheExpiry(t *testing.T) {
	var c tokenCache
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := messages.Principal{UserID: "u", Role: messages.RoleUser}
	c.put("a", p, now.Add(time.Minute), now)
	if got, ok := c.get([]byte("a"), now.Add(59*time.Second)); !ok || *got != p {
		t.Errorf("get before expiry = %v, %v", got, ok)
	}
	if _, ok := c.get([]byte("a"), now.Add(time.Minute)); ok {
		t.Error("token served at its expiry")
	}
	c.put("b", p, now.Add(time.Hour), now)
	if _, ok := c.get([]byte("b"), now.Add(tokenCacheTTL)); ok {
		t.Error("token trusted past the cache TTL")
	}
	for i := range tokenCacheSize + 1 {
		c.put(string(rune(i)), p, now.Add(time.Hour), now)
	}
	if len(c.m) > tokenCacheSize {
		t.Errorf("cache holds %d tokens, bound %d", len(c.m), tokenCacheSize)
	}
}
