package labs

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Limits of the HTTP lab.
const (
	// maxRaw bounds the bytes kept of each direction of one exchange.
	maxRaw = 64 << 10
	// maxLog bounds the exchanges an HTTP lab keeps.
	maxLog = 500
	// maxBody bounds a request body the lab server reads.
	maxBody = 1 << 20
	// SendTimeout is how long Send waits for a response unless the
	// request says otherwise.
	SendTimeout = 15 * time.Second
)

// HTTPLab is a scenario server listening on a free port of 127.0.0.1. It
// records every exchange it serves, whoever the client (Send, or curl in
// another terminal), byte for byte as it crossed the wire, and ticks the
// scenario's tasks as the exchanges meet them.
//
// The server answers one request per connection (it sends Connection:
// close), which is what lets it attribute the raw bytes of a connection to
// exactly one exchange.
type HTTPLab struct {
	scenario *scenario
	state    http.Handler
	clock    func() time.Time
	ln       net.Listener
	srv      *http.Server
	served   chan struct{}
	changes  chan struct{}

	mu      sync.Mutex
	log     []Exchange
	seq     int
	tasks   []TaskStatus
	checks  []func([]Exchange) bool
	waiters map[string]chan Exchange
	stop    func() bool // unregisters the close on ctx done
	closed  bool
}

// Header is one request header line.
type Header struct{ Name, Value string }

// Request is what the learner composes to send.
type Request struct {
	Method  string
	Path    string // path and query, starting with "/"
	Headers []Header
	Body    string
	// Timeout is how long to wait for the response; 0 means SendTimeout.
	Timeout time.Duration
}

// Exchange is one request and its response as the server saw them.
type Exchange struct {
	Seq    int
	Time   time.Time // when the request arrived
	Remote string    // the client's address
	// Parsed from the request.
	Method        string
	Target        string // the request target as sent: path and query
	Path          string // the target's path
	RequestHeader http.Header
	// Parsed from the response; Status is 0 if none was sent.
	Status         int
	ResponseHeader http.Header
	// Raw bytes as they crossed the wire.
	RawRequest, RawResponse []byte
	Truncated               bool // a direction was longer than 64 KiB; the rest is not kept
	Duration                time.Duration
	// ClientGaveUp is set when the client closed the connection before the
	// server answered (a timeout on the client side, for example); then
	// RawResponse is empty (what the server wrote after, nobody read) and
	// GaveUpAfter is how long the client waited.
	ClientGaveUp bool
	GaveUpAfter  time.Duration
}

// TaskStatus is one task of an HTTP lab and whether it is done.
type TaskStatus struct {
	ID, Title string
	// Do says what to do, for the learner.
	Do     string
	Done   bool
	DoneBy int // Seq of the exchange that completed it
}

// StartHTTP starts a scenario server on 127.0.0.1 at a free port. With
// taskIDs only those tasks are tracked, in that order; without, all of the
// scenario's. The lab runs until Close or until ctx is done.
func StartHTTP(ctx context.Context, scenarioName string, taskIDs ...string) (*HTTPLab, error) {
	return startHTTP(ctx, scenarioName, time.Now, taskIDs)
}

func startHTTP(ctx context.Context, scenarioName string, clock func() time.Time, taskIDs []string) (*HTTPLab, error) {
	sc, ok := scenarioByName(scenarioName)
	if !ok {
		return nil, fmt.Errorf("no HTTP scenario %q (known: %s)", scenarioName, strings.Join(ScenarioNames(), ", "))
	}
	l := &HTTPLab{
		scenario: sc,
		clock:    clock,
		served:   make(chan struct{}),
		changes:  make(chan struct{}, 1),
		waiters:  map[string]chan Exchange{},
	}
	if len(taskIDs) == 0 {
		taskIDs = sc.taskIDs()
	}
	for _, id := range taskIDs {
		t, ok := sc.task(id)
		if !ok {
			return nil, fmt.Errorf("scenario %q has no task %q (its tasks: %s)", sc.name, id, strings.Join(sc.taskIDs(), ", "))
		}
		l.tasks = append(l.tasks, TaskStatus{ID: t.ID, Title: t.Title, Do: t.Do})
		l.checks = append(l.checks, t.done)
	}
	l.state = sc.handler(clock)

	var lc net.ListenConfig
	ln, err := listenLab(ctx, &lc)
	if err != nil {
		return nil, fmt.Errorf("start the lab server: %w", err)
	}
	l.ln = &recordingListener{Listener: ln, lab: l}
	l.srv = &http.Server{
		Handler:           http.HandlerFunc(l.serve),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       20 * time.Second,
		WriteTimeout:      30 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			return context.WithValue(ctx, connKey{}, c)
		},
		// The server's own complaints (a malformed request, a client that
		// hung up) would land on stderr, over the TUI; the log shows them.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	l.srv.SetKeepAlivesEnabled(false)
	go func() {
		defer close(l.served)
		l.srv.Serve(l.ln)
	}()
	stop := context.AfterFunc(ctx, func() { l.Close() })
	l.mu.Lock()
	l.stop = stop
	l.mu.Unlock()
	return l, nil
}

