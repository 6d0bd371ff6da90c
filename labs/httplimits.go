package labs

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
)

// Bounds on the HTTP lab's state: whatever a client sends, the lab holds
// little. 400 POSTs of 1 MB, then one GET /books, took 2.45 GB and 33 s.
const (
	// MaxBooks is how many books the bookshop holds.
	MaxBooks = 200
	// MaxBookField bounds a book's title and author, in bytes.
	MaxBookField = 1 << 10
	// maxBookBody bounds the JSON of one book: two fields and a year.
	maxBookBody = 16 << 10
	// maxLogins bounds the bookshop's sessions: beyond it, logins are
	// forgotten (any of them; a forgotten one logs in again).
	maxLogins = 100
)

// ownHost reports whether a request's Host names the lab server itself:
// 127.0.0.1, localhost or [::1] with the lab's port. A web page the learner
// has open can make the browser send requests to the lab with another Host
// (DNS rebinding: evil.example resolving to 127.0.0.1); those are refused.
func (l *HTTPLab) ownHost(host string) bool {
	_, port, err := net.SplitHostPort(l.ln.Addr().String())
	if err != nil {
		return false
	}
	h, p, err := net.SplitHostPort(host)
	if err != nil || p != port {
		return false
	}
	switch strings.ToLower(h) {
	case "127.0.0.1", "localhost", "::1":
		return true
	}
	return false
}

// misdirected answers a request for another host: 421 Misdirected
// Request, saying which hosts the lab answers for.
func misdirected(w http.ResponseWriter, host string, addr net.Addr) {
	_, port, _ := net.SplitHostPort(addr.String())
	writeError(w, http.StatusMisdirectedRequest, fmt.Sprintf("this lab server only answers for 127.0.0.1:%s, localhost:%s or [::1]:%s, not Host %q", port, port, port, host))
}

// bookBody is a book request's body, cut at maxBookBody: the decoder then
// fails with a *http.MaxBytesError, answered with 413, without reading (and
// decoding) a megabyte first.
func bookBody(w http.ResponseWriter, r *http.Request) io.Reader {
	return http.MaxBytesReader(w, r.Body, maxBookBody)
}

// bookFitsBounds answers 413 for a book whose title or author is longer
// than MaxBookField.
func bookFitsBounds(w http.ResponseWriter, b book) bool {
	if len(b.Title) > MaxBookField || len(b.Author) > MaxBookField {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("a title or author is at most %d bytes in this bookshop", MaxBookField))
		return false
	}
	return true
}

// roomForABook answers 507 when the shop is full; the caller holds bs.mu.
func (bs *bookshop) roomForABook(w http.ResponseWriter) bool {
	if len(bs.books) >= MaxBooks {
		writeError(w, http.StatusInsufficientStorage, fmt.Sprintf("the bookshop holds at most %d books: DELETE some before adding more", MaxBooks))
		return false
	}
	return true
}

// boundSessions forgets logins beyond maxLogins; the caller holds bs.mu.
func (bs *bookshop) boundSessions() {
	for id := range bs.sessions {
		if len(bs.sessions) < maxLogins {
			return
		}
		delete(bs.sessions, id)
	}
}
