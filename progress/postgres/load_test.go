package postgres

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"serverside/progress"
)

// TestMain lets the load test run copies of this test binary as the
// "tutor processes" that share one server.
func TestMain(m *testing.M) {
	if os.Getenv("SERVERSIDE_LOAD_WORKER") != "" {
		os.Exit(loadWorker())
	}
	code := m.Run()
	benchDrop()
	os.Exit(code)
}

const (
	loadProcesses = 4
	loadLearners  = 200 // in all, split between the processes
	loadAnswers   = 50  // per learner
)

// loadWorker answers for its share of the learners, each in its own
// goroutine, and exits non-zero on the first error.
func loadWorker() int {
	dsn := os.Getenv("SERVERSIDE_LOAD_DSN")
	proc, _ := strconv.Atoi(os.Getenv("SERVERSIDE_LOAD_WORKER"))
	ctx := context.Background()
	s, err := Open(ctx, dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer s.Close()
	var wg sync.WaitGroup
	errs := make(chan error, loadLearners)
	for i := proc; i < loadLearners; i += loadProcesses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("learner-%03d", i)
			l, err := s.Learner(name)
			if err != nil {
				errs <- err
				return
			}
			for j := range loadAnswers {
				if _, err := l.Record(ctx, progress.Attempt{LessonID: fmt.Sprintf("lesson-%d", j%5), QuestionID: fmt.Sprintf("q%d", j),
					Answer: fmt.Sprintf(`"%s:%d"`, name, j), Correct: (i+j)%3 != 0, At: time.Now()}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// 200 learners answering 50 questions each from 4 processes at once on one
// server: no errors, every answer stored, each under its own learner.
func TestLoadFourProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("load test skipped in -short mode")
	}
	dsn := freshSchema(t)
	var procs []*exec.Cmd
	for p := range loadProcesses {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "SERVERSIDE_LOAD_WORKER="+strconv.Itoa(p), "SERVERSIDE_LOAD_DSN="+dsn)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, cmd)
	}
	for i, cmd := range procs {
		if err := cmd.Wait(); err != nil {
			t.Errorf("process %d: %v", i, err)
		}
	}
	check, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	ctx := context.Background()
	users, err := check.Users(ctx)
	if err != nil || len(users) != loadLearners {
		t.Fatalf("%d learners (%v), want %d", len(users), err, loadLearners)
	}
	var total int
	if err := check.pool.QueryRow(ctx, `SELECT count(*) FROM attempts`).Scan(&total); err != nil || total != loadLearners*loadAnswers {
		t.Errorf("%d answers stored (%v), want %d", total, err, loadLearners*loadAnswers)
	}
	// Each learner's answers are theirs: the answer text names the learner.
	var strays int
	if err := check.pool.QueryRow(ctx, `SELECT count(*) FROM attempts a JOIN users u ON u.id = a.user_id
		WHERE a.answer NOT LIKE '"' || u.name || ':%'`).Scan(&strays); err != nil || strays != 0 {
		t.Errorf("%d answers stored under another learner (%v)", strays, err)
	}
	rep, err := check.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range rep.Users {
		n := 0
		for _, l := range u.Lessons {
			n += l.Attempts
		}
		if n != loadAnswers {
			t.Errorf("%s: %d answers in the report, want %d", u.User, n, loadAnswers)
		}
	}
}
