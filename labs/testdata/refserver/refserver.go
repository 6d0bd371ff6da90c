// Package refserver holds reference solutions of the build labs, and
// deliberately broken variants of them, so the checker's tests can show it
// passes a correct service and fails each broken one at the right stage.
// labs/testdata/reference/main.go serves them on a port for trying
// `serverside check` by hand.
package refserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Broken variants of the rest-resource reference, by the stage they fail.
var RESTBugs = map[string]string{
	"no-location":   "create",
	"html-404":      "not-found",
	"list-object":   "list",
	"accepts-bad":   "bad-input",
	"put-appends":   "update",
	"delete-noop":   "delete",
	"ignores-inm":   "conditional-get",
	"racy-ids":      "concurrency",
	"health-breaks": "health", // on the rerun after concurrency
}

// Broken variants of the kv-ttl reference, by the stage they fail.
var KVBugs = map[string]string{
	"plain-404":   "missing",
	"keep-first":  "overwrite",
	"delete-noop": "delete",
	"lax-ttl":     "bad-input",
	"no-expiry":   "ttl",
	"lost-writes": "concurrent-writers",
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

type book struct {
	ID      int    `json:"id"`
	Title   string `json:"title"`
	Author  string `json:"author"`
	version int
}

type restServer struct {
	bug    string
	mu     sync.Mutex
	books  map[int]*book
	nextID atomic.Int64
}

// RESTResource is the reference books service of the rest-resource lab;
// bug names a broken variant (see RESTBugs), "" the correct one.
func RESTResource(bug string) http.Handler {
	s := &restServer{bug: bug, books: map[int]*book{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
		s.mu.Lock()
		n := len(s.books)
		s.mu.Unlock()
		if bug == "health-breaks" && n > 60 {
			writeError(w, http.StatusInternalServerError, "too many books")
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /books", s.list)
	mux.HandleFunc("POST /books", s.create)
	mux.HandleFunc("GET /books/{id}", s.get)
	mux.HandleFunc("PUT /books/{id}", s.put)
	mux.HandleFunc("DELETE /books/{id}", s.delete)
	return mux
}

func decodeBook(r *http.Request) (book, error) {
	var b book
	if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
		return b, fmt.Errorf("the body is not JSON: %v", err)
	}
	if strings.TrimSpace(b.Title) == "" || strings.TrimSpace(b.Author) == "" {
		return b, errors.New(`a book needs a "title" and an "author"`)
	}
	return b, nil
}

func (s *restServer) newID() int {
	if s.bug == "racy-ids" {
		// Read, pause, write: two requests can read the same value.
		n := s.nextID.Load() + 1
		time.Sleep(2 * time.Millisecond)
		s.nextID.Store(n)
		return int(n)
	}
	return int(s.nextID.Add(1))
}

func (s *restServer) create(w http.ResponseWriter, r *http.Request) {
	b, err := decodeBook(r)
	if err != nil && s.bug != "accepts-bad" {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	b.ID, b.version = s.newID(), 1
	s.mu.Lock()
	s.books[b.ID] = &b
	s.mu.Unlock()
	if s.bug != "no-location" {
		w.Header().Set("Location", fmt.Sprintf("/books/%d", b.ID))
	}
	writeJSON(w, http.StatusCreated, b)
}

func (s *restServer) list(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	list := []book{}
	for _, b := range s.books {
		list = append(list, *b)
	}
	s.mu.Unlock()
	if s.bug == "list-object" {
		writeJSON(w, http.StatusOK, map[string]any{"books": list})
		return
	}
	writeJSON(w, http.StatusOK, list)
}

func (s *restServer) find(w http.ResponseWriter, r *http.Request) (*book, bool) {
	id, _ := strconv.Atoi(r.PathValue("id"))
	b, ok := s.books[id]
	if !ok {
		if s.bug == "html-404" {
			http.NotFound(w, r)
		} else {
			writeError(w, http.StatusNotFound, "no book "+r.PathValue("id"))
		}
	}
	return b, ok
}

func (s *restServer) get(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.find(w, r)
	if !ok {
		return
	}
	etag := fmt.Sprintf(`"%d-%d"`, b.ID, b.version)
	w.Header().Set("ETag", etag)
	if s.bug != "ignores-inm" && r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

func (s *restServer) put(w http.ResponseWriter, r *http.Request) {
	nb, err := decodeBook(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.find(w, r)
	if !ok {
		return
	}
	if s.bug == "put-appends" {
		nb.ID, nb.version = int(s.nextID.Add(1)), 1
		s.books[nb.ID] = &nb
	}
	b.Title, b.Author = nb.Title, nb.Author
	b.version++
	writeJSON(w, http.StatusOK, b)
}

func (s *restServer) delete(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.find(w, r)
	if !ok {
		return
	}
	if s.bug != "delete-noop" {
		delete(s.books, b.ID)
	}
	w.WriteHeader(http.StatusNoContent)
}

type entry struct {
	value   string
	expires time.Time // zero: never
}

type kvServer struct {
	bug string
	now func() time.Time
	mu  sync.Mutex
	m   map[string]entry
	// The lost-writes variant keeps an immutable map and swaps it without
	// a lock: copy, change, store. Concurrent writers overwrite each
	// other's copies.
	snapshot atomic.Pointer[map[string]entry]
}

var validKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// KV is the reference key-value store of the kv-ttl lab; bug names a
// broken variant (see KVBugs), "" the correct one.
func KV(bug string) http.Handler {
	s := &kvServer{bug: bug, now: time.Now, m: map[string]entry{}}
	s.snapshot.Store(&map[string]entry{})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("PUT /kv/{key}", s.put)
	mux.HandleFunc("GET /kv/{key}", s.get)
	mux.HandleFunc("DELETE /kv/{key}", s.delete)
	return mux
}

func (s *kvServer) load(key string) (entry, bool) {
	if s.bug == "lost-writes" {
		e, ok := (*s.snapshot.Load())[key]
		return e, ok
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[key]
	return e, ok
}

func (s *kvServer) store(key string, e entry, remove bool) {
	if s.bug == "lost-writes" {
		old := *s.snapshot.Load()
		next := make(map[string]entry, len(old)+1)
		for k, v := range old {
			next[k] = v
		}
		time.Sleep(time.Millisecond)
		if remove {
			delete(next, key)
		} else {
			next[key] = e
		}
		s.snapshot.Store(&next)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if remove {
		delete(s.m, key)
	} else {
		s.m[key] = e
	}
}

func (s *kvServer) live(key string) (entry, bool) {
	e, ok := s.load(key)
	if ok && s.bug != "no-expiry" && !e.expires.IsZero() && !s.now().Before(e.expires) {
		return entry{}, false
	}
	return e, ok
}

func (s *kvServer) put(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	if !validKey.MatchString(key) {
		writeError(w, http.StatusBadRequest, "keys are letters, digits, - and _")
		return
	}
	var body struct {
		Value *string `json:"value"`
		TTL   *int64  `json:"ttl_ms"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "the body is not valid: "+err.Error())
		return
	}
	if body.Value == nil {
		writeError(w, http.StatusBadRequest, `the body needs a string "value"`)
		return
	}
	e := entry{value: *body.Value}
	if body.TTL != nil {
		if *body.TTL <= 0 && s.bug != "lax-ttl" {
			writeError(w, http.StatusBadRequest, `"ttl_ms" must be a positive number of milliseconds`)
			return
		}
		e.expires = s.now().Add(time.Duration(*body.TTL) * time.Millisecond)
	}
	if _, exists := s.live(key); exists && s.bug == "keep-first" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	s.store(key, e, false)
	w.WriteHeader(http.StatusNoContent)
}

func (s *kvServer) get(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	e, ok := s.live(key)
	if !ok {
		if s.bug == "plain-404" {
			http.NotFound(w, r)
			return
		}
		writeError(w, http.StatusNotFound, "no key "+key)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"key": key, "value": e.value})
}

func (s *kvServer) delete(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	if _, ok := s.live(key); !ok {
		writeError(w, http.StatusNotFound, "no key "+key)
		return
	}
	if s.bug != "delete-noop" {
		s.store(key, entry{}, true)
	}
	w.WriteHeader(http.StatusNoContent)
}
