package labs

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// scenario is a server an HTTP lab can run, with the tasks to do on it.
type scenario struct {
	name, title string
	guide       string // markdown: the routes, for the learner
	starter     string // the request a lab screen starts with; it works on this scenario
	tasks       []httpTask
	handler     func(clock func() time.Time) http.Handler
}

// httpTask is one thing to do against a scenario; done looks at the whole
// log, so a task can need several exchanges (a redirect, then following
// it).
type httpTask struct {
	ID, Title, Do string
	done          func(log []Exchange) bool
}

func (s *scenario) taskIDs() []string {
	var ids []string
	for _, t := range s.tasks {
		ids = append(ids, t.ID)
	}
	return ids
}

func (s *scenario) task(id string) (httpTask, bool) {
	for _, t := range s.tasks {
		if t.ID == id {
			return t, true
		}
	}
	return httpTask{}, false
}

func scenarios() []*scenario {
	return []*scenario{bookshopScenario(), streamsScenario(), latencyScenario(), lifecycleScenario()}
}

func scenarioByName(name string) (*scenario, bool) {
	for _, s := range scenarios() {
		if s.name == name {
			return s, true
		}
	}
	return nil, false
}

// ScenarioNames lists the HTTP scenarios that ship with serverside.
func ScenarioNames() []string {
	var names []string
	for _, s := range scenarios() {
		names = append(names, s.name)
	}
	return names
}

// ScenarioTasks lists a scenario's tasks (none done), for showing before
// the lab starts.
func ScenarioTasks(name string) ([]TaskStatus, error) {
	s, ok := scenarioByName(name)
	if !ok {
		return nil, fmt.Errorf("no HTTP scenario %q (known: %s)", name, strings.Join(ScenarioNames(), ", "))
	}
	var out []TaskStatus
	for _, t := range s.tasks {
		out = append(out, TaskStatus{ID: t.ID, Title: t.Title, Do: t.Do})
	}
	return out, nil
}

// ScenarioGuide is a scenario's routes, in markdown, for the learner.
func ScenarioGuide(name string) (string, error) {
	s, ok := scenarioByName(name)
	if !ok {
		return "", fmt.Errorf("no HTTP scenario %q (known: %s)", name, strings.Join(ScenarioNames(), ", "))
	}
	return s.guide, nil
}

// ScenarioStarter is the request a lab on the scenario starts with, one that
// the scenario answers (a request line and headers, as ParseRequest reads).
func ScenarioStarter(name string) string {
	if s, ok := scenarioByName(name); ok && s.starter != "" {
		return s.starter
	}
	return "GET /\n"
}

// BookshopGuide describes the bookshop scenario's routes for the learner.
const BookshopGuide = `The bookshop is a small JSON API about books.

| Route | What it does |
| --- | --- |
| GET /books | the list; sends an ETag, honours If-None-Match |
| POST /books | create from JSON {"title", "author", "year"}: 201 + Location |
| GET /books/{id} | one book; ETag, Last-Modified, Cache-Control: max-age=60 |
| PUT /books/{id} | replace a book; If-Match must match its ETag, or 412 |
| DELETE /books/{id} | delete a book; honours If-Match too |
| GET /catalog | moved for good: 301 to /books |
| any /api/v1/books... | moved, keep the method: 308 to /books... |
| POST /login | JSON {"username": "ada", "password": "lovelace"}: sets a session cookie |
| GET /me | who you are; needs the session cookie |
| POST /logout | ends the session |
| GET /limited | 5 requests, then 429 with Retry-After; one more every 2 s |
| GET /slow?ms=N | answers after N ms (at most 10000) |

Every response closes its connection (Connection: close), so each exchange is on a connection of its own.`

