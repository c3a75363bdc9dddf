// Package testkit holds the small helpers several packages' tests share:
// a settable clock, the day test lists are imported, and an output buffer
// safe to read while a process writes.
package testkit

import (
	"bytes"
	"sync"
	"time"
)

// Imported is when tests take their lists in, version 1's publication: before
// every test clock, as a list is published before anyone revises it (a later
// version may not be dated before it).
var Imported = time.Date(2024, 1, 2, 1, 0, 0, 0, time.UTC)

// Clock is a settable time source, so locks and expiries are tested without sleeping.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Buffer collects a child process's output while the test reads it.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
