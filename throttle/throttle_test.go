package throttle

import (
	"fmt"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestLimiterBurstThenRate(t *testing.T) {
	c := &clock{time.Unix(1_000_000, 0)}
	l := New(time.Second, 3, c.now)
	for i := range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait <= 0 || wait > time.Second {
		t.Fatalf("fourth request: ok=%v wait=%v, want refused with a wait up to 1s", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another key is limited by the first one's bucket")
	}
	c.t = c.t.Add(time.Second)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("a second later one request should pass")
	}
}

func TestLimiterMemoryIsBounded(t *testing.T) {
	l := New(time.Second, 1, nil)
	for i := range MaxKeys * 2 {
		l.Allow(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
	}
	if l.Len() > MaxKeys {
		t.Fatalf("%d keys remembered, want at most %d", l.Len(), MaxKeys)
	}
}

func TestBackoffDoublesAndForgets(t *testing.T) {
	b := Backoff{Free: 3, Base: time.Second, Max: 8 * time.Second, Forget: time.Hour}
	now := time.Unix(1_000_000, 0)
	var waits []time.Duration
	count, last := 0, time.Time{}
	for range 7 {
		var w time.Duration
		count, w = b.Fail(count, last, now)
		last = now
		waits = append(waits, w)
	}
	want := []time.Duration{0, 0, 0, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
	if fmt.Sprint(waits) != fmt.Sprint(want) {
		t.Fatalf("waits %v, want %v", waits, want)
	}
	if _, w := b.Fail(100, last, now); w != 8*time.Second {
		t.Fatalf("far beyond: %v, want the maximum", w)
	}
	if n, w := b.Fail(count, last, now.Add(2*time.Hour)); n != 1 || w != 0 {
		t.Fatalf("failures older than Forget still count: %d, %v", n, w)
	}
}

// TestTakeIsATokenBucket: Take behaves as the in-memory Limiter does.
func TestTakeIsATokenBucket(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	var tat time.Time
	for i := range 3 {
		var ok bool
		if tat, ok, _ = Take(tat, now, time.Second, 3); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	next, ok, wait := Take(tat, now, time.Second, 3)
	if ok || wait != time.Second || !next.Equal(tat) {
		t.Fatalf("fourth request: ok=%v wait=%v, want refused for 1s and the bucket unchanged", ok, wait)
	}
	if _, ok, _ := Take(tat, now.Add(time.Second), time.Second, 3); !ok {
		t.Fatal("a second later one request should pass")
	}
	if _, ok, _ := Take(tat, now.Add(time.Hour), time.Second, 3); !ok {
		t.Fatal("a bucket left alone refills")
	}
}

func TestClientKeyGroupsIPv6ByPrefix(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":               "192.0.2.7",
		"::ffff:192.0.2.7":        "192.0.2.7",
		"2001:db8:1:2:aaaa::1":    "2001:db8:1:2::/64",
		"2001:db8:1:2:bbbb::ffff": "2001:db8:1:2::/64",
	} {
		if got := ClientKey(in); got != want {
			t.Errorf("ClientKey(%s) = %s, want %s", in, got, want)
		}
	}
}
