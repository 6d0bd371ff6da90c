package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"serverside/progress/sqlite"
	"serverside/tui"
)

// TestMain lets the benchmark run the server in a process of its own, so
// the memory and CPU it reports are the server's, not the clients'.
func TestMain(m *testing.M) {
	if dir := os.Getenv("SERVERSIDE_BENCH_SERVER"); dir != "" {
		if err := benchServer(dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// benchServer serves a classroom on a loopback port, prints the address,
// and stops when its stdin closes.
func benchServer(dir string) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "progress.db"))
	if err != nil {
		return err
	}
	defer store.Close()
	signer, err := HostKey(filepath.Join(dir, "host_key"))
	if err != nil {
		return err
	}
	srv, err := New(Config{Backend: store, Course: tui.StaticCourse(builtin()), HostKey: signer, MaxSessions: 1000})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	if path := os.Getenv("SERVERSIDE_BENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	fmt.Println(ln.Addr().String())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	return srv.Serve(ctx, ln)
}

// benchEnv is an integer or duration knob of the benchmark.
func benchEnv[T int | time.Duration](b *testing.B, name string, def T) T {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	var out T
	switch p := any(&out).(type) {
	case *int:
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("%s=%q: want a positive count", name, v)
		}
		*p = n
	case *time.Duration:
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			b.Fatalf("%s=%q: want a duration such as 30s", name, v)
		}
		*p = d
	}
	return out
}

// procStat is a process's resident memory and CPU time so far, from /proc.
func procStat(b *testing.B, pid int) (rss int64, cpu time.Duration) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			rss = kb << 10
		}
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Skipf("no /proc: %v", err)
	}
	// Fields after the command name (which may hold spaces) in ")".
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	const ticks = 100 // USER_HZ on Linux
	return rss, time.Duration(utime+stime) * time.Second / ticks
}

// BenchmarkClassroom: SERVERSIDE_BENCH_SESSIONS learners (200) connected
// at once, each pressing a key every 100 ms for SERVERSIDE_BENCH_DURATION
// (5s; the figure is 30s): j and k by turns, scrolling the first
// lesson (SERVERSIDE_BENCH_SCREEN=lesson) or moving along the course map
// (=map). It reports the server process's memory per session, the time
// from a key leaving the client to the first bytes of the next frame
// arriving (p50, p99), the server's CPU (in all and per key), and errors
// (a session that did not get in, a key with no frame within 2s). Between
// keys a session here writes nothing (no timer changes these screens) and
// a frame goes out in one write, so the first bytes after a key are the
// frame that shows it.
func BenchmarkClassroom(b *testing.B) {
	sessions := benchEnv(b, "SERVERSIDE_BENCH_SESSIONS", 200)
	duration := benchEnv(b, "SERVERSIDE_BENCH_DURATION", 5*time.Second)
	screen := os.Getenv("SERVERSIDE_BENCH_SCREEN")
	switch screen {
	case "":
		screen = "lesson"
	case "lesson", "map":
	default:
		b.Fatalf("SERVERSIDE_BENCH_SCREEN=%q: want lesson or map", screen)
	}
	dir := b.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SERVERSIDE_BENCH_SERVER="+dir)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		_ = stdin.Close()
		_ = cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("the server process: %v", err)
	}
	addr := strings.TrimSpace(line)
	pid := cmd.Process.Pid
	rss0, _ := procStat(b, pid)

	first := builtin().Lessons()[0]
	terms := make([]*terminal, sessions)
	var errs atomic.Int64
	var wg sync.WaitGroup
	gate := make(chan struct{}, 16) // handshakes at once
	for i := range sessions {
		wg.Go(func() {
			gate <- struct{}{}
			defer func() { <-gate }()
			tm, err := open(b, addr, newSigner(b), dialOpts{user: fmt.Sprintf("bench-%03d", i)})
			if err == nil {
				err = tm.expect("Welcome to the classroom")
			}
			if err == nil {
				err = tm.send("\r")
			}
			if err == nil {
				err = tm.expect(first.Title)
			}
			if err == nil && screen == "lesson" {
				if err = tm.send("\r"); err == nil {
					err = tm.expectRe(percentRe)
				}
			}
			if err != nil {
				b.Logf("session %d: %v", i, err)
				errs.Add(1)
				return
			}
			terms[i] = tm
		})
	}
	wg.Wait()
	rss1, cpu0 := procStat(b, pid)

	var mu sync.Mutex
	var lat []time.Duration
	b.ResetTimer()
	start := time.Now()
	for _, tm := range terms {
		if tm == nil {
			continue
		}
		wg.Go(func() {
			mine := tm.pressKeys(duration, &errs)
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	wall := time.Since(start)
	rss2, cpu1 := procStat(b, pid)
	b.StopTimer()

	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	perSession := float64(max(rss1, rss2)-rss0) / float64(sessions) / (1 << 20)
	b.ReportMetric(perSession, "MiB/session")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(100*(cpu1-cpu0).Seconds()/wall.Seconds(), "cpu-%")
	if len(lat) > 0 {
		// The server's cost of a key and its frame: on a machine the
		// clients and other work share, steadier than the latencies.
		b.ReportMetric(float64((cpu1-cpu0).Microseconds())/1000/float64(len(lat)), "cpu-ms/key")
	}
	b.ReportMetric(float64(errs.Load()), "errors")
	b.ReportMetric(float64(len(lat)), "keys")
	b.ReportMetric(0, "ns/op")
	b.Logf("%d sessions on the %s for %v: server RSS %d MiB idle, %d MiB with everyone in, %d MiB at the end",
		sessions, screen, duration, rss0>>20, rss1>>20, rss2>>20)
}

// pressKeys presses j and k by turns every 100 ms for d (a line down and
// up in a lesson, or the map's selection; a new frame each time),
// returning each key's time to the next frame.
func (tm *terminal) pressKeys(d time.Duration, errs *atomic.Int64) []time.Duration {
	var lat []time.Duration
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	end := time.Now().Add(d)
	for i := 0; time.Now().Before(end); i++ {
		<-tick.C
		before := tm.out.written()
		sent := time.Now()
		if err := tm.send([]string{"j", "k"}[i%2]); err != nil {
			errs.Add(1)
			return lat
		}
		if !tm.out.waitPast(before, 2*time.Second) {
			errs.Add(1)
			continue
		}
		lat = append(lat, time.Since(sent))
	}
	return lat
}

// written is how many bytes have arrived.
func (s *screenLog) written() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.raw.Len()
}

// waitPast waits until more than n bytes have arrived.
func (s *screenLog) waitPast(n int, timeout time.Duration) bool {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for s.written() <= n {
		select {
		case <-s.arrive:
		case <-timer.C:
			return false
		}
	}
	return true
}
