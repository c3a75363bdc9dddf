// Package apperr holds the domain errors every layer may return and the API
// maps to HTTP statuses in one place. The message is meant for the user.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an error for the API's status mapping.
type Code string

const (
	Invalid      Code = "invalid"      // 400: the input is wrong
	Unauthorized Code = "unauthorized" // 401: not logged in
	Forbidden    Code = "forbidden"    // 403: logged in, may not do this
	NotFound     Code = "not_found"    // 404
	Conflict     Code = "conflict"     // 409: the state of things forbids it now
	TooLarge     Code = "too_large"    // 413
	TooMany      Code = "too_many"     // 429: slowed down (failed logins)
	Unavailable  Code = "unavailable"  // 503: the database cannot take it now
)

// Codes are every code above; a test holds the API's status map to them.
var Codes = []Code{Invalid, Unauthorized, Forbidden, NotFound, Conflict, TooLarge, TooMany, Unavailable}

// Error is a domain error with a message fit to show to the user.
type Error struct {
	Code    Code
	Message string
	// Details is optional structured data for the client (e.g. allowed events).
	Details any
	// RetryAfter, for TooMany, is when the client may try again (Retry-After).
	RetryAfter time.Duration
}

func (e *Error) Error() string { return e.Message }

// New builds an Error with a formatted message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WithDetails returns the error carrying details for the client.
func (e *Error) WithDetails(d any) *Error {
	e.Details = d
	return e
}

// Slowed is a TooMany error that tells the client when to try again, in
// the message, in the details (retry_after, seconds) and in Retry-After.
func Slowed(wait time.Duration, format string, args ...any) *Error {
	secs := int((wait + time.Second - 1) / time.Second)
	e := New(TooMany, format+"，请 %d 秒后重试", append(args, secs)...)
	e.Details = map[string]any{"retry_after": secs}
	e.RetryAfter = time.Duration(secs) * time.Second
	return e
}

// As finds the domain error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Is reports whether err carries a domain error of the code.
func Is(err error, code Code) bool {
	e, ok := As(err)
	return ok && e.Code == code
}