func bookshopScenario() *scenario {
	return &scenario{
		name:    "bookshop",
		title:   "Bookshop API",
		guide:   BookshopGuide,
		starter: "GET /books/1\nAccept: application/json\n",
		handler: newBookshop,
		tasks: []httpTask{
			{ID: "get-304", Title: "Revalidate with an ETag",
				Do: "GET a book, then GET it again sending its ETag in If-None-Match: the server answers 304 Not Modified, with no body.",
				done: anyExchange(func(e Exchange) bool {
					return e.Method == http.MethodGet && e.Status == http.StatusNotModified && e.RequestHeader.Get("If-None-Match") != ""
				})},
			{ID: "revalidate-by-date", Title: "Revalidate with a date",
				Do: "GET a book, then GET it again with If-Modified-Since set to its Last-Modified (and no If-None-Match): 304.",
				done: anyExchange(func(e Exchange) bool {
					return e.Method == http.MethodGet && e.Status == http.StatusNotModified &&
						e.RequestHeader.Get("If-Modified-Since") != "" && e.RequestHeader.Get("If-None-Match") == ""
				})},
			{ID: "create-201-location", Title: "Create a book",
				Do: `POST /books with Content-Type: application/json and a body like {"title": "Dune", "author": "Frank Herbert", "year": 1965}: 201 Created and a Location header.`,
				done: anyExchange(func(e Exchange) bool {
					return e.Method == http.MethodPost && e.Path == "/books" && e.Status == http.StatusCreated && e.ResponseHeader.Get("Location") != ""
				})},
			{ID: "update-if-match", Title: "Update safely",
				Do: "PUT a whole book with If-Match set to its current ETag: 200, and a new ETag.",
				done: anyExchange(func(e Exchange) bool {
					return e.Method == http.MethodPut && e.Status == http.StatusOK && e.RequestHeader.Get("If-Match") != ""
				})},
			{ID: "precondition-412", Title: "Lose a race on purpose",
				Do: "PUT or DELETE a book with an If-Match that no longer matches (an old ETag): 412 Precondition Failed instead of overwriting someone else's change.",
				done: anyExchange(func(e Exchange) bool {
					return (e.Method == http.MethodPut || e.Method == http.MethodDelete) && e.Status == http.StatusPreconditionFailed
				})},
			{ID: "follow-redirect", Title: "Follow a redirect",
				Do:   "GET /catalog (or call /api/v1/books), read the Location of the 301 or 308, and request that location.",
				done: followedRedirect},
			{ID: "login-cookie-roundtrip", Title: "Log in with a cookie",
				Do: `POST /login with {"username": "ada", "password": "lovelace"}, then GET /me sending the session cookie back in a Cookie header: 200.`,
				done: anyExchange(func(e Exchange) bool {
					return e.Method == http.MethodGet && e.Path == "/me" && e.Status == http.StatusOK && e.RequestHeader.Get("Cookie") != ""
				})},
			{ID: "hit-rate-limit-429", Title: "Hit the rate limit",
				Do:   "GET /limited quickly, again and again, until it answers 429 Too Many Requests. Read its Retry-After.",
				done: anyExchange(func(e Exchange) bool { return e.Path == "/limited" && e.Status == http.StatusTooManyRequests })},
			{ID: "respect-retry-after", Title: "Wait as told",
				Do:   "After a 429 from /limited, wait the seconds its Retry-After says, then GET /limited again: 200.",
				done: respectedRetryAfter},
			{ID: "head-request", Title: "Ask for headers only",
				Do: "Send HEAD /books/1: the same status and headers as GET, Content-Length included, but no body.",
				done: anyExchange(func(e Exchange) bool {
					return e.Method == http.MethodHead && e.Status == http.StatusOK && strings.HasPrefix(e.Path, "/books")
				})},
			{ID: "method-not-allowed", Title: "Use a method a route lacks",
				Do: "Send PATCH /books (or DELETE /books): 405 Method Not Allowed, with an Allow header listing the methods that work.",
				done: anyExchange(func(e Exchange) bool {
					return e.Status == http.StatusMethodNotAllowed && e.ResponseHeader.Get("Allow") != ""
				})},
			{ID: "give-up-on-slow", Title: "Time out a slow call",
				Do:   "GET /slow?ms=5000 with a client timeout of 1 s (curl --max-time 1): the server sees the client give up.",
				done: anyExchange(func(e Exchange) bool { return e.Path == "/slow" && e.ClientGaveUp })},
		},
	}
}

func anyExchange(f func(Exchange) bool) func([]Exchange) bool {
	return func(log []Exchange) bool { return slices.ContainsFunc(log, f) }
}