// Scenario is the name of the scenario the lab serves.
func (l *HTTPLab) Scenario() string { return l.scenario.name }

// BaseURL is the server's address, e.g. http://127.0.0.1:41234.
func (l *HTTPLab) BaseURL() string { return "http://" + l.ln.Addr().String() }

// Changes delivers a value (coalesced) whenever an exchange is logged. It is
// meant for one reader, typically a command waiting to refresh a screen.
func (l *HTTPLab) Changes() <-chan struct{} { return l.changes }

// Done is closed once the lab has shut down, so a command waiting on
// Changes can stop waiting.
func (l *HTTPLab) Done() <-chan struct{} { return l.served }

// Log returns the logged exchanges, oldest first (at most the last 500).
func (l *HTTPLab) Log() []Exchange {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Exchange(nil), l.log...)
}

// Tasks returns the lab's tasks and whether each is done.
func (l *HTTPLab) Tasks() []TaskStatus {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]TaskStatus(nil), l.tasks...)
}

// Close stops the server, closes every connection and releases the port.
// It is safe to call more than once.
func (l *HTTPLab) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	stop := l.stop
	l.mu.Unlock()
	if stop != nil {
		stop()
	}
	err := l.srv.Close()
	<-l.served
	return err
}

// CurlLine is the curl command that sends req to the lab, for the learner
// to copy into another terminal.
func (l *HTTPLab) CurlLine(req Request) string {
	parts := []string{"curl", "-i"}
	if req.Method != "" && req.Method != http.MethodGet {
		if req.Method == http.MethodHead {
			parts = append(parts, "--head")
		} else {
			parts = append(parts, "-X", shellQuote(req.Method))
		}
	}
	for _, h := range req.Headers {
		parts = append(parts, "-H", shellQuote(h.Name+": "+h.Value))
	}
	if req.Body != "" {
		parts = append(parts, "--data-binary", shellQuote(req.Body))
	}
	if req.Timeout > 0 {
		parts = append(parts, "--max-time", strconv.FormatFloat(req.Timeout.Seconds(), 'f', -1, 64))
	}
	return strings.Join(append(parts, shellQuote(l.BaseURL()+req.Path)), " ")
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@,+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Send sends req to the lab server and returns the exchange as the server
// logged it. A request the server never answered in time is an error (the
// server still logs it, marked ClientGaveUp).
func (l *HTTPLab) Send(ctx context.Context, req Request) (Exchange, error) {
	hreq, err := buildRequest(ctx, l.BaseURL(), req)
	if err != nil {
		return Exchange{}, err
	}
	timeout := req.Timeout
	if timeout <= 0 {
		timeout = SendTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", l.ln.Addr().String())
	if err != nil {
		return Exchange{}, fmt.Errorf("connect to the lab server: %w", err)
	}
	defer conn.Close()
	key := conn.LocalAddr().String()
	got := make(chan Exchange, 1)
	l.mu.Lock()
	l.waiters[key] = got
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		delete(l.waiters, key)
		l.mu.Unlock()
	}()
	if _, _, _, err := exchangeOn(ctx, conn, hreq); err != nil {
		if ctx.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded) {
			return Exchange{}, fmt.Errorf("no response within %s: the client gave up", timeout)
		}
		return Exchange{}, err
	}
	conn.Close()
	// The server logs the exchange when it closes its side, right after
	// the response; wait for that record so the caller sees the server's
	// view of the bytes.
	wait := time.NewTimer(5 * time.Second)
	defer wait.Stop()
	select {
	case ex := <-got:
		return ex, nil
	case <-wait.C:
		return Exchange{}, errors.New("the lab server did not log the exchange")
	}
}

