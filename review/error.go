package review

import (
	"errors"
	"fmt"
)

// Error codes. They say what kind of failure happened so that callers (the
// UI, the CLI's exit code) can react without parsing messages.
const (
	ECONFLICT  = "conflict"  // the action clashes with the current state
	EFORBIDDEN = "forbidden" // the user may not do this
	EINTERNAL  = "internal"  // a bug or an environment failure
	EINVALID   = "invalid"   // the input is wrong
	ENOTFOUND  = "not_found" // the thing does not exist
)

// Error is the one domain error. Message is written for the person at the
// desk, in Chinese; the wrapped Err keeps the technical chain for logs.
type Error struct {
	Code    string
	Message string
	Err     error
}

// Error implements the error interface. It includes the wrapped chain, which
// is for logs; show ErrorMessage to users.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the technical cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns a domain error with a formatted Chinese message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WrapError returns a domain error that keeps err as its technical cause.
func WrapError(code string, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// ErrorCode returns the code of the first domain error in err's chain,
// EINTERNAL for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message a user should read. Errors that are not
// domain errors are bugs or environment failures; their details belong in the
// log, not in a dialog.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	}
	return "内部错误，详情已记入日志。"
}
