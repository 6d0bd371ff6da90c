package labs

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"
)

func lifecycleStatus(t *testing.T, l *HTTPLab) (state string, inFlight int) {
	t.Helper()
	resp, err := http.Get(l.BaseURL() + "/admin/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s struct {
		State    string `json:"state"`
		InFlight int    `json:"in_flight"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		t.Fatal(err)
	}
	return s.State, s.InFlight
}

func do(t *testing.T, l *HTTPLab, method, path string) int {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), method, l.BaseURL()+path, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// A whole graceful shutdown, on the lab clock: ready, terminate while a
// request is in flight, draining (unready but alive and still serving), then
// stopped (new work refused) while the in-flight request finishes.
func TestLifecycleShutdown(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	l, err := startHTTP(t.Context(), "lifecycle", clock.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })

	if got := do(t, l, "GET", "/readyz"); got != 200 {
		t.Fatalf("readyz before terminate: %d", got)
	}
	slow := make(chan int, 1)
	go func() {
		resp, err := http.Get(l.BaseURL() + "/work?ms=400")
		if err != nil {
			slow <- 0
			return
		}
		resp.Body.Close()
		slow <- resp.StatusCode
	}()
	waitFor(t, func() bool { _, n := lifecycleStatus(t, l); return n == 1 })
	clock.Advance(time.Millisecond) // the terminate arrives after the slow request started

	if got := do(t, l, "POST", "/admin/terminate"); got != http.StatusAccepted {
		t.Fatalf("terminate: %d", got)
	}
	clock.Advance(time.Millisecond)
	if st, _ := lifecycleStatus(t, l); st != "draining" {
		t.Fatalf("state after terminate = %s, want draining", st)
	}
	if got := do(t, l, "GET", "/readyz"); got != http.StatusServiceUnavailable {
		t.Fatalf("readyz while draining: %d", got)
	}
	if got := do(t, l, "GET", "/livez"); got != 200 {
		t.Fatalf("livez while draining: %d", got)
	}
	if got := do(t, l, "GET", "/work?ms=0"); got != 200 {
		t.Fatalf("new work while draining: %d, want it still served", got)
	}

	clock.Advance(lifecycleDrain)
	if st, _ := lifecycleStatus(t, l); st != "stopped" {
		t.Fatalf("state after the drain = %s, want stopped", st)
	}
	if got := do(t, l, "GET", "/work?ms=0"); got != http.StatusServiceUnavailable {
		t.Fatalf("new work after the drain: %d, want 503", got)
	}
	if got := <-slow; got != 200 {
		t.Fatalf("the in-flight request answered %d, want 200", got)
	}
	waitFor(t, func() bool {
		for _, ts := range l.Tasks() {
			if !ts.Done {
				return false
			}
		}
		return true
	})

	if got := do(t, l, "POST", "/admin/restart"); got != 200 {
		t.Fatalf("restart: %d", got)
	}
	if st, _ := lifecycleStatus(t, l); st != "ready" {
		t.Fatalf("state after restart = %s", st)
	}
}

// Only what happens after a terminate (and before a restart) counts.
func TestAfterTerminateNeedsATerminate(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	at := func(s int, method, path string, status int) Exchange {
		return Exchange{Time: t0.Add(time.Duration(s) * time.Second), Method: method, Path: path, Status: status}
	}
	unready := afterTerminate(func(e Exchange) bool { return e.Path == "/readyz" && e.Status == 503 })
	for _, c := range []struct {
		name string
		log  []Exchange
		want bool
	}{
		{"no terminate", []Exchange{at(1, "GET", "/readyz", 503)}, false},
		{"before the terminate", []Exchange{at(1, "GET", "/readyz", 503), at(2, "POST", "/admin/terminate", 202)}, false},
		{"after the terminate", []Exchange{at(1, "POST", "/admin/terminate", 202), at(2, "GET", "/readyz", 503)}, true},
		{"after a restart", []Exchange{at(1, "POST", "/admin/terminate", 202), at(2, "POST", "/admin/restart", 200), at(3, "GET", "/readyz", 503)}, false},
	} {
		if got := unready(c.log); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	// A /work that ended before the terminate was not in flight.
	done := Exchange{Time: t0, Duration: time.Second, Method: "GET", Path: "/work", Status: 200}
	if inFlightFinished([]Exchange{done, at(5, "POST", "/admin/terminate", 202)}) {
		t.Error("a request that ended before the terminate counted as in flight")
	}
}
