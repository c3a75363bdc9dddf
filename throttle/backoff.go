package throttle

import "time"

// Backoff makes a key wait after repeated failures: the first Free failures
// cost nothing, each further one doubles the wait from Base up to Max. A key
// that has not failed for Forget starts afresh. It is the policy only: the
// caller keeps each key's count and last failure where every instance sees
// them (the login throttle keeps them in the database).
type Backoff struct {
	Free   int
	Base   time.Duration
	Max    time.Duration
	Forget time.Duration
}

// Fail is a new failure of a key that had failed count times, the last at
// last: the count it now has and the wait it owes from now.
func (b Backoff) Fail(count int, last, now time.Time) (int, time.Duration) {
	if now.Sub(last) > b.Forget {
		count = 0
	}
	count++
	over := count - b.Free
	switch {
	case over <= 0:
		return count, 0
	case over <= 30 && b.Base<<(over-1) < b.Max:
		return count, b.Base << (over - 1)
	}
	return count, b.Max
}

// Take takes one request from a token bucket of burst requests refilled one
// per every, kept as a single time (the generic cell rate algorithm): tat is
// when the bucket would be full again, the zero time for a full one. It
// returns the bucket's new time, or false and how long until a request may
// come when the bucket is empty (then tat is unchanged).
func Take(tat, now time.Time, every time.Duration, burst int) (time.Time, bool, time.Duration) {
	if tat.Before(now) {
		tat = now
	}
	if wait := tat.Sub(now) - time.Duration(burst-1)*every; wait > 0 {
		return tat, false, wait
	}
	return tat.Add(every), true, 0
}
