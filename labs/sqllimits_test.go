package labs

import (
	"context"
	"strings"
	"testing"
	"time"

	"serverside/lessons"
	"serverside/termsafe"
)

func openTestSQL(t *testing.T) *SQLLab {
	t.Helper()
	l, err := OpenSQL(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// Values and results have bounds: SQLite refuses a value longer than
// MaxValueBytes at once, and a result keeps at most MaxResultBytes, each
// shown value at most MaxCellBytes.
func TestSQLLabBoundsValuesAndResults(t *testing.T) {
	l := openTestSQL(t)
	l.timeout = time.Minute // the bounds, not the time limit, are under test
	for _, q := range []string{
		"SELECT zeroblob(999999999)",
		"SELECT length(hex(randomblob(400000000)))",
		"SELECT length(group_concat(randomblob(100000))) FROM (WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < 3) SELECT i FROM r)",
	} {
		_, err := l.Query(t.Context(), q)
		if err == nil || !strings.Contains(err.Error(), "too big") {
			t.Errorf("%s: err = %v, want SQLite's \"too big\"", q, err)
		}
	}

	// Long values are cut to MaxCellBytes (blobs shown as hex too).
	res, err := l.Query(t.Context(), "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < 200) SELECT i, zeroblob(100000) AS b, printf('%.100000c', 'x') AS s FROM r")
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range res.Rows {
		for _, v := range row {
			if len(v) > MaxCellBytes+len("…") {
				t.Fatalf("a shown value holds %d bytes", len(v))
			}
		}
	}
	if !res.CutCells || len(res.Rows) != 200 {
		t.Errorf("CutCells %v, %d rows", res.CutCells, len(res.Rows))
	}

	// A wide result stops at MaxResultBytes before MaxRows.
	cols := strings.Repeat(", printf('%.900c', 'x')", 20)
	res, err = l.Query(t.Context(), "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < 1000) SELECT i"+cols+" FROM r")
	if err != nil {
		t.Fatal(err)
	}
	held := 0
	for _, row := range res.Rows {
		for _, v := range row {
			held += len(v)
		}
	}
	if !res.TooLarge || !res.Truncated || held > MaxResultBytes || len(res.Rows) >= 1000 {
		t.Errorf("TooLarge %v, %d rows, %d bytes held", res.TooLarge, len(res.Rows), held)
	}

	// Wide rows of long values stop at MaxScannedBytes, however little of
	// them is kept.
	cols = strings.Repeat(", zeroblob(100000)", 40)
	res, err = l.Query(t.Context(), "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < 1000) SELECT i"+cols+" FROM r")
	if err != nil {
		t.Fatal(err)
	}
	if want := MaxScannedBytes / (40 * 100000); !res.TooLarge || len(res.Rows) > want {
		t.Errorf("TooLarge %v, %d rows; want at most %d", res.TooLarge, len(res.Rows), want)
	}
}

// A check compares whole values, so a result over its byte bound is an
// error that says so, not a silently cut comparison.
func TestSQLCheckRefusesHugeResults(t *testing.T) {
	l := openTestSQL(t)
	// This is about the byte bound, not the time limit: under -race on a
	// busy machine, 40 MB of values take longer than the 2 s a learner gets.
	l.timeout = time.Minute
	task := SQLTask{ID: "t", Reference: "SELECT 1"}
	v, err := l.Check(t.Context(), task, "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < 400) SELECT zeroblob(100000) FROM r")
	if err != nil {
		t.Fatal(err)
	}
	if v.Passed || !strings.Contains(v.Message, "larger than") {
		t.Errorf("verdict %+v", v)
	}
}

// Close interrupts a running query instead of waiting for it.
func TestSQLLabCloseInterruptsARunningQuery(t *testing.T) {
	l, err := OpenSQL(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	l.timeout = time.Minute // the query would run this long
	done := make(chan error, 1)
	go func() {
		_, err := l.Query(context.Background(), "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r) SELECT count(*) FROM r")
		done <- err
	}()
	// Wait until the query holds the session, then close.
	for l.Main().mu.TryLock() {
		l.Main().mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	closed := make(chan error, 1)
	go func() { closed <- l.Close() }()
	select {
	case <-closed:
	case <-time.After(30 * time.Second):
		t.Fatal("Close waited for the query")
	}
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "stopped") {
			t.Errorf("the query ended with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the query still runs after Close")
	}
}

// The learner's TEMP objects cannot shadow the tables the reference query
// reads: otherwise any answer would pass.
func TestReferenceQueryIgnoresTempShadows(t *testing.T) {
	l := openTestSQL(t)
	// TEMP tables are refused outright (their database is outside the
	// lab's size bound); a TEMP view is allowed and must not shadow.
	if _, err := l.Query(t.Context(), "CREATE TEMP TABLE customers AS SELECT 1 AS id WHERE 0"); err == nil {
		t.Fatal("a TEMP table was created")
	}
	if _, err := l.Query(t.Context(), "CREATE TEMP VIEW orders AS SELECT 1 AS id WHERE 0"); err != nil {
		t.Fatal(err)
	}
	for _, task := range []SQLTask{
		{ID: "o", Reference: "SELECT id FROM orders"},
	} {
		table := strings.TrimPrefix(task.Reference, "SELECT id FROM ")
		v, err := l.Check(t.Context(), task, "SELECT id FROM "+table)
		if err != nil {
			t.Fatal(err)
		}
		if v.Passed {
			t.Errorf("%s: a TEMP %s of no rows passes the task: %s", task.ID, table, v.Message)
		}
		if v.Want == nil || len(v.Want.Rows) == 0 {
			t.Errorf("%s: the reference saw the learner's empty %s", task.ID, table)
		}
	}
}

// Values, error text and plans a check shows pass the sanitiser.
func TestSQLResultsAndErrorsAreSanitised(t *testing.T) {
	l := openTestSQL(t)
	hostile := "char(27)||']0;pwned'||char(7)||char(27)||'P+q'||char(27)||'\\'||char(27)||'[2J'||char(155)||char(8238)"
	res, err := l.Query(t.Context(), "SELECT "+hostile+" AS v")
	if err != nil {
		t.Fatal(err)
	}
	if bad := termsafe.Reaches(res.Rows[0][0]); bad != "" {
		t.Errorf("a shown value lets %s through: %q", bad, res.Rows[0][0])
	}
	_, err = l.Query(t.Context(), "SELECT * FROM \"t\x1b]52;c;eA==\x07\u202e\"")
	if err == nil {
		t.Fatal("no error")
	}
	if bad := termsafe.Reaches(err.Error()); bad != "" {
		t.Errorf("the error lets %s through: %q", bad, err.Error())
	}
	v, err := l.Check(t.Context(), SQLTask{ID: "t", Reference: "SELECT 'a'"}, "SELECT "+hostile)
	if err != nil {
		t.Fatal(err)
	}
	if bad := termsafe.Reaches(v.Message); bad != "" {
		t.Errorf("the verdict lets %s through: %q", bad, v.Message)
	}
}

// A lab block's strings can make control characters with YAML escapes;
// they come out sanitised.
func TestLabBlockStringsAreSanitised(t *testing.T) {
	raw := "id: q\nkind: sql\ntitle: \"T\\e]0;pwned\\a\\u202e\"\ntasks:\n  - id: a\n    prompt: \"P\\x1b]52;c;eA==\\x07\\e[2J\\x9b\"\n    hints: [\"H\\eP+q\\e\\\\ \\e_APC\\e\\\\\"]\n    reference: SELECT 1\n"
	s, err := DecodeSQL(&lessons.Lab{ID: "q", Kind: KindSQL, Line: 1, Raw: raw})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{s.Title, s.Tasks[0].Prompt, s.Tasks[0].Hints[0]} {
		if bad := termsafe.Reaches(text); bad != "" {
			t.Errorf("%q lets %s through", text, bad)
		}
	}
	probs := Validate("x.md", &lessons.Lab{ID: "q", Kind: KindSQL, Line: 1, Raw: raw})
	if len(probs) != 3 || probs[0].Severity != lessons.Warning || !strings.Contains(probs[0].Message, "YAML escapes") {
		t.Errorf("lint should warn about each escaped string: %v", probs)
	}
	h, err := DecodeHTTP(&lessons.Lab{ID: "h", Kind: KindHTTP, Line: 1, Raw: "id: h\nkind: http\ntitle: \"H\\e]0;x\\a\"\nscenario: bookshop\n"})
	if err != nil {
		t.Fatal(err)
	}
	if bad := termsafe.Reaches(h.Title); bad != "" {
		t.Errorf("http lab title lets %s through", bad)
	}
}

// lint runs authors' reference queries with the lab's limits, and within
// one budget for the whole course.
func TestValidateBoundsReferenceQueries(t *testing.T) {
	lab := &lessons.Lab{ID: "q", Kind: KindSQL, Line: 1, Raw: "id: q\nkind: sql\ntasks:\n  - id: a\n    prompt: p\n    reference: \"SELECT zeroblob(999999999)\"\n"}
	probs := Validate("x.md", lab)
	if len(probs) != 1 || !strings.Contains(probs[0].Message, "too big") {
		t.Fatalf("problems: %v", probs)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel() // the budget is spent
	probs = ValidateContext(ctx, "x.md", &lessons.Lab{ID: "q", Kind: KindSQL, Line: 1, Raw: "id: q\nkind: sql\ntasks:\n  - id: a\n    prompt: p\n    reference: \"WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r) SELECT count(*) FROM r\"\n"})
	if len(probs) != 1 || probs[0].Severity != lessons.Warning || !strings.Contains(probs[0].Message, "not run") {
		t.Fatalf("problems with the budget spent: %v", probs)
	}
}
