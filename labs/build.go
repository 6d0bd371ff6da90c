package labs

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"serverside/termsafe"
)

// Limits of the checker.
const (
	// RequestTimeout bounds each request the checker sends.
	RequestTimeout = 3 * time.Second
	// CheckTimeout bounds a whole check.
	CheckTimeout = 2 * time.Minute
	// maxShown bounds the raw bytes a failure shows of each direction.
	maxShown = 2048
)

// BuildLab is a service the learner builds on their own, in any language,
// and runs on loopback for Check to drive.
type BuildLab struct {
	ID, Title string
	Summary   string
	// Spec is the specification for the learner, in markdown: routes,
	// bodies and status codes, everything the checker relies on.
	Spec   string
	stages []stage
}

// Stage names one stage of a build lab's check.
type Stage struct{ ID, Title string }

// Stages lists the lab's stages in the order they run.
func (b BuildLab) Stages() []Stage {
	var out []Stage
	for _, s := range b.stages {
		out = append(out, Stage{ID: s.id, Title: s.title})
	}
	return out
}

type stage struct {
	id, title string
	run       func(ctx context.Context, c *checkClient) error
}

// StageResult is the outcome of running one stage once.
type StageResult struct {
	Index     int // 0-based position among the lab's stages
	ID, Title string
	// Rerun is set when the stage ran again, after a later stage (After)
	// passed, to catch regressions.
	Rerun   bool
	After   string
	Ran     bool
	Passed  bool
	Failure *Failure
	Elapsed time.Duration
}

// Failure says what went wrong in a stage: what the checker sent, what it
// expected and what came back, raw.
type Failure struct {
	Step     string // what the checker was doing
	Sent     string // the raw request ("" if none was sent)
	Expected string
	Got      string // the raw response, or the error in its place
	// Hint, when set, names likely causes (see build_hints.go).
	Hint string
}

func (f *Failure) Error() string { return f.Step + ": expected " + f.Expected }

// Report is the outcome of a whole check.
type Report struct {
	Lab, Addr string
	// Stages holds each stage's latest result, in order; stages after the
	// first failure did not run.
	Stages  []StageResult
	Passed  bool
	Failed  *StageResult // the failing run, if any
	Elapsed time.Duration
}

// BuildLabs lists the build labs that ship with serverside.
func BuildLabs() []BuildLab {
	return []BuildLab{restResourceLab(), kvTTLLab()}
}

// FindBuildLab is the build lab called id, or an error that lists the
// ones there are: the lab screen, `serverside check` and lab blocks all
// look labs up here.
func FindBuildLab(id string) (BuildLab, error) {
	var ids []string
	for _, b := range BuildLabs() {
		if b.ID == id {
			return b, nil
		}
		ids = append(ids, b.ID)
	}
	return BuildLab{}, fmt.Errorf("no build lab %q (there are: %s)", id, strings.Join(ids, ", "))
}

// LoopbackAddr checks that addr names a port on this machine and returns it
// as host:port. It accepts "8080", ":8080", "localhost:8080",
// "127.0.0.1:8080", "[::1]:8080" and the same with an http:// prefix.
func LoopbackAddr(addr string) (string, error) {
	a := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(addr), "http://"), "/")
	if a == "" {
		return "", errors.New("no address: give the one your server listens on, e.g. 127.0.0.1:8080")
	}
	if !strings.Contains(a, ":") {
		a = ":" + a
	}
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return "", fmt.Errorf("address %q: %v (expected 127.0.0.1:PORT)", addr, err)
	}
	if p, err := net.LookupPort("tcp", port); err != nil || p == 0 {
		return "", fmt.Errorf("address %q: %q is not a port number", addr, port)
	}
	switch host {
	case "", "localhost", "127.0.0.1":
		host = "127.0.0.1"
	case "::1":
	default:
		return "", fmt.Errorf("address %q is not on this machine: the checker only talks to loopback (127.0.0.1 or ::1)", addr)
	}
	return net.JoinHostPort(host, port), nil
}

