package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"serverside/progress"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Child processes: the test binary re-executed with childEnv set to a role.
const (
	childEnv   = "PROGRESS_TEST_CHILD"
	childDBEnv = "PROGRESS_TEST_DB"
	childIDEnv = "PROGRESS_TEST_WORKER"
)

func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "":
		// Fingerprints of checked files go to a folder of the tests' own.
		dir, err := os.MkdirTemp("", "progress-checked-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		checkedDir = func() string { return dir }
		code := m.Run()
		os.RemoveAll(dir)
		cleanupBench()
		os.Exit(code)
	case "record-forever":
		os.Exit(childRecordForever(os.Getenv(childDBEnv)))
	case "concurrent-writer":
		os.Exit(childConcurrentWriter(os.Getenv(childDBEnv), os.Getenv(childIDEnv)))
	default:
		fmt.Fprintf(os.Stderr, "unknown %s=%q\n", childEnv, os.Getenv(childEnv))
		os.Exit(2)
	}
}

// childRecordForever records attempts until killed, printing each ID on its
// own line once RecordAttempt has returned (committed).
func childRecordForever(path string) int {
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for i := 0; ; i++ {
		a, err := s.RecordAttempt(ctx, progress.Attempt{User: "ada", LessonID: "l", QuestionID: "q" + strconv.Itoa(i%50),
			Answer: `{"i":` + strconv.Itoa(i) + `}`, Correct: i%3 != 0})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if _, err := fmt.Fprintf(os.Stdout, "%d\n", a.ID); err != nil {
			return 1
		}
	}
}

func startChild(t *testing.T, role, path string, extra ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run", "^$")
	cmd.Env = append(os.Environ(), childEnv+"="+role, childDBEnv+"="+path)
	cmd.Env = append(cmd.Env, extra...)
	return cmd
}

// TestDurabilityUnderSIGKILL kills a writer at random moments, again and
// again, and checks that every attempt it reported committed is in the file
// and the file is sound.
func TestDurabilityUnderSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes; skipped with -short")
	}
	path := filepath.Join(t.TempDir(), "progress.db")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	var committed []int64
	const rounds = 15
	for round := range rounds {
		cmd := startChild(t, "record-forever", path)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan int64)
		readDone := make(chan error, 1)
		go func() {
			r := bufio.NewReader(stdout)
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					// A line cut short by the kill has no newline: it was never
					// reported, so it is not counted.
					if err == io.EOF {
						err = nil
					}
					close(lines)
					readDone <- err
					return
				}
				id, err := strconv.ParseInt(strings.TrimSpace(line), 10, 64)
				if err != nil {
					close(lines)
					readDone <- fmt.Errorf("bad line %q", line)
					return
				}
				lines <- id
			}
		}()
		// Let it commit a little first, then kill at a random moment.
		first, ok := <-lines
		if !ok {
			_ = cmd.Wait()
			t.Fatalf("round %d: child printed nothing: %s", round, stderr.String())
		}
		committed = append(committed, first)
		kill := time.After(time.Duration(rng.IntN(60)) * time.Millisecond)
	collect:
		for {
			select {
			case id, ok := <-lines:
				if !ok {
					break collect
				}
				committed = append(committed, id)
			case <-kill:
				_ = cmd.Process.Kill() // SIGKILL
				kill = nil
			}
		}
		if err := <-readDone; err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		_ = cmd.Wait()
		if stderr.Len() > 0 {
			t.Fatalf("round %d: child failed: %s", round, stderr.String())
		}
	}

	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seen := map[int64]bool{}
	for _, id := range committed {
		if seen[id] {
			t.Fatalf("ID %d reported twice", id)
		}
		seen[id] = true
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM attempts WHERE id = ?`, id).Scan(&n); err != nil || n != 1 {
			t.Fatalf("committed attempt %d is missing after SIGKILL (%v)", id, err)
		}
	}
	var check string
	if err := s.db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	t.Logf("%d rounds, %d committed attempts all present, integrity ok", rounds, len(committed))
}

// childConcurrentWriter writes a mix of answers and lesson updates, and
// fails on any error (such as "database is locked").
func childConcurrentWriter(path, worker string) int {
	if err := writeMix(path, worker, 80); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// writeMix also checkpoints now and then and reopens its store, so other
// writers' Opens (and their integrity check) race with checkpoints that
// rewrite the main file.
func writeMix(path, worker string, n int) (err error) {
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		return err
	}
	defer func() {
		if s != nil {
			_ = s.Close()
		}
	}()
	for i := range n {
		for _, user := range []string{"user-" + worker, "shared"} {
			if _, err := s.RecordAttempt(ctx, progress.Attempt{User: user, LessonID: "l" + strconv.Itoa(i%3),
				QuestionID: "q" + strconv.Itoa(i%7), Answer: worker, Correct: i%2 == 0}); err != nil {
				return err
			}
		}
		if err := s.SaveScroll(ctx, "shared", "l1", i); err != nil {
			return err
		}
		if i%10 == 0 {
			if _, err := s.Stats(ctx, "shared", time.Now()); err != nil {
				return err
			}
			if err := s.AddTime(ctx, "user-"+worker, "l1", 1); err != nil {
				return err
			}
			if _, err := s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
				return fmt.Errorf("checkpoint: %w", err)
			}
		}
		if i%20 == 19 {
			if err := s.Close(); err != nil {
				return err
			}
			s = nil
			if s, err = Open(ctx, path); err != nil {
				return fmt.Errorf("reopen: %w", err)
			}
		}
	}
	return nil
}

func TestConcurrentProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes; skipped with -short")
	}
	path := filepath.Join(t.TempDir(), "progress.db")
	const workers = 3
	cmds := make([]*exec.Cmd, workers)
	outs := make([]*strings.Builder, workers)
	for i := range workers {
		cmds[i] = startChild(t, "concurrent-writer", path, childIDEnv+"="+strconv.Itoa(i))
		outs[i] = &strings.Builder{}
		cmds[i].Stdout, cmds[i].Stderr = outs[i], outs[i]
	}
	// Start them together, all opening (and migrating) the new file at once.
	for _, c := range cmds {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Errorf("writer %d failed: %v\n%s", i, err, outs[i])
		}
	}
	checkConcurrentResult(t, path, workers, 80)
}

func TestConcurrentStores(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.db")
	const workers = 3
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for i := range workers {
		wg.Go(func() { errs[i] = writeMix(path, strconv.Itoa(i), 60) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("store %d: %v", i, err)
		}
	}
	checkConcurrentResult(t, path, workers, 60)
}

func checkConcurrentResult(t *testing.T, path string, workers, n int) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var attempts, migrations int
	_ = s.db.QueryRowContext(ctx, `SELECT count(*) FROM attempts`).Scan(&attempts)
	_ = s.db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&migrations)
	if want := workers * n * 2; attempts != want {
		t.Errorf("%d attempts, want %d", attempts, want)
	}
	migs, _ := loadMigrations()
	if migrations != len(migs) {
		t.Errorf("%d migrations recorded, want %d (each applied once)", migrations, len(migs))
	}
	st, err := s.Stats(ctx, "shared", time.Now())
	if err != nil || st.Attempts != workers*n {
		t.Errorf("shared user's attempts = %d, %v; want %d", st.Attempts, err, workers*n)
	}
}
