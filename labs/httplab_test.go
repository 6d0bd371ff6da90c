package labs

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// waitFor waits for something another goroutine does (the server logs an
// exchange when it closes the connection), failing after a generous bound.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func startLab(t *testing.T, tasks ...string) (*HTTPLab, *fakeClock) {
	t.Helper()
	clock := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	l, err := startHTTP(t.Context(), "bookshop", clock.Now, tasks)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l, clock
}

func send(t *testing.T, l *HTTPLab, method, path string, body string, headers ...Header) Exchange {
	t.Helper()
	ex, err := l.Send(t.Context(), Request{Method: method, Path: path, Body: body, Headers: headers})
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return ex
}

func taskDone(l *HTTPLab, id string) bool {
	for _, ts := range l.Tasks() {
		if ts.ID == id {
			return ts.Done
		}
	}
	return false
}

func TestSendRecordsRawBytes(t *testing.T) {
	l, _ := startLab(t)
	ex := send(t, l, "GET", "/books/1", "", Header{"Accept", "application/json"})
	if !strings.HasPrefix(string(ex.RawRequest), "GET /books/1 HTTP/1.1\r\nHost: 127.0.0.1:") ||
		!strings.Contains(string(ex.RawRequest), "\r\nAccept: application/json\r\n") {
		t.Fatalf("raw request:\n%s", ex.RawRequest)
	}
	raw := string(ex.RawResponse)
	for _, want := range []string{"HTTP/1.1 200 OK\r\n", "Connection: close\r\n", "ETag: \"b1-v1\"\r\n", "\r\n\r\n{\n  \"id\": 1,"} {
		if !strings.Contains(raw, want) {
			t.Errorf("raw response lacks %q:\n%s", want, raw)
		}
	}
	if ex.Status != 200 || ex.Method != "GET" || ex.Path != "/books/1" || ex.ResponseHeader.Get("Cache-Control") != "max-age=60" {
		t.Fatalf("parsed: %+v", ex)
	}
	if log := l.Log(); len(log) != 1 || log[0].Seq != ex.Seq {
		t.Fatalf("log = %+v", log)
	}
}

func TestLogSeesOtherClients(t *testing.T) {
	l, _ := startLab(t)
	// A plain client, as curl in another terminal would be.
	resp, err := http.Get(l.BaseURL() + "/books?sort=title")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	select {
	case <-l.Changes():
	case <-time.After(5 * time.Second):
		t.Fatal("no change notified")
	}
	log := l.Log()
	if len(log) != 1 || log[0].Target != "/books?sort=title" || log[0].Status != 200 {
		t.Fatalf("log = %+v", log)
	}
}

func TestCurlLine(t *testing.T) {
	l, _ := startLab(t)
	req := Request{Method: "POST", Path: "/books", Headers: []Header{{"Content-Type", "application/json"}},
		Body: `{"title": "It's", "author": "Me"}`, Timeout: 1500 * time.Millisecond}
	got := l.CurlLine(req)
	want := "curl -i -X POST -H 'Content-Type: application/json' --data-binary '{\"title\": \"It'\\''s\", \"author\": \"Me\"}' --max-time 1.5 " + l.BaseURL() + "/books"
	if got != want {
		t.Fatalf("curl line\n got %s\nwant %s", got, want)
	}
	me := l.CurlLine(Request{Path: "/me"})
	if me != "curl -i "+l.BaseURL()+"/me" {
		t.Fatalf("GET: %s", me)
	}
	if _, err := exec.LookPath("curl"); err != nil {
		return
	}
	for _, c := range []struct{ line, want string }{{got, "201 Created"}, {me, "401 Unauthorized"}} {
		out, err := exec.Command("sh", "-c", c.line+" --silent").CombinedOutput()
		if err != nil || !strings.Contains(string(out), c.want) {
			t.Fatalf("running %s: %v\n%s", c.line, err, out)
		}
	}
	waitFor(t, func() bool { return len(l.Log()) == 2 })
	if log := l.Log(); log[0].Method != "POST" || log[1].Path != "/me" {
		t.Fatalf("curl's requests not logged: %+v", log)
	}
}

func TestSendRejectsBadRequests(t *testing.T) {
	l, _ := startLab(t)
	for _, req := range []Request{
		{Method: "GE T", Path: "/"},
		{Path: "books"},
		{Path: "/", Headers: []Header{{"X-Bad", "a\r\nInjected: yes"}}},
		{Path: "/", Headers: []Header{{"Bad Name", "x"}}},
	} {
		if _, err := l.Send(t.Context(), req); err == nil {
			t.Errorf("%+v was sent", req)
		}
	}
}