// Check drives the service at addr through the lab's stages, in order, like
// a test suite. When a stage passes, the stages before it run again, so a
// change that broke earlier behaviour is caught. Every request is bounded
// by RequestTimeout and the whole check by CheckTimeout. progress, if not
// nil, is called after every stage run, on the calling goroutine.
//
// A failing stage is a Report that did not pass; the error is for a check
// that could not start (unknown lab, an address that is not loopback).
func Check(ctx context.Context, labID, addr string, progress func(StageResult)) (Report, error) {
	lab, err := FindBuildLab(labID)
	if err != nil {
		return Report{}, err
	}
	hostport, err := LoopbackAddr(addr)
	if err != nil {
		return Report{}, err
	}
	return runCheck(ctx, lab, &checkClient{addr: hostport, timeout: RequestTimeout}, progress), nil
}

func runCheck(ctx context.Context, lab BuildLab, c *checkClient, progress func(StageResult)) Report {
	ctx, cancel := context.WithTimeout(ctx, CheckTimeout)
	defer cancel()
	start := time.Now()
	rep := Report{Lab: lab.ID, Addr: c.addr}
	for i, s := range lab.stages {
		rep.Stages = append(rep.Stages, StageResult{Index: i, ID: s.id, Title: s.title})
	}
	run := func(i int, after string) StageResult {
		s := lab.stages[i]
		t := time.Now()
		err := s.run(ctx, c)
		r := StageResult{Index: i, ID: s.id, Title: s.title, Rerun: after != "", After: after, Ran: true, Passed: err == nil, Elapsed: time.Since(t)}
		if err != nil {
			var f *Failure
			if !errors.As(err, &f) {
				f = &Failure{Step: "running the stage", Expected: "no error", Got: err.Error()}
			}
			if ctx.Err() != nil {
				f = &Failure{Step: f.Step, Sent: f.Sent, Expected: f.Expected, Got: "the check was stopped: " + ctx.Err().Error()}
			}
			r.Failure = f
		}
		rep.Stages[i] = r
		if progress != nil {
			progress(r)
		}
		return r
	}
	rep.Passed = true
stages:
	for i := range lab.stages {
		if r := run(i, ""); !r.Passed {
			rep.Passed, rep.Failed = false, &r
			break
		}
		for j := range i {
			if r := run(j, lab.stages[i].id); !r.Passed {
				rep.Passed, rep.Failed = false, &r
				break stages
			}
		}
	}
	rep.Elapsed = time.Since(start)
	return rep
}

// Text is the report for a terminal: one line a stage, and the failure in
// full, sanitised.
func (r Report) Text() string { return termsafe.Text(r.text()) }

func (r Report) text() string {
	var b strings.Builder
	for _, s := range r.Stages {
		mark := "·"
		switch {
		case s.Ran && s.Passed:
			mark = "✓"
		case s.Ran:
			mark = "✗"
		}
		fmt.Fprintf(&b, "%s %d. %s", mark, s.Index+1, s.Title)
		if s.Rerun && !s.Passed {
			fmt.Fprintf(&b, " (broke again after stage %q passed)", s.After)
		}
		b.WriteString("\n")
	}
	if r.Failed != nil && r.Failed.Failure != nil {
		b.WriteString("\n" + r.Failed.Failure.text())
	}
	if r.Passed {
		fmt.Fprintf(&b, "\nAll %d stages pass.\n", len(r.Stages))
	}
	return b.String()
}

// Text shows a failure in full, for a terminal. What the service sent
// passes the sanitiser: its status line, headers and body can hold any
// bytes.
func (f *Failure) Text() string { return termsafe.Text(f.text()) }

func (f *Failure) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "While %s:\n", f.Step)
	if f.Sent != "" {
		b.WriteString("\nSent:\n" + indent(f.Sent))
	}
	b.WriteString("\nExpected:\n" + indent(f.Expected))
	b.WriteString("\nGot:\n" + indent(f.Got))
	if f.Hint != "" {
		b.WriteString("\nHint:\n" + indent(f.Hint))
	}
	return b.String()
}

func indent(s string) string {
	s = strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	return "    " + strings.ReplaceAll(s, "\n", "\n    ") + "\n"
}

// checkClient sends the checker's requests: one connection each, raw bytes
// kept for failures.
type checkClient struct {
	addr    string
	timeout time.Duration
}

type checkResponse struct {
	status  int
	header  http.Header
	body    []byte
	rawReq  string
	rawResp string
}

