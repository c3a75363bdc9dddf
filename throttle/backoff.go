package throttle

import (
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Backoff makes a key wait after repeated failures: the first Free failures
// cost nothing, each further one doubles the wait from Base up to Max. A key
// that has not failed for Forget starts afresh.
type Backoff struct {
	Free   int
	Base   time.Duration
	Max    time.Duration
	Forget time.Duration
	now    func() time.Time
	mu     sync.Mutex
	keys   *lru.Cache[string, failures]
}

type failures struct {
	count int
	last  time.Time
	until time.Time
}

// NewBackoff returns a backoff with the policy; now is the clock (nil for the real one).
func NewBackoff(free int, base, max, forget time.Duration, now func() time.Time) *Backoff {
	keys, err := lru.New[string, failures](MaxKeys)
	if err != nil {
		panic(err)
	}
	if now == nil {
		now = time.Now
	}
	return &Backoff{Free: free, Base: base, Max: max, Forget: forget, now: now, keys: keys}
}

// Wait is how long the key must still wait; zero when it may try now.
func (b *Backoff) Wait(key string) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	f, ok := b.keys.Get(key)
	if !ok {
		return 0
	}
	return max(0, f.until.Sub(b.now()))
}

// Fail records a failure of the key and returns the wait it now owes.
func (b *Backoff) Fail(key string) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	f, _ := b.keys.Get(key)
	if now.Sub(f.last) > b.Forget {
		f = failures{}
	}
	f.count++
	f.last = now
	var wait time.Duration
	if over := f.count - b.Free; over > 0 {
		wait = b.Max
		if over <= 30 && b.Base<<(over-1) < b.Max {
			wait = b.Base << (over - 1)
		}
		f.until = now.Add(wait)
	}
	b.keys.Add(key, f)
	return wait
}

// Reset forgets the key's failures (after a success).
func (b *Backoff) Reset(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.keys.Remove(key)
}

// Until is the latest end of a wait among the keys that start with prefix;
// zero when none of them is waiting.
func (b *Backoff) Until(prefix string) time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	var until time.Time
	now := b.now()
	for _, k := range b.keys.Keys() {
		if f, ok := b.keys.Peek(k); ok && strings.HasPrefix(k, prefix) && f.until.After(now) && f.until.After(until) {
			until = f.until
		}
	}
	return until
}

// ResetPrefix forgets the failures of every key that starts with prefix.
func (b *Backoff) ResetPrefix(prefix string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, k := range b.keys.Keys() {
		if strings.HasPrefix(k, prefix) {
			b.keys.Remove(k)
		}
	}
}