// ParseRequest reads a request the learner wrote as text, the way it looks
// on the wire: a request line ("GET /books/1"; the HTTP version may be left
// out, and a bare path means GET), header lines ("Name: value"), then a
// blank line and the body.
func ParseRequest(text string) (Request, error) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	head, body, _ := strings.Cut(strings.TrimLeft(text, "\n"), "\n\n")
	lines := strings.Split(head, "\n")
	f := strings.Fields(lines[0])
	var req Request
	switch {
	case len(f) == 1 && strings.HasPrefix(f[0], "/"):
		req.Method, req.Path = http.MethodGet, f[0]
	case len(f) == 2 || len(f) == 3 && strings.HasPrefix(f[2], "HTTP/"):
		req.Method, req.Path = strings.ToUpper(f[0]), f[1]
	default:
		return Request{}, errors.New("line 1: write a request line like GET /books/1")
	}
	if !strings.HasPrefix(req.Path, "/") {
		return Request{}, fmt.Errorf("line 1: the path %q must start with /", req.Path)
	}
	for i, line := range lines[1:] {
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return Request{}, fmt.Errorf("line %d: write a header as Name: value (and a blank line before the body)", i+2)
		}
		req.Headers = append(req.Headers, Header{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value)})
	}
	req.Body = strings.TrimRight(body, "\n")
	return req, nil
}

// buildRequest validates what the learner composed.
func buildRequest(ctx context.Context, base string, req Request) (*http.Request, error) {
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	if !validToken(method) {
		return nil, fmt.Errorf("method %q is not a valid HTTP method: use letters such as GET or POST", method)
	}
	if !strings.HasPrefix(req.Path, "/") {
		return nil, fmt.Errorf("path %q must start with /", req.Path)
	}
	u, err := url.Parse(base + req.Path)
	if err != nil {
		return nil, fmt.Errorf("path %q: %v", req.Path, err)
	}
	var body io.Reader
	if req.Body != "" {
		body = strings.NewReader(req.Body)
	}
	hreq, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, err
	}
	for _, h := range req.Headers {
		if !validToken(h.Name) {
			return nil, fmt.Errorf("header name %q is not valid: use letters, digits and dashes", h.Name)
		}
		if strings.ContainsAny(h.Value, "\r\n") {
			return nil, fmt.Errorf("header %s: a value cannot contain a line break", h.Name)
		}
		if strings.EqualFold(h.Name, "Host") {
			hreq.Host = h.Value
			continue
		}
		hreq.Header.Add(h.Name, h.Value)
	}
	hreq.Close = true
	return hreq, nil
}

func validToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > 126 || r <= 32 || strings.ContainsRune("()<>@,;:\\\"/[]?={}", r) {
			return false
		}
	}
	return true
}

// exchangeOn writes req on conn and reads the response, returning the raw
// bytes of both directions and the parsed response with its whole body.
func exchangeOn(ctx context.Context, conn net.Conn, req *http.Request) (rawReq, rawResp []byte, resp *http.Response, err error) {
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	var sent bytes.Buffer
	if err := req.Write(io.MultiWriter(conn, &capped{buf: &sent})); err != nil {
		return sent.Bytes(), nil, nil, fmt.Errorf("send the request: %w", err)
	}
	var recv bytes.Buffer
	head := &io.LimitedReader{R: io.TeeReader(conn, &capped{buf: &recv}), N: MaxResponseHeaderBytes}
	br := bufio.NewReader(head)
	resp, err = http.ReadResponse(br, req)
	if err != nil {
		return sent.Bytes(), recv.Bytes(), nil, responseHeadError(head, err)
	}
	if err := checkHeaderCount(resp.Header); err != nil {
		resp.Body.Close()
		return sent.Bytes(), recv.Bytes(), nil, err
	}
	head.N += maxBody + 1 // the head was within bounds: now let the body through
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return sent.Bytes(), recv.Bytes(), resp, fmt.Errorf("read the response body: %w", err)
	}
	return sent.Bytes(), recv.Bytes(), resp, nil
}

// capped is a writer that keeps at most maxRaw bytes and drops the rest.
type capped struct {
	buf       *bytes.Buffer
	truncated bool
}

func (c *capped) Write(p []byte) (int, error) {
	if room := maxRaw - c.buf.Len(); room < len(p) {
		c.truncated = true
		if room > 0 {
			c.buf.Write(p[:room])
		}
		return len(p), nil
	}
	return c.buf.Write(p)
}

type connKey struct{}

// requestNote lets a scenario handler mark what only it can see.
type requestNote struct {
	clientGaveUp bool
	gaveUpAt     time.Time
}

type noteKey struct{}

