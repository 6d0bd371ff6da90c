package labs

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	t.Parallel()
	ms := func(v ...int) []time.Duration {
		var out []time.Duration
		for _, n := range v {
			out = append(out, time.Duration(n)*time.Millisecond)
		}
		return out
	}
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	for _, c := range []struct {
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{nil, 50, 0},
		{ms(7), 99, 7 * time.Millisecond},
		{ms(1, 2, 3, 4), 50, 2 * time.Millisecond},    // rank ceil(2) = 2
		{ms(1, 2, 3, 4, 5), 50, 3 * time.Millisecond}, // rank ceil(2.5) = 3
		{hundred, 99, 99 * time.Millisecond},
		{hundred, 100, 100 * time.Millisecond},
		{hundred, 0, time.Millisecond}, // rank clamps to 1
	} {
		if got := percentile(c.sorted, c.p); got != c.want {
			t.Errorf("percentile(%v, %v) = %v, want %v", c.sorted, c.p, got, c.want)
		}
	}
}

// newFakeLatency is the scenario on a fake clock whose sleep advances it, so
// every measured duration is exactly the designed one.
func newFakeLatency() http.Handler {
	clock := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	var mu sync.Mutex // one call at a time moves the clock
	return newLatencyService(clock.Now, func(_ context.Context, d time.Duration) bool {
		mu.Lock()
		defer mu.Unlock()
		clock.Advance(d)
		return true
	})
}

func getStats(t *testing.T, h http.Handler) latencyStats {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/stats", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /stats: %d %s", rec.Code, rec.Body)
	}
	var s latencyStats
	if err := json.Unmarshal(rec.Body.Bytes(), &s); err != nil {
		t.Fatalf("GET /stats: %v in %s", err, rec.Body)
	}
	return s
}

// The tail the lessons talk about: 2% of calls slow, so p50 and p90 are
// fast, p99 is slow, and the mean (15.8 ms) describes no call at all.
func TestLatencyServiceHasALongTail(t *testing.T) {
	t.Parallel()
	h := newFakeLatency()
	for i := range 100 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/work", nil))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), fmt.Sprintf(`"call": %d`, i+1)) {
			t.Fatalf("call %d: %d %s", i+1, rec.Code, rec.Body)
		}
	}
	got := getStats(t, h)
	want := latencyStats{Count: 100, Mean: 15.8, P50: 10, P90: 10, P99: 300, Max: 300}
	if got != want {
		t.Fatalf("stats = %+v, want %+v", got, want)
	}

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodDelete, "/stats", nil))
	if rec.Code != http.StatusNoContent {
		t.Fatalf("DELETE /stats: %d", rec.Code)
	}
	if got := getStats(t, h); got != (latencyStats{}) {
		t.Fatalf("after reset: %+v", got)
	}
}

func TestMaxInFlight(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	work := func(startMS, durMS int) Exchange {
		return Exchange{Method: http.MethodGet, Path: "/work", Status: http.StatusOK,
			Time: t0.Add(time.Duration(startMS) * time.Millisecond), Duration: time.Duration(durMS) * time.Millisecond}
	}
	var serial, touching, overlapping []Exchange
	for i := range 10 {
		serial = append(serial, work(i*20, 10))
		touching = append(touching, work(i*10, 10))
		overlapping = append(overlapping, work(i, 50))
	}
	failed := work(5, 50)
	failed.Status = http.StatusInternalServerError
	for _, c := range []struct {
		name string
		log  []Exchange
		want int
	}{
		{"empty", nil, 0},
		{"one after another", serial, 1},
		{"one ending as the next starts", touching, 1},
		{"ten at once", overlapping, 10},
		{"a failed call does not count", append(append([]Exchange(nil), overlapping[:9]...), failed), 9},
	} {
		if got := maxInFlight(c.log, "/work"); got != c.want {
			t.Errorf("%s: maxInFlight = %d, want %d", c.name, got, c.want)
		}
	}
}

func TestReadStatsAfterLoad(t *testing.T) {
	t.Parallel()
	stats := Exchange{Method: http.MethodGet, Path: "/stats", Status: http.StatusOK}
	work := Exchange{Method: http.MethodGet, Path: "/work", Status: http.StatusOK}
	var log []Exchange
	log = append(log, stats) // too early
	for range latencyLoad - 1 {
		log = append(log, work)
	}
	log = append(log, stats) // still one short
	if readStatsAfterLoad(log) {
		t.Fatal("done after 99 calls")
	}
	log = append(log, work, stats)
	if !readStatsAfterLoad(log) {
		t.Fatal("not done after 100 calls and a /stats")
	}
}

// The real lab, end to end: load it, read /stats, cut a slow call off.
func TestLatencyLabTasks(t *testing.T) {
	t.Parallel()
	l, err := StartHTTP(t.Context(), "latency", "load-100", "read-percentiles", "timeout-in-the-tail")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	client := &http.Client{}
	var wg sync.WaitGroup
	errs := make(chan error, latencyLoad)
	for w := range 10 {
		wg.Go(func() {
			for range latencyLoad / 10 {
				resp, err := client.Get(l.BaseURL() + "/work")
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("worker %d: %s", w, resp.Status)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return countWork(l.Log()) >= latencyLoad })

	resp, err := client.Get(l.BaseURL() + "/stats")
	if err != nil {
		t.Fatal(err)
	}
	var s latencyStats
	err = json.NewDecoder(resp.Body).Decode(&s)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	// Sleeping is never shorter than asked, so these bounds hold on any
	// machine; the upper ones depend on the machine and are not checked.
	if s.Count != latencyLoad || s.P50 < 10 || s.P99 < 300 || s.Max < s.P99 || s.P99 < s.P50 {
		t.Fatalf("stats after %d calls: %+v", latencyLoad, s)
	}

	// Reset the count, make 49 calls, then cut the 50th (a slow one) off.
	req, _ := http.NewRequest(http.MethodDelete, l.BaseURL()+"/stats", nil)
	if resp, err := client.Do(req); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	for range latencySlowEvery - 1 {
		resp, err := client.Get(l.BaseURL() + "/work")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	req, _ = http.NewRequestWithContext(ctx, http.MethodGet, l.BaseURL()+"/work", nil)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("the 50th call answered before a 50 ms timeout; it should take 300 ms")
	}
	waitFor(t, func() bool {
		for _, ts := range l.Tasks() {
			if !ts.Done {
				return false
			}
		}
		return true
	})
}

// Every scenario's starter request is one the scenario answers with a 2xx.
func TestScenarioStartersWork(t *testing.T) {
	t.Parallel()
	for _, name := range ScenarioNames() {
		req, err := ParseRequest(ScenarioStarter(name))
		if err != nil {
			t.Fatalf("%s: starter does not parse: %v", name, err)
		}
		l, err := StartHTTP(t.Context(), name)
		if err != nil {
			t.Fatal(err)
		}
		ex, err := l.Send(t.Context(), req)
		l.Close()
		if err != nil || ex.Status < 200 || ex.Status > 299 {
			t.Errorf("%s: starter %q answered %d, %v", name, ScenarioStarter(name), ex.Status, err)
		}
	}
}
