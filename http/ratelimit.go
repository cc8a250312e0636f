package http

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/topoforge/topoforge/messages"
)

// RateLimits are requests per hour per principal for each role, and per client IP for requests
// without credentials. A value <= 0 means unlimited. Defaults follow the platform contract:
// 1000/h for standard users (and viewers and anonymous clients), 10000/h for admins.
type RateLimits struct {
	Anonymous int
	Viewer    int
	User      int
	Admin     int
}

func (r *RateLimits) fill() {
	if r.Anonymous == 0 {
		r.Anonymous = 1000
	}
	if r.Viewer == 0 {
		r.Viewer = 1000
	}
	if r.User == 0 {
		r.User = 1000
	}
	if r.Admin == 0 {
		r.Admin = 10000
	}
}

func (r RateLimits) forRole(role messages.Role) int {
	switch role {
	case messages.RoleAdmin:
		return r.Admin
	case messages.RoleUser:
		return r.User
	case messages.RoleViewer:
		return r.Viewer
	default:
		return r.Anonymous
	}
}

// limiterSet holds one token bucket per key ("u:<user>" or "ip:<addr>"). Each bucket holds
// limit tokens and refills at limit per hour.
type limiterSet struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	inserts int
}

type bucket struct {
	lim      *rate.Limiter
	limit    int
	lastSeen time.Time
}

// maxIdle is how long an unused bucket is kept; after an hour it would be full anyway.
const maxIdle = time.Hour

// sweepEvery is how many new buckets trigger a sweep of idle ones.
const sweepEvery = 4096

// decision is the outcome of allow: whether the request may go on and the header values.
type decision struct {
	ok        bool
	limit     int
	remaining int
	reset     time.Time
	retry     time.Duration
}

func (ls *limiterSet) allow(key string, limit int, now time.Time) decision {
	if limit <= 0 {
		return decision{ok: true, limit: -1}
	}
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.buckets == nil {
		ls.buckets = map[string]*bucket{}
	}
	b := ls.buckets[key]
	if b == nil || b.limit != limit {
		b = &bucket{lim: rate.NewLimiter(rate.Limit(float64(limit)/3600), limit), limit: limit}
		ls.buckets[key] = b
		ls.inserts++
		if ls.inserts%sweepEvery == 0 {
			for k, v := range ls.buckets {
				if now.Sub(v.lastSeen) > maxIdle {
					delete(ls.buckets, k)
				}
			}
		}
	}
	b.lastSeen = now
	perToken := time.Duration(float64(time.Hour) / float64(limit))
	ok := b.lim.AllowN(now, 1)
	tokens := b.lim.TokensAt(now)
	d := decision{ok: ok, limit: limit, remaining: max(0, int(math.Floor(tokens)))}
	d.reset = now.Add(time.Duration((float64(limit) - tokens) * float64(perToken)))
	if !ok {
		d.retry = time.Duration((1 - tokens) * float64(perToken))
	}
	return d
}
