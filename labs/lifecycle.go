package labs

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// The lifecycle scenario plays one instance of a service through a graceful
// shutdown, for the lesson on draining and health checks: POST
// /admin/terminate stands for the SIGTERM a platform sends, after which the
// instance fails readiness, stays alive, keeps serving for a drain period
// while load balancers catch up, finishes what is in flight, and then refuses
// new work.
const (
	// lifecycleDrain is how long the instance keeps taking new work after
	// the terminate signal.
	lifecycleDrain = 5 * time.Second
	// lifecycleWork is how long /work takes without ?ms=.
	lifecycleWork = 2 * time.Second
)

// LifecycleGuide describes the lifecycle scenario's routes for the learner.
const LifecycleGuide = `One instance of a service, from ready to shut down.

| Route | What it does |
| --- | --- |
| GET /livez | liveness: 200 while the process runs, draining or not |
| GET /readyz | readiness: 200 when it should get traffic, 503 once it is shutting down |
| GET /work?ms=N | a request that takes N ms (default 2000, at most 10000) |
| GET /admin/status | the state (ready, draining, stopped) and the requests in flight |
| POST /admin/terminate | what SIGTERM would do: fail readiness, drain for 5 s, then refuse new work |
| POST /admin/restart | start again, ready |

After the 5-second drain, new /work requests get 503 while those already running finish.
Every response closes its connection, so each request is an exchange of its own in the log.`

func lifecycleScenario() *scenario {
	return &scenario{
		name:    "lifecycle",
		title:   "An instance shutting down gracefully",
		guide:   LifecycleGuide,
		starter: "GET /readyz\n",
		handler: func(clock func() time.Time) http.Handler { return newLifecycle(clock) },
		tasks: []httpTask{
			{ID: "ready-before", Title: "Check readiness",
				Do: "GET /readyz while the instance is running normally: 200.",
				done: anyExchange(func(e Exchange) bool {
					return e.Method == http.MethodGet && e.Path == "/readyz" && e.Status == http.StatusOK
				})},
			{ID: "in-flight-finishes", Title: "Finish what was started",
				Do:   "Start a slow GET /work?ms=5000, and while it runs POST /admin/terminate: the slow request still answers 200.",
				done: inFlightFinished},
			{ID: "unready-while-draining", Title: "Fail readiness on shutdown",
				Do:   "After POST /admin/terminate, GET /readyz: 503, so load balancers stop sending new traffic.",
				done: afterTerminate(func(e Exchange) bool { return e.Path == "/readyz" && e.Status == http.StatusServiceUnavailable })},
			{ID: "alive-while-draining", Title: "Stay alive while draining",
				Do:   "After POST /admin/terminate, GET /livez: still 200, because a draining instance must not be restarted.",
				done: afterTerminate(func(e Exchange) bool { return e.Path == "/livez" && e.Status == http.StatusOK })},
			{ID: "refused-after-drain", Title: "Refuse new work after the drain",
				Do:   "More than 5 s after POST /admin/terminate, start a new GET /work: 503, the instance takes no new work.",
				done: afterTerminate(func(e Exchange) bool { return e.Path == "/work" && e.Status == http.StatusServiceUnavailable })},
		},
	}
}

type lifecycle struct {
	clock func() time.Time

	mu         sync.Mutex
	terminated time.Time // zero while running normally
	inFlight   int
}

func newLifecycle(clock func() time.Time) http.Handler {
	lc := &lifecycle{clock: clock}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{
			"name":   "lifecycle",
			"routes": []string{"GET /livez", "GET /readyz", "GET /work?ms=N", "GET /admin/status", "POST /admin/terminate", "POST /admin/restart"},
		})
	})
	mux.HandleFunc("GET /livez", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "alive"})
	})
	mux.HandleFunc("GET /readyz", lc.readyz)
	mux.HandleFunc("GET /work", lc.work)
	mux.HandleFunc("GET /admin/status", lc.status)
	mux.HandleFunc("POST /admin/terminate", lc.terminate)
	mux.HandleFunc("POST /admin/restart", lc.restart)
	return mux
}

// state is ready, draining (terminated, still taking work) or stopped
// (terminated, drain over); the caller holds mu.
func (lc *lifecycle) state() string {
	switch {
	case lc.terminated.IsZero():
		return "ready"
	case lc.clock().Sub(lc.terminated) < lifecycleDrain:
		return "draining"
	default:
		return "stopped"
	}
}

func (lc *lifecycle) readyz(w http.ResponseWriter, _ *http.Request) {
	lc.mu.Lock()
	st := lc.state()
	lc.mu.Unlock()
	if st != "ready" {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": st})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": st})
}

func (lc *lifecycle) work(w http.ResponseWriter, r *http.Request) {
	d := lifecycleWork
	if s := r.URL.Query().Get("ms"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || time.Duration(n)*time.Millisecond > maxSlow {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("ms must be a whole number from 0 to %d", maxSlow.Milliseconds()))
			return
		}
		d = time.Duration(n) * time.Millisecond
	}
	lc.mu.Lock()
	if lc.state() == "stopped" {
		lc.mu.Unlock()
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable, "shutting down: send this to another instance")
		return
	}
	lc.inFlight++
	lc.mu.Unlock()
	defer func() {
		lc.mu.Lock()
		lc.inFlight--
		lc.mu.Unlock()
	}()
	if !sleepCtx(r.Context(), d) {
		noteClientGaveUp(r)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"done": true, "took_ms": d.Milliseconds()})
}

func (lc *lifecycle) status(w http.ResponseWriter, _ *http.Request) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"state": lc.state(), "in_flight": lc.inFlight})
}

func (lc *lifecycle) terminate(w http.ResponseWriter, _ *http.Request) {
	lc.mu.Lock()
	if lc.terminated.IsZero() {
		lc.terminated = lc.clock()
	}
	st, n := lc.state(), lc.inFlight
	lc.mu.Unlock()
	writeJSON(w, http.StatusAccepted, map[string]any{"state": st, "in_flight": n, "drain_seconds": int(lifecycleDrain / time.Second)})
}

func (lc *lifecycle) restart(w http.ResponseWriter, _ *http.Request) {
	lc.mu.Lock()
	lc.terminated = time.Time{}
	lc.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"state": "ready"})
}

func isTerminate(e Exchange) bool {
	return e.Method == http.MethodPost && e.Path == "/admin/terminate" && e.Status == http.StatusAccepted
}

// afterTerminate: some exchange that started after a terminate (and before
// any later restart) meets f.
func afterTerminate(f func(Exchange) bool) func([]Exchange) bool {
	return func(log []Exchange) bool {
		for _, t := range log {
			if !isTerminate(t) {
				continue
			}
			for _, e := range log {
				if e.Time.After(t.Time) && f(e) && !restartedBetween(log, t.Time, e.Time) {
					return true
				}
			}
		}
		return false
	}
}

func restartedBetween(log []Exchange, from, to time.Time) bool {
	for _, e := range log {
		if e.Method == http.MethodPost && e.Path == "/admin/restart" && e.Time.After(from) && e.Time.Before(to) {
			return true
		}
	}
	return false
}

// inFlightFinished: a /work that started before a terminate arrived and
// still answered 200.
func inFlightFinished(log []Exchange) bool {
	for _, t := range log {
		if !isTerminate(t) {
			continue
		}
		for _, e := range log {
			if e.Path == "/work" && e.Status == http.StatusOK && e.Time.Before(t.Time) && e.Time.Add(e.Duration).After(t.Time) {
				return true
			}
		}
	}
	return false
}
