// Package faults holds the fault tests of Qingdan: a real `qingdan serve`
// killed with SIGKILL in the middle of a large publication, a private
// PostgreSQL restarted under load, and databases that are read-only or full.
// The tests build the binary once and talk to it over 127.0.0.1 only; every
// wait is bounded.
package faults