func followedRedirect(log []Exchange) bool {
	for i, e := range log {
		if e.Status != http.StatusMovedPermanently && e.Status != http.StatusPermanentRedirect {
			continue
		}
		loc, err := url.Parse(e.ResponseHeader.Get("Location"))
		if err != nil {
			continue
		}
		for _, f := range log[i+1:] {
			if f.Path == loc.Path && f.Status > 0 && f.Status < 300 &&
				(e.Status == http.StatusMovedPermanently || f.Method == e.Method) {
				return true
			}
		}
	}
	return false
}

func respectedRetryAfter(log []Exchange) bool {
	for i, e := range log {
		if e.Path != "/limited" || e.Status != http.StatusTooManyRequests {
			continue
		}
		secs, err := strconv.Atoi(e.ResponseHeader.Get("Retry-After"))
		if err != nil {
			continue
		}
		for _, f := range log[i+1:] {
			if f.Path == "/limited" && f.Status == http.StatusOK && !f.Time.Before(e.Time.Add(time.Duration(secs)*time.Second)) {
				return true
			}
		}
	}
	return false
}

// Rate limit of /limited: a bucket of limitBurst tokens, one more every
// limitRefill.
const (
	limitBurst  = 5
	limitRefill = 2 * time.Second
	maxSlow     = 10 * time.Second
)

type book struct {
	ID      int    `json:"id"`
	Title   string `json:"title"`
	Author  string `json:"author"`
	Year    int    `json:"year,omitempty"`
	version int
	updated time.Time
}

func (b *book) etag() string { return fmt.Sprintf(`"b%d-v%d"`, b.ID, b.version) }

type bookshop struct {
	clock func() time.Time

	mu       sync.Mutex
	books    map[int]*book
	nextID   int
	sessions map[string]string
	tokens   float64
	refilled time.Time
}

func newBookshop(clock func() time.Time) http.Handler {
	now := clock().UTC().Truncate(time.Second)
	bs := &bookshop{clock: clock, books: map[int]*book{}, sessions: map[string]string{}, tokens: limitBurst, refilled: clock()}
	for _, b := range []book{
		{Title: "The Pragmatic Programmer", Author: "Andrew Hunt, David Thomas", Year: 1999},
		{Title: "Designing Data-Intensive Applications", Author: "Martin Kleppmann", Year: 2017},
		{Title: "The Go Programming Language", Author: "Alan Donovan, Brian Kernighan", Year: 2015},
	} {
		bs.nextID++
		b.ID, b.version, b.updated = bs.nextID, 1, now
		bs.books[b.ID] = &b
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", bs.index)
	mux.HandleFunc("GET /books", bs.list)
	mux.HandleFunc("POST /books", bs.create)
	mux.HandleFunc("GET /books/{id}", bs.get)
	mux.HandleFunc("PUT /books/{id}", bs.put)
	mux.HandleFunc("DELETE /books/{id}", bs.delete)
	mux.HandleFunc("GET /catalog", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/books", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/api/v1/books/", func(w http.ResponseWriter, r *http.Request) {
		target := strings.TrimPrefix(r.URL.Path, "/api/v1")
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		w.Header().Set("Location", target)
		w.WriteHeader(http.StatusPermanentRedirect)
	})
	mux.HandleFunc("/api/v1/books", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "/books")
		w.WriteHeader(http.StatusPermanentRedirect)
	})
	mux.HandleFunc("POST /login", bs.login)
	mux.HandleFunc("GET /me", bs.me)
	mux.HandleFunc("POST /logout", bs.logout)
	mux.HandleFunc("GET /limited", bs.limited)
	mux.HandleFunc("GET /slow", bs.slow)
	return mux
}

// setETag keeps the header's usual spelling, ETag, which Go's canonical
// form (Etag) would change.
func setETag(w http.ResponseWriter, etag string) { w.Header()["ETag"] = []string{etag} }

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error": "could not encode the response"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func (bs *bookshop) index(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"name": "bookshop",
		"routes": []string{
			"GET /books", "POST /books", "GET /books/{id}", "PUT /books/{id}", "DELETE /books/{id}",
			"GET /catalog", "/api/v1/books", "POST /login", "GET /me", "POST /logout", "GET /limited", "GET /slow?ms=N",
		},
	})
}

