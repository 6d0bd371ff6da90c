package sqlite

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestQueryPlans checks, with EXPLAIN QUERY PLAN, that the queries behind
// stats, the due queue, the forecast, a lesson's latest answers and the
// class report use the indexes: per-user queries SEARCH by user, nothing
// scans the attempts table (stats and the report read the per-question
// summary), and grouping needs no temporary sort.
func TestQueryPlans(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	record(t, s, "ada", "l", "q", true, 0, time.Now())
	now := ms(time.Now())
	for _, tc := range []struct {
		name    string
		query   string
		args    []any
		want    []string // each must appear in the plan
		perUser bool     // attempts/cards must be SEARCHed, not SCANned
	}{
		{"stats per lesson", lessonStatsSQL(statsWhere), []any{1},
			[]string{"SEARCH question_stats USING PRIMARY KEY (user_id=?)"}, true},
		{"stats streak", streakSQL, []any{1, "2026-03-02"},
			[]string{"SEARCH attempts USING COVERING INDEX attempts_by_day (user_id=? AND day<?)"}, true},
		{"due queue", dueQuery, []any{"ada", now},
			[]string{"SEARCH cards USING INDEX cards_by_due (user_id=? AND due<?)"}, true},
		{"due new-card cap", introducedSQL, []any{"ada", "2026-03-02"},
			[]string{"SEARCH cards USING PRIMARY KEY (user_id=?)"}, true},
		{"forecast", forecastSQL, []any{"ada", now},
			[]string{"SEARCH cards USING COVERING INDEX cards_by_due (user_id=? AND due<?)"}, true},
		{"latest answers", latestSQL, []any{"ada", "l"},
			[]string{"SEARCH a USING INDEX attempts_by_lesson (user_id=? AND lesson_id=?)"}, true},
		{"report", lessonStatsSQL(reportWhere), nil,
			[]string{"SCAN question_stats"}, false},
		{"recount after reset", `SELECT user_id, lesson_id, question_id, count(*), sum(correct), max(at), correct
			FROM attempts WHERE user_id = ?1 AND (?2 = '' OR lesson_id = ?2) AND reset_id IS NULL
			GROUP BY user_id, lesson_id, question_id`, []any{1, "l"},
			[]string{"SEARCH attempts USING COVERING INDEX attempts_by_lesson (user_id=?)"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := s.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+tc.query, tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			text := strings.Join(plan, "\n")
			t.Logf("plan:\n%s", text)
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("plan lacks %q", w)
				}
			}
			for _, line := range plan {
				scan := strings.HasPrefix(line, "SCAN attempts") || strings.HasPrefix(line, "SCAN a ") ||
					line == "SCAN a" || strings.HasPrefix(line, "SCAN cards")
				switch {
				case scan && (tc.perUser || !strings.Contains(line, "COVERING INDEX")):
					t.Errorf("full scan: %q", line)
				case strings.Contains(line, "TEMP B-TREE FOR GROUP BY"):
					t.Errorf("grouping sorts instead of reading the index in order: %q", line)
				}
			}
		})
	}
}
