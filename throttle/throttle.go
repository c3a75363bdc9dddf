// Package throttle slows clients down per key (a client IP, an account and
// IP): token buckets from golang.org/x/time/rate kept in a bounded LRU, so
// memory stays fixed however many addresses call; the least recently seen
// key is forgotten first.
package throttle

import (
	"net/netip"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"
)

// MaxKeys bounds the keys a limiter remembers.
const MaxKeys = 10000

// Limiter is a token bucket per key: Burst requests at once, then one every Every.
type Limiter struct {
	every time.Duration
	burst int
	now   func() time.Time
	mu    sync.Mutex
	keys  *lru.Cache[string, *rate.Limiter]
}

// New returns a limiter that allows burst requests per key, then one per
// every; now is the clock (nil for the real one).
func New(every time.Duration, burst int, now func() time.Time) *Limiter {
	keys, err := lru.New[string, *rate.Limiter](MaxKeys)
	if err != nil {
		panic(err) // only for a size below 1
	}
	if now == nil {
		now = time.Now
	}
	return &Limiter{every: every, burst: burst, now: now, keys: keys}
}

// Allow takes one request of key from its bucket; when the bucket is empty
// it takes nothing and says how long until the next request may come.
func (l *Limiter) Allow(key string) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, found := l.keys.Get(key)
	if !found {
		b = rate.NewLimiter(rate.Every(l.every), l.burst)
		l.keys.Add(key, b)
	}
	now := l.now()
	r := b.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// Len is how many keys the limiter remembers now.
func (l *Limiter) Len() int { return l.keys.Len() }

// ClientKey is the key of a client address: an IPv4 address as it is, an
// IPv6 address by its /64 (one subscriber's network), so a client cannot
// dodge its limit by cycling addresses within its own prefix.
func ClientKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}