// etagMatches compares a list of entity tags (or *) with etag. If-None-Match
// uses the weak comparison (W/"x" matches "x"); If-Match the strong one,
// where a weak tag never matches (RFC 9110, section 8.8.3.2).
func etagMatches(header, etag string, strong bool) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		switch {
		case t == "*":
			return true
		case strong && (strings.HasPrefix(t, "W/") || strings.HasPrefix(etag, "W/")):
			continue
		case strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/"):
			return true
		}
	}
	return false
}

func (bs *bookshop) list(w http.ResponseWriter, r *http.Request) {
	bs.mu.Lock()
	list := make([]book, 0, len(bs.books))
	for _, b := range bs.books {
		list = append(list, *b)
	}
	bs.mu.Unlock()
	slices.SortFunc(list, func(a, b book) int { return a.ID - b.ID })
	body, _ := json.Marshal(list)
	sum := sha256.Sum256(body)
	etag := `"l-` + hex.EncodeToString(sum[:6]) + `"`
	setETag(w, etag)
	w.Header().Set("Cache-Control", "no-cache")
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, etag, false) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeJSON(w, http.StatusOK, list)
}

func (bs *bookshop) find(w http.ResponseWriter, r *http.Request) (*book, bool) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no book %q: ids are numbers", r.PathValue("id")))
		return nil, false
	}
	b, ok := bs.books[id]
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no book %d", id))
		return nil, false
	}
	return b, true
}

func (bs *bookshop) get(w http.ResponseWriter, r *http.Request) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	b, ok := bs.find(w, r)
	if !ok {
		return
	}
	setETag(w, b.etag())
	w.Header().Set("Last-Modified", b.updated.UTC().Format(http.TimeFormat))
	w.Header().Set("Cache-Control", "max-age=60")
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		if etagMatches(inm, b.etag(), false) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	} else if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		if t, err := http.ParseTime(ims); err == nil && !b.updated.After(t) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	writeJSON(w, http.StatusOK, b)
}

// decodeBook reads a book from a JSON request body, answering the error
// itself when the body is not one.
func decodeBook(w http.ResponseWriter, r *http.Request) (book, bool) {
	var b book
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "send JSON with Content-Type: application/json")
		return b, false
	}
	dec := json.NewDecoder(bookBody(w, r))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is too large: a book's JSON is at most %d KB here", tooBig.Limit>>10))
			return b, false
		}
		writeError(w, http.StatusBadRequest, "the body is not a book: "+err.Error())
		return b, false
	}
	b.Title, b.Author = strings.TrimSpace(b.Title), strings.TrimSpace(b.Author)
	if b.Title == "" || b.Author == "" {
		writeError(w, http.StatusUnprocessableEntity, `a book needs a "title" and an "author"`)
		return b, false
	}
	if !bookFitsBounds(w, b) {
		return b, false
	}
	return b, true
}

func (bs *bookshop) create(w http.ResponseWriter, r *http.Request) {
	b, ok := decodeBook(w, r)
	if !ok {
		return
	}
	bs.mu.Lock()
	if !bs.roomForABook(w) {
		bs.mu.Unlock()
		return
	}
	bs.nextID++
	b.ID, b.version, b.updated = bs.nextID, 1, bs.clock().UTC().Truncate(time.Second)
	bs.books[b.ID] = &b
	bs.mu.Unlock()
	w.Header().Set("Location", fmt.Sprintf("/books/%d", b.ID))
	setETag(w, b.etag())
	writeJSON(w, http.StatusCreated, b)
}

