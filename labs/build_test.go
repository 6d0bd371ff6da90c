package labs

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"serverside/labs/testdata/refserver"
)

func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func TestCheckPassesReferences(t *testing.T) {
	for _, tc := range []struct {
		lab string
		h   http.Handler
	}{
		{"rest-resource", refserver.RESTResource("")},
		{"kv-ttl", refserver.KV("")},
	} {
		t.Run(tc.lab, func(t *testing.T) {
			t.Parallel()
			var runs []StageResult
			rep, err := Check(t.Context(), tc.lab, serve(t, tc.h), func(r StageResult) { runs = append(runs, r) })
			if err != nil {
				t.Fatal(err)
			}
			if !rep.Passed || rep.Failed != nil {
				t.Fatalf("reference failed:\n%s", rep.Text())
			}
			n := len(rep.Stages)
			if len(runs) != n+n*(n-1)/2 {
				t.Fatalf("%d stage runs for %d stages: earlier stages must run again after each pass", len(runs), n)
			}
			if runs[2].ID != "health" || !runs[2].Rerun || runs[2].After != rep.Stages[1].ID {
				t.Fatalf("third run = %+v, want health rerun after %s", runs[2], rep.Stages[1].ID)
			}
			for _, s := range rep.Stages {
				if !s.Ran || !s.Passed {
					t.Fatalf("stage %s: %+v", s.ID, s)
				}
			}
			if !strings.Contains(rep.Text(), "All") {
				t.Fatalf("report text:\n%s", rep.Text())
			}
		})
	}
}

func TestCheckFailsBrokenVariants(t *testing.T) {
	type variant struct {
		lab, bug, stage string
		h               http.Handler
	}
	var vs []variant
	for bug, stage := range refserver.RESTBugs {
		vs = append(vs, variant{"rest-resource", bug, stage, refserver.RESTResource(bug)})
	}
	for bug, stage := range refserver.KVBugs {
		vs = append(vs, variant{"kv-ttl", bug, stage, refserver.KV(bug)})
	}
	for _, v := range vs {
		t.Run(v.lab+"/"+v.bug, func(t *testing.T) {
			t.Parallel()
			rep, err := Check(t.Context(), v.lab, serve(t, v.h), nil)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Passed || rep.Failed == nil {
				t.Fatalf("broken variant passed:\n%s", rep.Text())
			}
			if rep.Failed.ID != v.stage {
				t.Fatalf("failed at %s, want %s:\n%s", rep.Failed.ID, v.stage, rep.Text())
			}
			f := rep.Failed.Failure
			if f == nil || f.Step == "" || f.Expected == "" || f.Got == "" {
				t.Fatalf("failure lacks detail: %+v", f)
			}
			if f.Sent != "" && !strings.Contains(f.Got, "HTTP/1.1") && !strings.Contains(f.Got, "ids") {
				t.Fatalf("failure does not show the raw response:\n%s", f.Text())
			}
			// Stages after the failing one did not run.
			for _, s := range rep.Stages[rep.Failed.Index+1:] {
				if s.Ran && !rep.Failed.Rerun {
					t.Fatalf("stage %s ran after the failure", s.ID)
				}
			}
		})
	}
}

func TestCheckCatchesRegressionOnRerun(t *testing.T) {
	rep, err := Check(t.Context(), "rest-resource", serve(t, refserver.RESTResource("health-breaks")), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed == nil || !rep.Failed.Rerun || rep.Failed.After != "concurrency" {
		t.Fatalf("failed = %+v", rep.Failed)
	}
	text := rep.Text()
	for _, want := range []string{"✗ 1. GET /health answers 200 (broke again after stage \"concurrency\" passed)", "✓ 10.", "Sent:\n    GET /health HTTP/1.1", "Expected:\n    status 200 OK", "Got:\n    HTTP/1.1 500 Internal Server Error"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
}

func TestCheckConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	rep, err := Check(t.Context(), "kv-ttl", addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed == nil || rep.Failed.ID != "health" || !strings.Contains(rep.Failed.Failure.Got, "is your server running") {
		t.Fatalf("report:\n%s", rep.Text())
	}
}

func TestCheckBoundsEachRequest(t *testing.T) {
	stall := make(chan struct{})
	t.Cleanup(func() { close(stall) })
	addr := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-stall:
		case <-r.Context().Done():
		}
	}))
	lab, _ := FindBuildLab("kv-ttl")
	rep := runCheck(t.Context(), lab, &checkClient{addr: addr, timeout: 100 * time.Millisecond}, nil)
	if rep.Failed == nil || !strings.Contains(rep.Failed.Failure.Got, "no complete response within 100ms") {
		t.Fatalf("report:\n%s", rep.Text())
	}
}

