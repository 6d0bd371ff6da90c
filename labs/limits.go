package labs

import (
	"errors"
	"fmt"
	"io"
	"net/http"
)

// Bounds on what a response may make the client hold, for the checker and
// the HTTP lab's own requests. net/http's ReadResponse reads a header line
// of any length and any number of header lines: an endless line took 1 GB
// in 3 s.
const (
	// MaxResponseHeaderBytes bounds the status line and headers together.
	MaxResponseHeaderBytes = 64 << 10
	// MaxResponseHeaders bounds the number of header fields.
	MaxResponseHeaders = 100
)

// errHeadTooLarge says why a response was not read.
var errHeadTooLarge = fmt.Errorf("the response's status line and headers are longer than %d KB: the checker stops reading there (look for a header written in a loop, or a missing blank line after the headers)", MaxResponseHeaderBytes>>10)

// responseHeadError explains a failure to read a response head: the limit
// when head ran out of its allowance, the reader's error otherwise.
func responseHeadError(head *io.LimitedReader, err error) error {
	if head.N <= 0 && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) {
		return errHeadTooLarge
	}
	return fmt.Errorf("read the response: %w", err)
}

// checkHeaderCount refuses a response with more header fields than
// MaxResponseHeaders.
func checkHeaderCount(h http.Header) error {
	n := 0
	for _, vs := range h {
		n += len(vs)
	}
	if n > MaxResponseHeaders {
		return fmt.Errorf("the response has %d header fields; the checker reads at most %d (look for a header written in a loop)", n, MaxResponseHeaders)
	}
	return nil
}