// send sends one request; a transport failure comes back as a *Failure.
func (c *checkClient) send(ctx context.Context, step, method, path string, header map[string]string, body string) (*checkResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, "http://"+c.addr+path, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	if body == "" {
		req.Body, req.ContentLength = nil, 0
	}
	req.Header.Set("User-Agent", "serverside-check")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	req.Close = true
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		got := err.Error()
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
			got = fmt.Sprintf("no connection within %s", c.timeout)
		}
		return nil, &Failure{Step: step, Expected: "to connect to " + c.addr, Got: got + "\n(is your server running and listening on " + c.addr + "?)"}
	}
	defer conn.Close()
	rawReq, rawResp, resp, err := exchangeOn(ctx, conn, req)
	if err != nil {
		got := err.Error()
		if ctx.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded) {
			got = fmt.Sprintf("no complete response within %s", c.timeout)
		}
		if len(rawResp) > 0 {
			got += "\nwhat came back before that:\n" + shown(rawResp)
		}
		return nil, &Failure{Step: step, Sent: shown(rawReq), Expected: "an HTTP/1.1 response", Got: got}
	}
	respBody, _ := io.ReadAll(resp.Body)
	return &checkResponse{status: resp.StatusCode, header: resp.Header, body: respBody, rawReq: shown(rawReq), rawResp: shown(rawResp)}, nil
}

// shown is raw bytes made printable and bounded for a report.
func shown(raw []byte) string {
	cut := len(raw) > maxShown
	if cut {
		raw = raw[:maxShown]
	}
	s := string(raw)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "�")
	}
	if cut {
		s += "\n… (cut)"
	}
	return termsafe.Text(s)
}

// fail makes a Failure about this response.
func (r *checkResponse) fail(step, expected string, args ...any) *Failure {
	return &Failure{Step: step, Sent: r.rawReq, Expected: fmt.Sprintf(expected, args...), Got: r.rawResp}
}

func (r *checkResponse) isJSON() bool {
	mt, _, _ := mime.ParseMediaType(r.header.Get("Content-Type"))
	return mt == "application/json"
}

// expectStatus fails unless the status is one of want.
func (r *checkResponse) expectStatus(step string, want ...int) error {
	for _, w := range want {
		if r.status == w {
			return nil
		}
	}
	var names []string
	for _, w := range want {
		names = append(names, fmt.Sprintf("%d %s", w, http.StatusText(w)))
	}
	return r.fail(step, "status %s", strings.Join(names, " or "))
}

// expectJSONObject fails unless the body is a JSON object with
// Content-Type application/json, and returns it.
func (r *checkResponse) expectJSONObject(step string) (map[string]any, error) {
	if !r.isJSON() {
		return nil, r.fail(step, "Content-Type: application/json")
	}
	var obj map[string]any
	if err := json.Unmarshal(r.body, &obj); err != nil || obj == nil {
		return nil, r.fail(step, "a JSON object as the body")
	}
	return obj, nil
}

// expectJSONError fails unless the body explains the error: JSON with an
// "error" message, or Problem Details (RFC 9457: application/problem+json
// with a "title" or "detail").
func (r *checkResponse) expectJSONError(step string) error {
	mt, _, _ := mime.ParseMediaType(r.header.Get("Content-Type"))
	if mt != "application/json" && mt != "application/problem+json" {
		return r.fail(step, "Content-Type: application/json (or application/problem+json)")
	}
	var obj map[string]any
	if err := json.Unmarshal(r.body, &obj); err != nil || obj == nil {
		return r.fail(step, `a JSON object as the body, like {"error": "what went wrong"}`)
	}
	for _, k := range []string{"error", "title", "detail"} {
		if k != "error" && mt != "application/problem+json" {
			break
		}
		if msg, ok := obj[k].(string); ok && strings.TrimSpace(msg) != "" {
			return nil
		}
	}
	return r.fail(step, `a JSON body like {"error": "what went wrong"} (or Problem Details with a "title")`)
}

// resolve turns a Location header into a path on the server.
func resolve(loc string) (string, bool) {
	u, err := url.Parse(loc)
	if err != nil || loc == "" {
		return "", false
	}
	if u.Host != "" && u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost" && u.Hostname() != "::1" {
		return "", false
	}
	p := u.EscapedPath()
	if !strings.HasPrefix(p, "/") {
		return "", false
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p, true
}

// token is a random suffix that keeps one check's data apart from
// another's.
func token() string { return strings.ToLower(rand.Text()[:10]) }

// jsonText is a JSON value as compact text, for comparing ids that may be
// numbers or strings.
func jsonText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
