package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"serverside/progress"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// The big benchmark database: 1,000 users × 300 questions (30 lessons of
// 10) × 5 attempts = 1.5M attempts, 300k cards, 30k lesson states. Built
// once per benchmark run, in one transaction, and removed by TestMain.
const (
	benchUsers     = 1000
	benchLessons   = 30
	benchQuestions = 300 // per user, 10 per lesson
	benchAttempts  = 5   // per question
)

var (
	benchOnce  sync.Once
	benchDir   string
	benchPath  string
	benchNow   = time.Date(2026, 3, 20, 12, 0, 0, 0, time.Local)
	benchErr   error
	benchBuild time.Duration
)

func cleanupBench() {
	if benchDir != "" {
		_ = os.RemoveAll(benchDir)
	}
}

func bigDatabase(b *testing.B) string {
	b.Helper()
	benchOnce.Do(func() {
		start := time.Now()
		benchDir, benchErr = os.MkdirTemp("", "progress-bench-")
		if benchErr != nil {
			return
		}
		benchPath = filepath.Join(benchDir, "big.db")
		benchErr = buildBig(benchPath)
		benchBuild = time.Since(start)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchPath
}

func buildBig(path string) error {
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		return err
	}
	defer s.Close()
	const dayMS = 86400000
	base := benchNow.AddDate(0, 0, -20)
	var days []any
	for k := range benchAttempts {
		days = append(days, day(base.AddDate(0, 0, k)))
	}
	attempts := benchUsers * benchQuestions * benchAttempts
	return s.write(ctx, func(tx *sql.Tx) error {
		stmts := []struct {
			q    string
			args []any
		}{
			{`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
				INSERT INTO users (id, name, created_at) SELECT i + 1, printf('user-%04d', i), ?2 FROM n`,
				[]any{benchUsers, ms(base)}},
			{`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
				INSERT INTO attempts (user_id, lesson_id, question_id, question_hash, answer, correct, hints_used, at, review, day)
				SELECT i / 1500 + 1, printf('lesson-%02d', (i / 5) % 300 / 10), printf('q%d', (i / 5) % 10), 'h',
					'{"choice":1}', (i * 7919) % 3 != 0, 0, ?2 + (i % 5) * ?3 + ((i / 5) % 300) * 60000, (i % 5) > 0,
					CASE i % 5 WHEN 0 THEN ?4 WHEN 1 THEN ?5 WHEN 2 THEN ?6 WHEN 3 THEN ?7 ELSE ?8 END
				FROM n`,
				append([]any{attempts, ms(base), dayMS}, days...)},
			{`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
				INSERT INTO cards (user_id, ` + cardColumns + `)
				SELECT i / 300 + 1, printf('lesson-%02d', (i % 300) / 10), printf('q%d', i % 10), 2, 0, 5.0, 5.0,
					?2 + ((i * 7) % 70 - 10) * ?3, ?2 - ?3, 1 + i % 4, 0, ?4, 3, '', ?5
				FROM n`,
				[]any{benchUsers * benchQuestions, ms(benchNow), dayMS, day(benchNow.AddDate(0, 0, -1)), ms(base)}},
			{`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
				INSERT INTO lesson_state (user_id, lesson_id, status, scroll, started_at, completed_at, seen_at, seconds)
				SELECT i / 30 + 1, printf('lesson-%02d', i % 30), i % 3, 0, ?2, CASE WHEN i % 3 = 2 THEN ?2 END, ?2, 100
				FROM n`,
				[]any{benchUsers * benchLessons, ms(base)}},
			{`INSERT INTO question_stats (user_id, lesson_id, question_id, attempts, correct, latest_at, latest_correct)
				SELECT user_id, lesson_id, question_id, count(*), sum(correct), max(at), correct
				FROM attempts WHERE reset_id IS NULL GROUP BY user_id, lesson_id, question_id`, nil},
		}
		for _, st := range stmts {
			if _, err := tx.ExecContext(ctx, st.q, st.args...); err != nil {
				return fmt.Errorf("building the benchmark database: %w", err)
			}
		}
		return nil
	})
}

func openBig(b *testing.B) *Store {
	b.Helper()
	path := bigDatabase(b)
	s, err := Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s
}

// reportMedian times each call of fn and reports the median in ms.
func reportMedian(b *testing.B, fn func(i int)) {
	b.Helper()
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		fn(i)
		times = append(times, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(times)
	if len(times) > 0 {
		b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
	}
}

func BenchmarkRecordAttempt(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "progress.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	reportMedian(b, func(i int) {
		if _, err := s.RecordAttempt(ctx, progress.Attempt{User: "ada", LessonID: "l" + strconv.Itoa(i%30),
			QuestionID: "q" + strconv.Itoa(i%10), Answer: `{"choice":1}`, Correct: i%3 != 0}); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkStatsBig(b *testing.B) {
	s := openBig(b)
	b.Logf("big database built in %v", benchBuild.Round(time.Millisecond))
	reportMedian(b, func(int) {
		st, err := s.Stats(context.Background(), "user-0500", benchNow)
		if err != nil || st.Attempts != benchQuestions*benchAttempts {
			b.Fatalf("stats = %d attempts, %v", st.Attempts, err)
		}
	})
}

func BenchmarkDueBig(b *testing.B) {
	s := openBig(b)
	reportMedian(b, func(int) {
		cards, err := s.Due(context.Background(), "user-0500", benchNow, 20)
		if err != nil || len(cards) == 0 {
			b.Fatalf("due = %d cards, %v", len(cards), err)
		}
	})
}

func BenchmarkReportBig(b *testing.B) {
	s := openBig(b)
	reportMedian(b, func(int) {
		rep, err := s.Report(context.Background())
		if err != nil || len(rep.Users) != benchUsers {
			b.Fatalf("report = %d users, %v", len(rep.Users), err)
		}
	})
}

// BenchmarkOpenBig is the cost of opening the big file: the quick_check
// before any write, and the schema check.
func BenchmarkOpenBig(b *testing.B) {
	path := bigDatabase(b)
	reportMedian(b, func(int) {
		s, err := Open(context.Background(), path)
		if err != nil {
			b.Fatal(err)
		}
		_ = s.Close()
	})
}

// BenchmarkOpenLearner is the cost of opening one learner's file (the whole
// course answered five times over: 1,500 attempts).
func BenchmarkOpenLearner(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "progress.db")
	s, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	for i := range benchQuestions * benchAttempts {
		if _, err := s.RecordAttempt(ctx, progress.Attempt{User: "ada", LessonID: "l" + strconv.Itoa(i%benchQuestions/10),
			QuestionID: "q" + strconv.Itoa(i%10), Answer: `{"choice":1}`, Correct: i%3 != 0,
			At: benchNow.Add(time.Duration(i) * time.Minute)}); err != nil {
			b.Fatal(err)
		}
	}
	_ = s.Close()
	reportMedian(b, func(int) {
		s, err := Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		_ = s.Close()
	})
}
