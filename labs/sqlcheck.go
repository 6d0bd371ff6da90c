package labs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"serverside/termsafe"
)

// Verdict is the outcome of checking a SQL task.
type Verdict struct {
	TaskID string
	Passed bool
	// Message says what was right or what to do next, for the learner.
	Message string
	// Got and Want are the compared result sets of a result task.
	Got, Want *Result
	// Plan is the EXPLAIN QUERY PLAN output of a plan task, one step a line.
	Plan string
}

// Check checks a task. For a result task answer is the learner's query: it
// runs inside a savepoint that is rolled back, so checking never changes
// the data. For a plan task answer, if not empty, runs first and its changes
// stay (it is usually a CREATE INDEX). Isolation tasks look at what the
// sessions have run so far and ignore answer. A wrong answer is a Verdict
// that did not pass; the error is for a lab that could not check at all.
func (l *SQLLab) Check(ctx context.Context, t SQLTask, answer string) (Verdict, error) {
	var v Verdict
	var err error
	switch t.Kind() {
	case "plan":
		v, err = l.checkPlan(ctx, t, answer)
	case "isolation":
		v = l.checkIsolation(t)
	default:
		v, err = l.checkResult(ctx, t, answer)
	}
	// Messages and plans quote values and names from the learner's SQL,
	// which can hold any bytes.
	v.Message, v.Plan = termsafe.Text(v.Message), termsafe.Text(v.Plan)
	return v, err
}

func (l *SQLLab) checkResult(ctx context.Context, t SQLTask, answer string) (Verdict, error) {
	v := Verdict{TaskID: t.ID}
	if skipSpaceAndComments(answer) == "" {
		v.Message = "Write a query first."
		return v, nil
	}
	for _, st := range splitStatements(answer) {
		switch leadingVerb(st) {
		case "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE":
			v.Message = "The answer to this task is a query; run transaction statements in the console instead."
			return v, nil
		}
	}
	s := l.Main()
	if s.InTransaction() {
		v.Message = "Session A has an open transaction: COMMIT or ROLLBACK it first, so the check compares your query with the task's on the same data."
		return v, nil
	}
	if _, err := s.conn.ExecContext(ctx, "SAVEPOINT lab_check"); err != nil {
		return v, fmt.Errorf("start the check: %w", err)
	}
	got, gotErr := s.query(ctx, answer, checkBounds, false)
	for _, q := range []string{"ROLLBACK TO lab_check", "RELEASE lab_check"} {
		if _, err := s.conn.ExecContext(ctx, q); err != nil {
			return v, fmt.Errorf("finish the check: %w", err)
		}
	}
	want, wantErr := l.reference(ctx, t.Reference)
	if wantErr != nil {
		return v, fmt.Errorf("task %q: the reference query fails: %w", t.ID, wantErr)
	}
	v.Want = &want
	if gotErr != nil {
		v.Message = "Your query failed: " + gotErr.Error()
		return v, nil
	}
	v.Got = &got
	v.Passed, v.Message = compareResults(got, want, t.Ordered)
	return v, nil
}

// reference runs a task's reference query on the lab's reference
// connection: it sees the committed data but none of the learner's TEMP
// tables, views or triggers (CREATE TEMP TABLE customers AS ... would
// otherwise answer the reference query too, and any answer would pass).
func (l *SQLLab) reference(ctx context.Context, query string) (Result, error) {
	l.mu.Lock()
	ref := l.ref
	l.mu.Unlock()
	if ref == nil {
		return Result{}, errors.New("the SQL lab is closed")
	}
	// Inside a transaction that is always rolled back: a reference that
	// builds something (an FTS5 index, a table) leaves nothing behind, so
	// the next check runs it afresh and the learner never sees it.
	if _, err := ref.query(ctx, "BEGIN", checkBounds, false); err != nil {
		return Result{}, err
	}
	defer func() { _, _ = ref.query(context.WithoutCancel(ctx), "ROLLBACK", checkBounds, false) }()
	return ref.query(ctx, query, checkBounds, false)
}

