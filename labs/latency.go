package labs

import (
	"context"
	"math"
	"net/http"
	"slices"
	"sync"
	"time"
)

// The latency scenario is a service with a long tail, for load-testing
// lessons: most calls to /work are quick, a steady few are slow, and /stats
// reports the percentiles the server measured, so a learner can compare
// them with what their load tool saw and with the mean.
const (
	latencyFast = 10 * time.Millisecond
	latencySlow = 300 * time.Millisecond
	// latencySlowEvery: every 50th call is slow, 2% of them, so the p99 of
	// any run of 100 or more calls lands in the tail while the p50 and p90
	// do not.
	latencySlowEvery = 50
	// latencyKeep bounds the durations the server remembers for /stats.
	latencyKeep = 10_000
	// latencyLoad is the number of /work calls the load tasks ask for.
	latencyLoad = 100
	// latencyConcurrent is how many calls must be in flight at once.
	latencyConcurrent = 10
)

// LatencyGuide describes the latency scenario's routes for the learner.
const LatencyGuide = `A service with a long tail: most calls are quick, a few are slow.

| Route | What it does |
| --- | --- |
| GET /work | one call: usually about 10 ms, but every 50th call takes about 300 ms |
| GET /stats | what the server measured so far: count, mean, p50, p90, p99 and max, in ms |
| DELETE /stats | forget the measurements and start counting again |

Every response closes its connection, so each call is an exchange of its own in the log.
A load tool makes the work easy: ` + "`hey -n 200 -c 10 URL/work`" + ` or ` + "`oha -n 200 -c 10 URL/work`" + `,
or a shell loop of curl.`

func latencyScenario() *scenario {
	return &scenario{
		name:    "latency",
		title:   "A service with a long tail",
		guide:   LatencyGuide,
		starter: "GET /work\n",
		handler: func(clock func() time.Time) http.Handler { return newLatencyService(clock, sleepCtx) },
		tasks: []httpTask{
			{ID: "load-100", Title: "Put some load on it",
				Do:   "Send at least 100 GET /work requests (a load tool, or a loop of curl); each answers 200.",
				done: func(log []Exchange) bool { return countWork(log) >= latencyLoad }},
			{ID: "concurrent-load", Title: "Load it concurrently",
				Do:   "Have at least 10 GET /work requests in flight at the same moment (hey -c 10, oha -c 10, or curl in the background).",
				done: func(log []Exchange) bool { return maxInFlight(log, "/work") >= latencyConcurrent }},
			{ID: "read-percentiles", Title: "Read the server's percentiles",
				Do:   "After 100 or more calls to /work, GET /stats and compare its p50, p99 and mean with what your load tool printed.",
				done: readStatsAfterLoad},
			{ID: "timeout-in-the-tail", Title: "Set a timeout inside the tail",
				Do:   "Call /work with a client timeout between the fast and the slow time (curl --max-time 0.1) until a slow call is cut off: the server sees the client give up.",
				done: anyExchange(func(e Exchange) bool { return e.Path == "/work" && e.ClientGaveUp })},
		},
	}
}

// sleepCtx waits for d, or until ctx is done; it reports whether the full
// time passed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

type latencyService struct {
	clock func() time.Time
	sleep func(context.Context, time.Duration) bool

	mu    sync.Mutex
	calls int             // calls to /work since the start (or the last reset)
	took  []time.Duration // the measured durations, at most latencyKeep
}

func newLatencyService(clock func() time.Time, sleep func(context.Context, time.Duration) bool) http.Handler {
	s := &latencyService{clock: clock, sleep: sleep}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{
			"name":   "latency",
			"routes": []string{"GET /work", "GET /stats", "DELETE /stats"},
		})
	})
	mux.HandleFunc("GET /work", s.work)
	mux.HandleFunc("GET /stats", s.stats)
	mux.HandleFunc("DELETE /stats", s.reset)
	return mux
}

func (s *latencyService) work(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.calls++
	n := s.calls
	s.mu.Unlock()
	d := latencyFast
	if n%latencySlowEvery == 0 {
		d = latencySlow
	}
	start := s.clock()
	if !s.sleep(r.Context(), d) {
		noteClientGaveUp(r)
		return
	}
	took := s.clock().Sub(start)
	s.mu.Lock()
	if len(s.took) < latencyKeep {
		s.took = append(s.took, took)
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"call": n, "took_ms": ms(took)})
}

// latencyStats is what GET /stats answers.
type latencyStats struct {
	Count int     `json:"count"`
	Mean  float64 `json:"mean_ms"`
	P50   float64 `json:"p50_ms"`
	P90   float64 `json:"p90_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
}

func (s *latencyService) stats(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	took := slices.Clone(s.took)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, summarise(took))
}

func (s *latencyService) reset(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	s.calls, s.took = 0, nil
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func summarise(took []time.Duration) latencyStats {
	if len(took) == 0 {
		return latencyStats{}
	}
	slices.Sort(took)
	var sum time.Duration
	for _, d := range took {
		sum += d
	}
	return latencyStats{
		Count: len(took),
		Mean:  ms(sum / time.Duration(len(took))),
		P50:   ms(percentile(took, 50)),
		P90:   ms(percentile(took, 90)),
		P99:   ms(percentile(took, 99)),
		Max:   ms(took[len(took)-1]),
	}
}

// percentile is the nearest-rank percentile of sorted durations: the
// smallest value with at least p% of the values at or below it.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// ms is d in milliseconds, to a tenth.
func ms(d time.Duration) float64 {
	return math.Round(float64(d)/float64(time.Millisecond)*10) / 10
}

func isWork(e Exchange) bool {
	return e.Method == http.MethodGet && e.Path == "/work" && e.Status == http.StatusOK
}

func countWork(log []Exchange) int {
	n := 0
	for _, e := range log {
		if isWork(e) {
			n++
		}
	}
	return n
}

// maxInFlight is the largest number of successful exchanges to path whose
// time on the connection overlapped at one moment.
func maxInFlight(log []Exchange, path string) int {
	type edge struct {
		at    time.Time
		delta int
	}
	var edges []edge
	for _, e := range log {
		if !isWork(e) || e.Path != path {
			continue
		}
		edges = append(edges, edge{e.Time, +1}, edge{e.Time.Add(e.Duration), -1})
	}
	// At the same instant, an end sorts before a start: touching is not
	// overlapping.
	slices.SortFunc(edges, func(a, b edge) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return a.delta - b.delta
	})
	best, cur := 0, 0
	for _, e := range edges {
		cur += e.delta
		best = max(best, cur)
	}
	return best
}

// readStatsAfterLoad: a GET /stats answered 200 when at least latencyLoad
// calls to /work had already been answered.
func readStatsAfterLoad(log []Exchange) bool {
	n := 0
	for _, e := range log {
		if isWork(e) {
			n++
		}
		if n >= latencyLoad && e.Method == http.MethodGet && e.Path == "/stats" && e.Status == http.StatusOK {
			return true
		}
	}
	return false
}
