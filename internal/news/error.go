package news

import (
	"errors"
	"fmt"
)

// Error codes. They are few on purpose: each maps to one HTTP status and one
// CLI exit behaviour.
const (
	EINVALID      = "invalid"      // the caller sent something wrong: 400
	ENOTFOUND     = "not_found"    // no such thing: 404
	ECONFLICT     = "conflict"     // the thing is busy or already exists: 409
	ETOOLARGE     = "too_large"    // a body or value is over a stated limit: 413
	EUNAUTHORIZED = "unauthorized" // no or bad credentials: 401
	EFORBIDDEN    = "forbidden"    // credentials lack the scope: 403
	EUNAVAILABLE  = "unavailable"  // try again later: 503
	EINTERNAL     = "internal"     // a bug or an I/O failure: 500
)

// Error is the application error: a code for machines and a message a person
// can act on. Internal errors keep their cause for logs; the message shown to a
// client is generic.
type Error struct {
	Code    string
	Message string
	Err     error // optional cause
}

// Error implements the error interface.
func (e *Error) Error() string {
	switch {
	case e.Err != nil && e.Message != "":
		return e.Message + ": " + e.Err.Error()
	case e.Err != nil:
		return e.Err.Error()
	default:
		return e.Message
	}
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or a
// generic message for internal errors so that no detail leaks to clients.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "internal error"
}