func noteClientGaveUp(r *http.Request) {
	if n, ok := r.Context().Value(noteKey{}).(*requestNote); ok {
		n.clientGaveUp, n.gaveUpAt = true, time.Now()
	}
}

// serve wraps the scenario handler: it bounds the body and notes what the
// handler saw so the connection can be logged when it closes.
func (l *HTTPLab) serve(w http.ResponseWriter, r *http.Request) {
	rc, _ := r.Context().Value(connKey{}).(*recordingConn)
	note := &requestNote{}
	r = r.WithContext(context.WithValue(r.Context(), noteKey{}, note))
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if !l.ownHost(r.Host) {
		misdirected(w, r.Host, l.ln.Addr())
	} else {
		l.state.ServeHTTP(w, r)
	}
	if rc != nil {
		rc.mu.Lock()
		rc.gaveUp = note.clientGaveUp
		if rc.gaveUp {
			rc.gaveUpAfter = note.gaveUpAt.Sub(rc.started)
		}
		rc.mu.Unlock()
	}
}

type recordingListener struct {
	net.Listener
	lab *HTTPLab
}

func (rl *recordingListener) Accept() (net.Conn, error) {
	c, err := rl.Listener.Accept()
	if err != nil {
		return nil, err
	}
	rc := &recordingConn{Conn: c, lab: rl.lab, start: rl.lab.clock(), started: time.Now()}
	rc.in.buf, rc.out.buf = &rc.inBuf, &rc.outBuf
	return rc, nil
}

// recordingConn keeps the bytes read and written on a connection; when the
// server closes it, the lab logs them as one exchange.
type recordingConn struct {
	net.Conn
	lab     *HTTPLab
	start   time.Time // by the lab clock
	started time.Time // by the wall clock, for Duration

	mu          sync.Mutex
	in, out     capped
	inBuf       bytes.Buffer
	outBuf      bytes.Buffer
	gaveUp      bool
	gaveUpAfter time.Duration
	closeOnce   sync.Once
}

func (c *recordingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.mu.Lock()
		c.in.Write(p[:n])
		c.mu.Unlock()
	}
	return n, err
}

func (c *recordingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if n > 0 {
		c.mu.Lock()
		c.out.Write(p[:n])
		c.mu.Unlock()
	}
	return n, err
}

func (c *recordingConn) Close() error {
	err := c.Conn.Close()
	c.closeOnce.Do(func() {
		c.mu.Lock()
		ex := Exchange{
			Time:         c.start,
			Remote:       c.RemoteAddr().String(),
			RawRequest:   bytes.Clone(c.inBuf.Bytes()),
			RawResponse:  bytes.Clone(c.outBuf.Bytes()),
			Truncated:    c.in.truncated || c.out.truncated,
			Duration:     time.Since(c.started),
			ClientGaveUp: c.gaveUp,
			GaveUpAfter:  c.gaveUpAfter,
		}
		c.mu.Unlock()
		dropUnreadResponse(&ex)
		if len(ex.RawRequest) > 0 {
			c.lab.add(ex)
		}
	})
	return err
}

// add parses a finished exchange, logs it and ticks tasks.
func (l *HTTPLab) add(ex Exchange) {
	if req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(ex.RawRequest))); err == nil {
		ex.Method, ex.Target, ex.RequestHeader = req.Method, req.RequestURI, req.Header
		ex.Path = req.URL.Path
		if req.Host != "" {
			ex.RequestHeader.Set("Host", req.Host)
		}
	}
	if len(ex.RawResponse) > 0 {
		var req *http.Request
		if ex.Method == http.MethodHead {
			req = &http.Request{Method: http.MethodHead}
		}
		if resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(ex.RawResponse)), req); err == nil {
			ex.Status, ex.ResponseHeader = resp.StatusCode, resp.Header
			resp.Body.Close()
		}
	}
	l.mu.Lock()
	l.seq++
	ex.Seq = l.seq
	l.log = append(l.log, ex)
	if len(l.log) > maxLog {
		l.log = append([]Exchange(nil), l.log[len(l.log)-maxLog:]...)
	}
	for i := range l.tasks {
		if !l.tasks[i].Done && l.checks[i](l.log) {
			l.tasks[i].Done, l.tasks[i].DoneBy = true, ex.Seq
		}
	}
	waiter := l.waiters[ex.Remote]
	l.mu.Unlock()
	if waiter != nil {
		select {
		case waiter <- ex:
		default:
		}
	}
	select {
	case l.changes <- struct{}{}:
	default:
	}
}