func TestMalformedRequestIsLogged(t *testing.T) {
	l, _ := startLab(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(l.BaseURL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(conn, "NOT HTTP AT ALL\r\n\r\n")
	status, _ := bufio.NewReader(conn).ReadString('\n')
	conn.Close()
	if !strings.HasPrefix(status, "HTTP/1.1 400") {
		t.Fatalf("status line %q", status)
	}
	waitFor(t, func() bool { return len(l.Log()) == 1 })
	log := l.Log()
	if len(log) != 1 || log[0].Status != 400 || string(log[0].RawRequest) != "NOT HTTP AT ALL\r\n\r\n" {
		t.Fatalf("log = %+v", log)
	}
}

func TestBookshopTasks(t *testing.T) {
	l, clock := startLab(t)
	json := Header{"Content-Type", "application/json"}

	// Conditional GETs.
	ex := send(t, l, "GET", "/books/2", "")
	etag, lastMod := ex.ResponseHeader.Get("ETag"), ex.ResponseHeader.Get("Last-Modified")
	if etag == "" || lastMod == "" {
		t.Fatalf("no validators: %v", ex.ResponseHeader)
	}
	if ex := send(t, l, "GET", "/books/2", "", Header{"If-None-Match", etag}); ex.Status != 304 || !strings.HasSuffix(string(ex.RawResponse), "\r\n\r\n") {
		t.Fatalf("If-None-Match: %d\n%s", ex.Status, ex.RawResponse)
	}
	if !taskDone(l, "get-304") || taskDone(l, "revalidate-by-date") {
		t.Fatalf("tasks after If-None-Match: %+v", l.Tasks())
	}
	if ex := send(t, l, "GET", "/books/2", "", Header{"If-Modified-Since", lastMod}); ex.Status != 304 {
		t.Fatalf("If-Modified-Since: %d", ex.Status)
	}
	if !taskDone(l, "revalidate-by-date") {
		t.Fatal("revalidate-by-date not done")
	}
	list := send(t, l, "GET", "/books", "")
	if ex := send(t, l, "GET", "/books", "", Header{"If-None-Match", list.ResponseHeader.Get("ETag")}); ex.Status != 304 {
		t.Fatalf("list revalidation: %d", ex.Status)
	}

	// Create.
	if ex := send(t, l, "POST", "/books", `{"title": "Dune"}`, json); ex.Status != 422 || taskDone(l, "create-201-location") {
		t.Fatalf("invalid book: %d", ex.Status)
	}
	if ex := send(t, l, "POST", "/books", `{"title": "Dune", "author": "Frank Herbert"}`); ex.Status != 415 {
		t.Fatalf("no content type: %d", ex.Status)
	}
	created := send(t, l, "POST", "/books", `{"title": "Dune", "author": "Frank Herbert", "year": 1965}`, json)
	loc := created.ResponseHeader.Get("Location")
	if created.Status != 201 || loc != "/books/4" || !taskDone(l, "create-201-location") {
		t.Fatalf("create: %d %q", created.Status, loc)
	}

	// Conditional updates.
	old := created.ResponseHeader.Get("ETag")
	upd := send(t, l, "PUT", loc, `{"title": "Dune", "author": "Frank Herbert", "year": 1966}`, json, Header{"If-Match", old})
	if upd.Status != 200 || upd.ResponseHeader.Get("ETag") == old || !taskDone(l, "update-if-match") {
		t.Fatalf("update: %d", upd.Status)
	}
	if taskDone(l, "precondition-412") {
		t.Fatal("412 done too early")
	}
	if ex := send(t, l, "DELETE", loc, "", Header{"If-Match", old}); ex.Status != 412 || !taskDone(l, "precondition-412") {
		t.Fatalf("stale If-Match: %d", ex.Status)
	}
	if ex := send(t, l, "DELETE", loc, "", Header{"If-Match", upd.ResponseHeader.Get("ETag")}); ex.Status != 204 {
		t.Fatalf("delete: %d", ex.Status)
	}
	if ex := send(t, l, "GET", loc, ""); ex.Status != 404 || ex.ResponseHeader.Get("Content-Type") != "application/json" {
		t.Fatalf("deleted: %d", ex.Status)
	}

	// Redirects: a 308 must be followed with the same method.
	if ex := send(t, l, "POST", "/api/v1/books", "{}", json); ex.Status != 308 || ex.ResponseHeader.Get("Location") != "/books" {
		t.Fatalf("308: %d %v", ex.Status, ex.ResponseHeader)
	}
	send(t, l, "GET", "/books", "")
	if taskDone(l, "follow-redirect") {
		t.Fatal("a GET after a 308 for a POST counted as following it")
	}
	if ex := send(t, l, "GET", "/catalog", ""); ex.Status != 301 {
		t.Fatalf("301: %d", ex.Status)
	}
	send(t, l, "GET", "/books", "")
	if !taskDone(l, "follow-redirect") {
		t.Fatal("follow-redirect not done")
	}

	// Login.
	if ex := send(t, l, "GET", "/me", ""); ex.Status != 401 {
		t.Fatalf("me without cookie: %d", ex.Status)
	}
	if ex := send(t, l, "POST", "/login", `{"username": "ada", "password": "nope"}`, json); ex.Status != 401 {
		t.Fatalf("bad password: %d", ex.Status)
	}
	login := send(t, l, "POST", "/login", `{"username": "ada", "password": "lovelace"}`, json)
	cookie := login.ResponseHeader.Get("Set-Cookie")
	if login.Status != 200 || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") {
		t.Fatalf("login: %d %q", login.Status, cookie)
	}
	if ex := send(t, l, "GET", "/me", "", Header{"Cookie", "session=forged"}); ex.Status != 401 || taskDone(l, "login-cookie-roundtrip") {
		t.Fatalf("forged cookie: %d", ex.Status)
	}
	pair := strings.SplitN(cookie, ";", 2)[0]
	if ex := send(t, l, "GET", "/me", "", Header{"Cookie", pair}); ex.Status != 200 || !taskDone(l, "login-cookie-roundtrip") {
		t.Fatalf("me with cookie: %d", ex.Status)
	}
	send(t, l, "POST", "/logout", "", Header{"Cookie", pair})
	if ex := send(t, l, "GET", "/me", "", Header{"Cookie", pair}); ex.Status != 401 {
		t.Fatalf("me after logout: %d", ex.Status)
	}

	// Rate limit, on the lab's clock.
	for i := range limitBurst {
		if ex := send(t, l, "GET", "/limited", ""); ex.Status != 200 {
			t.Fatalf("request %d: %d", i+1, ex.Status)
		}
	}
	limited := send(t, l, "GET", "/limited", "")
	if limited.Status != 429 || limited.ResponseHeader.Get("Retry-After") != "2" || !taskDone(l, "hit-rate-limit-429") {
		t.Fatalf("429: %d %v", limited.Status, limited.ResponseHeader)
	}
	clock.Advance(time.Second)
	if ex := send(t, l, "GET", "/limited", ""); ex.Status != 429 || ex.ResponseHeader.Get("Retry-After") != "1" {
		t.Fatalf("after 1s: %d %v", ex.Status, ex.ResponseHeader)
	}
	clock.Advance(time.Second)
	if ex := send(t, l, "GET", "/limited", ""); ex.Status != 200 || !taskDone(l, "respect-retry-after") {
		t.Fatalf("after Retry-After: %d", ex.Status)
	}

	// HEAD, and a method a route lacks.
	head := send(t, l, "HEAD", "/books/1", "")
	if head.Status != 200 || !strings.HasSuffix(string(head.RawResponse), "\r\n\r\n") || head.ResponseHeader.Get("Content-Length") == "" || !taskDone(l, "head-request") {
		t.Fatalf("HEAD: %d\n%s", head.Status, head.RawResponse)
	}
	if ex := send(t, l, "PATCH", "/books", ""); ex.Status != 405 || !taskDone(l, "method-not-allowed") {
		t.Fatalf("PATCH: %d", ex.Status)
	}

	// Slow, and a client that gives up.
	if ex := send(t, l, "GET", "/slow?ms=1", ""); ex.Status != 200 {
		t.Fatalf("slow: %d", ex.Status)
	}
	if ex := send(t, l, "GET", "/slow?ms=20000", ""); ex.Status != 400 {
		t.Fatalf("slow beyond the bound: %d", ex.Status)
	}
	_, err := l.Send(t.Context(), Request{Path: "/slow?ms=5000", Timeout: 50 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "gave up") {
		t.Fatalf("timeout: %v", err)
	}
	waitFor(t, func() bool { return taskDone(l, "give-up-on-slow") })
	for _, ts := range l.Tasks() {
		if !ts.Done {
			t.Errorf("task %s not done", ts.ID)
		}
	}
}

func TestStartHTTPSelectsTasks(t *testing.T) {
	l, _ := startLab(t, "hit-rate-limit-429", "get-304")
	got := l.Tasks()
	if len(got) != 2 || got[0].ID != "hit-rate-limit-429" || got[1].ID != "get-304" || got[0].Do == "" {
		t.Fatalf("tasks = %+v", got)
	}
	if _, err := StartHTTP(t.Context(), "bookshop", "no-such-task"); err == nil {
		t.Fatal("unknown task accepted")
	}
	if _, err := StartHTTP(t.Context(), "no-such-scenario"); err == nil {
		t.Fatal("unknown scenario accepted")
	}
}

func TestCloseReleasesThePort(t *testing.T) {
	for range 3 {
		l, err := StartHTTP(t.Context(), "bookshop")
		if err != nil {
			t.Fatal(err)
		}
		addr := strings.TrimPrefix(l.BaseURL(), "http://")
		// Leave a connection open and one finished, as a learner would.
		idle, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		send(t, l, "GET", "/books", "")
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		idle.Close()
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("port not released: %v", err)
		}
		ln.Close()
		l2, err := StartHTTP(t.Context(), "bookshop")
		if err != nil {
			t.Fatal(err)
		}
		l2.Close()
		if err := l.Close(); err != nil {
			t.Fatalf("second close: %v", err)
		}
	}
}

func TestCancelledContextClosesTheLab(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	l, err := StartHTTP(ctx, "bookshop")
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case <-l.served:
	case <-time.After(5 * time.Second):
		t.Fatal("lab still serving after its context was cancelled")
	}
}