func TestCheckShowsGarbageResponses(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 1024)
			c.Read(buf)
			c.Write([]byte("hello there\n"))
			c.Close()
		}
	}()
	rep, err := Check(t.Context(), "rest-resource", ln.Addr().String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	f := rep.Failed.Failure
	if !strings.Contains(f.Got, "hello there") || !strings.HasPrefix(f.Sent, "GET /health HTTP/1.1") {
		t.Fatalf("failure:\n%s", f.Text())
	}
}

func TestCheckRefusesOtherLabsAndHosts(t *testing.T) {
	if _, err := Check(t.Context(), "no-such-lab", "127.0.0.1:1", nil); err == nil || !strings.Contains(err.Error(), "rest-resource") {
		t.Fatalf("unknown lab: %v", err)
	}
	if _, err := Check(t.Context(), "kv-ttl", "example.com:80", nil); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("remote host: %v", err)
	}
}

func TestLoopbackAddr(t *testing.T) {
	for in, want := range map[string]string{
		"8080":                   "127.0.0.1:8080",
		":8080":                  "127.0.0.1:8080",
		"localhost:8080":         "127.0.0.1:8080",
		"http://127.0.0.1:9000/": "127.0.0.1:9000",
		"[::1]:8080":             "[::1]:8080",
	} {
		if got, err := LoopbackAddr(in); err != nil || got != want {
			t.Errorf("LoopbackAddr(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "10.0.0.1:80", "example.com:80", "127.0.0.1:http-alt-x", "127.0.0.1:0", "127.0.0.1:99999"} {
		if got, err := LoopbackAddr(in); err == nil {
			t.Errorf("LoopbackAddr(%q) = %q, want an error", in, got)
		}
	}
}

func TestBuildLabsHaveSpecs(t *testing.T) {
	for _, b := range BuildLabs() {
		if b.ID == "" || b.Title == "" || !strings.HasPrefix(b.Spec, "# Build:") || len(b.Stages()) < 5 {
			t.Errorf("lab %+v is incomplete", b.ID)
		}
		if !strings.Contains(b.Spec, "serverside check "+b.ID) {
			t.Errorf("%s: the spec does not say how to check", b.ID)
		}
	}
}

func BenchmarkCheckRESTResource(b *testing.B) {
	srv := httptest.NewServer(refserver.RESTResource(""))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	for b.Loop() {
		if rep, err := Check(b.Context(), "rest-resource", addr, nil); err != nil || !rep.Passed {
			b.Fatalf("%v\n%s", err, rep.Text())
		}
	}
}

func TestExpectJSONError(t *testing.T) {
	for _, c := range []struct {
		ctype, body string
		ok          bool
	}{
		{"application/json", `{"error": "no book 7"}`, true},
		{"application/json; charset=utf-8", `{"error": "no book 7"}`, true},
		{"application/problem+json", `{"title": "Not found", "status": 404}`, true},
		{"application/problem+json", `{"detail": "no book 7"}`, true},
		{"application/json", `{"title": "Not found"}`, false},
		{"application/json", `{"error": ""}`, false},
		{"application/json", `["no book"]`, false},
		{"text/plain", `{"error": "no book 7"}`, false},
		{"text/html", `<h1>Not found</h1>`, false},
	} {
		r := &checkResponse{status: 404, header: http.Header{"Content-Type": {c.ctype}}, body: []byte(c.body)}
		if err := r.expectJSONError("reading"); (err == nil) != c.ok {
			t.Errorf("%s %s: err = %v, want ok=%v", c.ctype, c.body, err, c.ok)
		}
	}
}

// One lookup for every caller: an unknown id is an error naming the labs
// there are (the lab screen used to get a zero lab and check nothing).
func TestFindBuildLab(t *testing.T) {
	if b, err := FindBuildLab("kv-ttl"); err != nil || b.ID != "kv-ttl" {
		t.Fatalf("kv-ttl: %+v %v", b.ID, err)
	}
	_, err := FindBuildLab("kv-tll")
	if err == nil || !strings.Contains(err.Error(), "rest-resource") || !strings.Contains(err.Error(), "kv-ttl") {
		t.Fatalf("unknown lab: %v", err)
	}
}