func (bs *bookshop) put(w http.ResponseWriter, r *http.Request) {
	nb, ok := decodeBook(w, r)
	if !ok {
		return
	}
	bs.mu.Lock()
	defer bs.mu.Unlock()
	b, ok := bs.find(w, r)
	if !ok {
		return
	}
	if im := r.Header.Get("If-Match"); im != "" && !etagMatches(im, b.etag(), true) {
		setETag(w, b.etag())
		writeError(w, http.StatusPreconditionFailed, "the book changed since you read it (its ETag is now "+b.etag()+"): GET it again and redo your change")
		return
	}
	b.Title, b.Author, b.Year = nb.Title, nb.Author, nb.Year
	b.version++
	b.updated = bs.clock().UTC().Truncate(time.Second)
	setETag(w, b.etag())
	writeJSON(w, http.StatusOK, b)
}

func (bs *bookshop) delete(w http.ResponseWriter, r *http.Request) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	b, ok := bs.find(w, r)
	if !ok {
		return
	}
	if im := r.Header.Get("If-Match"); im != "" && !etagMatches(im, b.etag(), true) {
		setETag(w, b.etag())
		writeError(w, http.StatusPreconditionFailed, "the book changed since you read it (its ETag is now "+b.etag()+")")
		return
	}
	delete(bs.books, b.ID)
	w.WriteHeader(http.StatusNoContent)
}

const sessionCookie = "session"

func (bs *bookshop) login(w http.ResponseWriter, r *http.Request) {
	var creds struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/json":
		if err := json.NewDecoder(r.Body).Decode(&creds); err != nil {
			writeError(w, http.StatusBadRequest, "the body is not JSON: "+err.Error())
			return
		}
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			writeError(w, http.StatusBadRequest, "the form does not parse: "+err.Error())
			return
		}
		creds.Username, creds.Password = r.PostForm.Get("username"), r.PostForm.Get("password")
	default:
		writeError(w, http.StatusUnsupportedMediaType, `send {"username": ..., "password": ...} as application/json`)
		return
	}
	if creds.Username != "ada" || creds.Password != "lovelace" {
		writeError(w, http.StatusUnauthorized, "wrong username or password (try ada / lovelace)")
		return
	}
	id := rand.Text()
	bs.mu.Lock()
	bs.boundSessions()
	bs.sessions[id] = creds.Username
	bs.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", MaxAge: 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	writeJSON(w, http.StatusOK, map[string]string{"user": creds.Username})
}

func (bs *bookshop) user(r *http.Request) (string, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return "", false
	}
	bs.mu.Lock()
	defer bs.mu.Unlock()
	u, ok := bs.sessions[c.Value]
	return u, ok
}

func (bs *bookshop) me(w http.ResponseWriter, r *http.Request) {
	u, ok := bs.user(r)
	if !ok {
		writeError(w, http.StatusUnauthorized, "no valid session: POST /login first, then send the cookie it set")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"user": u})
}

func (bs *bookshop) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		bs.mu.Lock()
		delete(bs.sessions, c.Value)
		bs.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	w.WriteHeader(http.StatusNoContent)
}

func (bs *bookshop) limited(w http.ResponseWriter, _ *http.Request) {
	bs.mu.Lock()
	now := bs.clock()
	bs.tokens = math.Min(limitBurst, bs.tokens+now.Sub(bs.refilled).Seconds()/limitRefill.Seconds())
	bs.refilled = now
	allowed := bs.tokens >= 1
	if allowed {
		bs.tokens--
	}
	wait := time.Duration((1 - bs.tokens) * float64(limitRefill))
	remaining := int(bs.tokens)
	bs.mu.Unlock()
	w.Header().Set("RateLimit-Limit", strconv.Itoa(limitBurst))
	w.Header().Set("RateLimit-Remaining", strconv.Itoa(remaining))
	if !allowed {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		writeError(w, http.StatusTooManyRequests, "slow down: wait the seconds in Retry-After")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "remaining": remaining})
}

func (bs *bookshop) slow(w http.ResponseWriter, r *http.Request) {
	ms := 1000
	if s := r.URL.Query().Get("ms"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || time.Duration(n)*time.Millisecond > maxSlow {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("ms must be a whole number from 0 to %d", maxSlow.Milliseconds()))
			return
		}
		ms = n
	}
	t := time.NewTimer(time.Duration(ms) * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
		writeJSON(w, http.StatusOK, map[string]int{"waited_ms": ms})
	case <-r.Context().Done():
		noteClientGaveUp(r)
	}
}