// compareResults compares values only: column names may differ (an alias
// is a matter of taste), but the number of columns, the rows and, when
// ordered, their order must match.
func compareResults(got, want Result, ordered bool) (bool, string) {
	if len(got.Columns) != len(want.Columns) {
		// Only the count: the reference's column names are its
		// expressions ("sum(oi.quantity * …)"), the answer itself.
		return false, fmt.Sprintf("Your result has %d column(s); the task wants %d: reread the task for what each row shows.",
			len(got.Columns), len(want.Columns))
	}
	key := func(r []string) string { return strings.Join(r, "\x1f") }
	if ordered {
		if len(got.Rows) == len(want.Rows) {
			same := true
			for i := range got.Rows {
				if key(got.Rows[i]) != key(want.Rows[i]) {
					same = false
					break
				}
			}
			if same {
				return true, fmt.Sprintf("Right: %d row(s), in the right order.", len(got.Rows))
			}
		}
	}
	count := map[string]int{}
	for _, r := range want.Rows {
		count[key(r)]++
	}
	var missing, extra [][]string
	for _, r := range got.Rows {
		if count[key(r)] > 0 {
			count[key(r)]--
		} else {
			extra = append(extra, r)
		}
	}
	for _, r := range want.Rows {
		if count[key(r)] > 0 {
			count[key(r)]--
			missing = append(missing, r)
		}
	}
	if len(missing) == 0 && len(extra) == 0 {
		if ordered {
			return false, fmt.Sprintf("The right %d row(s), but not in the order the task asks for: check your ORDER BY.", len(got.Rows))
		}
		return true, fmt.Sprintf("Right: %d row(s).", len(got.Rows))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Not yet: your result has %d row(s), the task expects %d.", len(got.Rows), len(want.Rows))
	if len(missing) > 0 {
		fmt.Fprintf(&b, " %d expected row(s) are missing, e.g. (%s).", len(missing), strings.Join(missing[0], ", "))
	}
	if len(extra) > 0 {
		fmt.Fprintf(&b, " %d row(s) should not be there, e.g. (%s).", len(extra), strings.Join(extra[0], ", "))
	}
	return false, b.String()
}

func (l *SQLLab) checkPlan(ctx context.Context, t SQLTask, answer string) (Verdict, error) {
	v := Verdict{TaskID: t.ID}
	s := l.Main()
	if skipSpaceAndComments(answer) != "" {
		if _, err := s.Query(ctx, answer); err != nil {
			v.Message = "Your statement failed: " + err.Error()
			return v, nil
		}
	}
	res, err := s.query(ctx, "EXPLAIN QUERY PLAN "+t.Query, checkBounds, false)
	if err != nil {
		return v, fmt.Errorf("task %q: EXPLAIN QUERY PLAN fails: %w", t.ID, err)
	}
	detail := slices.Index(res.Columns, "detail")
	var steps []string
	for _, r := range res.Rows {
		if detail >= 0 {
			steps = append(steps, r[detail])
		}
	}
	v.Plan = strings.Join(steps, "\n")
	plan := strings.ToUpper(v.Plan)
	want := strings.ToUpper(strings.TrimSpace(t.Plan))
	if avoid := strings.ToUpper(strings.TrimSpace(t.Avoid)); avoid != "" && strings.Contains(plan, avoid) {
		v.Message = fmt.Sprintf("Not yet: the plan for the query is %q; it should no longer need %q.", strings.ReplaceAll(v.Plan, "\n", "; "), t.Avoid)
		return v, nil
	}
	if strings.Contains(plan, want) || strings.Contains(strings.ReplaceAll(plan, "COVERING INDEX", "INDEX"), want) {
		v.Passed = true
		v.Message = "Right: SQLite now plans " + firstLine(v.Plan) + "."
		return v, nil
	}
	v.Message = fmt.Sprintf("Not yet: the plan for the query is %q; the task wants %q.", strings.ReplaceAll(v.Plan, "\n", "; "), t.Plan)
	return v, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// checkIsolation looks for the four steps of the classic demonstration in
// the statements the sessions ran: X writes the table inside a transaction,
// Y reads it (and sees the old data), X commits, Y reads it again (and sees
// the new data). The message names the next step still to do.
func (l *SQLLab) checkIsolation(t SQLTask) Verdict {
	l.mu.Lock()
	hist := slices.Clone(l.history)
	l.mu.Unlock()
	table := t.Isolation
	steps := []string{
		fmt.Sprintf("In session A, run BEGIN and then change a row of %s (an UPDATE), without committing.", table),
		fmt.Sprintf("In session B, read %s with a SELECT while A's change is uncommitted: you see the old data.", table),
		"Back in session A, COMMIT.",
		fmt.Sprintf("In session B, read %s again: now the change shows.", table),
	}
	best := 0
	for i, w := range hist {
		if w.failed || !w.inTx || !w.writes[table] {
			continue
		}
		best = max(best, 1)
		writer := w.session
		stage := 1 // waiting for a read by another session
		for _, r := range hist[i+1:] {
			switch {
			case stage < 3 && r.session == writer && !r.failed && !r.inTx:
				// The transaction ended: by the commit we wait for, or
				// too early (before another session looked), or by a
				// rollback.
				if stage == 2 && (r.verb == "COMMIT" || r.verb == "END") {
					stage = 3
				} else {
					stage = -1
				}
			case stage == 1 && r.session != writer && !r.failed && r.reads[table]:
				stage = 2
			case stage == 3 && r.session != writer && !r.failed && r.reads[table]:
				stage = 4
			}
			if stage < 0 || stage == 4 {
				break
			}
		}
		if stage == 4 {
			return Verdict{TaskID: t.ID, Passed: true, Message: fmt.Sprintf(
				"Right: session %s's uncommitted write to %s was invisible to the other session until it committed.", writer, table)}
		}
		best = max(best, stage)
	}
	return Verdict{TaskID: t.ID, Message: "Next: " + steps[best]}
}