func TestIndexListsRoutes(t *testing.T) {
	l, _ := startLab(t)
	ex := send(t, l, "GET", "/", "")
	body := ex.RawResponse[strings.Index(string(ex.RawResponse), "\r\n\r\n")+4:]
	var idx struct{ Routes []string }
	if err := json.Unmarshal(body, &idx); err != nil || len(idx.Routes) < 10 {
		t.Fatalf("index: %v %s", err, body)
	}
	if ex := send(t, l, "GET", "/books/nowhere", ""); ex.Status != 404 || ex.ResponseHeader.Get("Content-Type") != "application/json" {
		t.Fatalf("unknown route: %d", ex.Status)
	}
	if ex := send(t, l, "PATCH", "/books", ""); ex.Status != 405 || ex.ResponseHeader.Get("Allow") == "" {
		t.Fatalf("wrong method: %d %v", ex.Status, ex.ResponseHeader)
	}
}

func BenchmarkSend(b *testing.B) {
	l, err := StartHTTP(b.Context(), "bookshop")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	for b.Loop() {
		if _, err := l.Send(b.Context(), Request{Path: "/books/1"}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestParseRequest(t *testing.T) {
	req, err := ParseRequest("\nput /books/1 HTTP/1.1\nContent-Type: application/json\nIf-Match: \"b1-v1\"\n\n{\"title\": \"T\"}\n")
	if err != nil {
		t.Fatal(err)
	}
	if req.Method != "PUT" || req.Path != "/books/1" || len(req.Headers) != 2 || req.Headers[1] != (Header{"If-Match", `"b1-v1"`}) || req.Body != `{"title": "T"}` {
		t.Fatalf("%+v", req)
	}
	if req, err := ParseRequest("/me"); err != nil || req.Method != "GET" || req.Path != "/me" {
		t.Fatalf("bare path: %+v %v", req, err)
	}
	for text, want := range map[string]string{
		"":                     "line 1",
		"GET books":            "must start with /",
		"GET /\nNoColonHere":   "line 2",
		"GET / HTTP/1.1 extra": "line 1",
	} {
		if _, err := ParseRequest(text); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", text, err, want)
		}
	}
}

func TestStartWithDoneContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	l, err := StartHTTP(ctx, "bookshop")
	if err != nil {
		// Listening may already see the cancelled context: that is fine too.
		return
	}
	select {
	case <-l.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("a lab started with a done context keeps running")
	}
	l.Close()
}

func TestETagComparison(t *testing.T) {
	for _, c := range []struct {
		header, etag string
		strong, want bool
	}{
		{`"a"`, `"a"`, false, true},
		{`W/"a"`, `"a"`, false, true},
		{`W/"a"`, `"a"`, true, false},
		{`"x", "a"`, `"a"`, true, true},
		{`*`, `"a"`, true, true},
		{`"b"`, `"a"`, false, false},
	} {
		if got := etagMatches(c.header, c.etag, c.strong); got != c.want {
			t.Errorf("etagMatches(%s, %s, strong=%v) = %v", c.header, c.etag, c.strong, got)
		}
	}
	l, _ := startLab(t)
	if ex := send(t, l, "GET", "/books/1", "", Header{"If-None-Match", `W/"b1-v1"`}); ex.Status != 304 {
		t.Fatalf("weak If-None-Match: %d", ex.Status)
	}
	if ex := send(t, l, "DELETE", "/books/1", "", Header{"If-Match", `W/"b1-v1"`}); ex.Status != 412 {
		t.Fatalf("weak If-Match: %d", ex.Status)
	}
}

func TestConcurrentSendsGetTheirOwnExchange(t *testing.T) {
	l, _ := startLab(t)
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan string, n)
	for i := range n {
		wg.Go(func() {
			path := fmt.Sprintf("/books/%d?n=%d", i%3+1, i)
			ex, err := l.Send(t.Context(), Request{Path: path})
			if err != nil || ex.Target != path || ex.Status != 200 {
				errs <- fmt.Sprintf("%s: %v %q %d", path, err, ex.Target, ex.Status)
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if got := len(l.Log()); got != n {
		t.Fatalf("%d exchanges logged, want %d", got, n)
	}
}
