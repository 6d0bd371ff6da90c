package postgres

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"serverside/progress"
)

// The same big class as the SQLite store's benchmarks: 1,000 learners ×
// 300 questions (30 lessons of 10) × 5 attempts = 1.5M attempts, 300k
// cards, 30k lesson states, built once per run with generate_series.
const (
	benchUsers     = 1000
	benchQuestions = 300
	benchAttempts  = 5
)

var (
	benchOnce sync.Once
	benchDSN  string
	benchErr  error
	benchDrop = func() {} // drops the big class's schema; TestMain calls it after the run
	benchNow  = time.Date(2026, 3, 20, 12, 0, 0, 0, time.Local)
)

func bigClass(b *testing.B) string {
	b.Helper()
	benchOnce.Do(func() {
		benchDSN, benchDrop, benchErr = createSchema(testURL(b))
		if benchErr != nil {
			return
		}
		s, err := Open(context.Background(), benchDSN)
		if err != nil {
			benchErr = err
			return
		}
		defer s.Close()
		start := time.Now()
		base := benchNow.AddDate(0, 0, -20)
		ctx := context.Background()
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO users (name, created_at) SELECT 'user-' || lpad(i::text, 4, '0'), $1 FROM generate_series(0, $2 - 1) i`,
				[]any{base, benchUsers}},
			{`INSERT INTO attempts (user_id, lesson_id, question_id, question_hash, answer, correct, hints_used, at, review, day)
				SELECT u.id, 'lesson-' || lpad((((i / 5) % 300) / 10)::text, 2, '0'), 'q' || ((i / 5) % 10), 'h', '{"choice":1}',
					(i::bigint * 7919) % 3 <> 0, 0, $1::timestamptz + make_interval(days => i % 5) + make_interval(mins => (i / 5) % 300),
					i % 5 > 0, to_char($1::timestamptz + make_interval(days => i % 5), 'YYYY-MM-DD')
				FROM generate_series(0, $2 - 1) i JOIN users u ON u.name = 'user-' || lpad((i / 1500)::text, 4, '0')`,
				[]any{base, benchUsers * benchQuestions * benchAttempts}},
			{`INSERT INTO cards (user_id, lesson_id, question_id, state, step, stability, difficulty, due, last_review, reps, lapses, last_day, last_rating, prev, created_at)
				SELECT u.id, 'lesson-' || lpad(((i % 300) / 10)::text, 2, '0'), 'q' || (i % 10), 2, 0, 5.0, 5.0,
					$1::timestamptz + make_interval(days => (i * 7) % 70 - 10), $1::timestamptz - interval '1 day', 1 + i % 4, 0,
					to_char($1::timestamptz - interval '1 day', 'YYYY-MM-DD'), 3, '', $2
				FROM generate_series(0, $3 - 1) i JOIN users u ON u.name = 'user-' || lpad((i / 300)::text, 4, '0')`,
				[]any{benchNow, base, benchUsers * benchQuestions}},
			{`INSERT INTO lesson_state (user_id, lesson_id, status, scroll, started_at, completed_at, seen_at, seconds)
				SELECT u.id, 'lesson-' || lpad((i % 30)::text, 2, '0'), i % 3, 0, $1, CASE WHEN i % 3 = 2 THEN $1::timestamptz END, $1, 100
				FROM generate_series(0, $2 - 1) i JOIN users u ON u.name = 'user-' || lpad((i / 30)::text, 4, '0')`,
				[]any{base, benchUsers * 30}},
			{`INSERT INTO question_stats (user_id, lesson_id, question_id, attempts, correct, latest_at, latest_correct)
				SELECT user_id, lesson_id, question_id, count(*), count(*) FILTER (WHERE correct), max(at),
					(array_agg(correct ORDER BY at DESC, id DESC))[1]
				FROM attempts GROUP BY user_id, lesson_id, question_id`, nil},
			{`ANALYZE`, nil},
		} {
			if _, err := s.pool.Exec(ctx, q.sql, q.args...); err != nil {
				benchErr = err
				return
			}
		}
		b.Logf("big class built in %v", time.Since(start).Round(time.Millisecond))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDSN
}

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
		b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
	}
}

func BenchmarkRecordAttempt(b *testing.B) {
	ctx := context.Background()
	s := openTest(b)
	l, err := s.Learner("ada")
	if err != nil {
		b.Fatal(err)
	}
	reportMedian(b, func(i int) {
		if _, err := l.Record(ctx, progress.Attempt{LessonID: "l" + strconv.Itoa(i%30),
			QuestionID: "q" + strconv.Itoa(i%10), Answer: `{"choice":1}`, Correct: i%3 != 0}); err != nil {
			b.Fatal(err)
		}
	})
}

func openBig(b *testing.B) *Store {
	s, err := Open(context.Background(), bigClass(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s
}

func BenchmarkStatsBig(b *testing.B) {
	s := openBig(b)
	l, _ := s.Learner("user-0500")
	reportMedian(b, func(int) {
		st, err := l.Stats(context.Background(), benchNow)
		if err != nil || st.Attempts != benchQuestions*benchAttempts {
			b.Fatalf("stats = %d attempts, %v", st.Attempts, err)
		}
	})
}

func BenchmarkDueBig(b *testing.B) {
	s := openBig(b)
	l, _ := s.Learner("user-0500")
	reportMedian(b, func(int) {
		cards, err := l.Due(context.Background(), benchNow, 20)
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

// BenchmarkOpenBig is connecting to the class's server and checking its
// schema is up to date.
func BenchmarkOpenBig(b *testing.B) {
	dsn := bigClass(b)
	reportMedian(b, func(int) {
		s, err := Open(context.Background(), dsn)
		if err != nil {
			b.Fatal(err)
		}
		_ = s.Close()
	})
}
