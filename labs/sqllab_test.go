package labs

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func openSQL(t *testing.T) *SQLLab {
	t.Helper()
	l, err := OpenSQL(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func mustQuery(t *testing.T, s interface {
	Query(context.Context, string) (Result, error)
}, q string) Result {
	t.Helper()
	r, err := s.Query(t.Context(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return r
}

func TestSeedIsDeterministic(t *testing.T) {
	t.Parallel()
	q := `SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM products), (SELECT count(*) FROM orders),
	  (SELECT count(*) FROM order_items), (SELECT sum(quantity * unit_price_cents) FROM order_items),
	  (SELECT email FROM customers WHERE id = 1)`
	a := mustQuery(t, openSQL(t), q)
	b := mustQuery(t, openSQL(t), q)
	if !slices.Equal(a.Rows[0], b.Rows[0]) {
		t.Fatalf("two labs differ: %v vs %v", a.Rows[0], b.Rows[0])
	}
	r := a.Rows[0]
	if r[0] != "500" || r[1] != "60" || r[2] != "3000" || r[5] != "ada@example.com" {
		t.Fatalf("unexpected seed: %v", r)
	}
}

func TestQueryResultShapes(t *testing.T) {
	l := openSQL(t)
	r := mustQuery(t, l, "SELECT id, name, NULL AS empty, x'00ff' AS blob, 1.5 AS f FROM customers WHERE id = 1")
	if want := []string{"id", "name", "empty", "blob", "f"}; !slices.Equal(r.Columns, want) {
		t.Fatalf("columns = %v", r.Columns)
	}
	if want := []string{"1", "Ada Lovelace", "NULL", "x'00ff'", "1.5"}; !slices.Equal(r.Rows[0], want) {
		t.Fatalf("row = %v, want %v", r.Rows[0], want)
	}
	if r.RowsAffected != -1 || r.Truncated {
		t.Fatalf("affected %d truncated %v", r.RowsAffected, r.Truncated)
	}

	r = mustQuery(t, l, "UPDATE accounts SET balance_cents = balance_cents + 1 WHERE id IN (1, 2)")
	if r.RowsAffected != 2 || len(r.Columns) != 0 {
		t.Fatalf("update: affected %d, columns %v", r.RowsAffected, r.Columns)
	}

	r = mustQuery(t, l, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('a;b'), ('c'); -- trailing ; comment\nSELECT count(*) FROM notes")
	if r.Statements != 3 || r.Rows[0][0] != "2" {
		t.Fatalf("multi-statement: %+v", r)
	}
}

func TestQueryTruncatesAtMaxRows(t *testing.T) {
	t.Parallel()
	r := mustQuery(t, openSQL(t), "SELECT * FROM order_items")
	if !r.Truncated || len(r.Rows) != MaxRows {
		t.Fatalf("truncated %v with %d rows", r.Truncated, len(r.Rows))
	}
	r = mustQuery(t, openSQL(t), "SELECT * FROM orders LIMIT 1000")
	if r.Truncated || len(r.Rows) != 1000 {
		t.Fatalf("exactly MaxRows: truncated %v with %d rows", r.Truncated, len(r.Rows))
	}
}

func TestQueryIsInterruptedAtTimeout(t *testing.T) {
	l := openSQL(t)
	l.timeout = 150 * time.Millisecond
	_, err := l.Query(t.Context(), "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n")
	if err == nil || !strings.Contains(err.Error(), "stopped after 150ms") {
		t.Fatalf("err = %v, want a timeout", err)
	}
	// The session is usable afterwards.
	mustQuery(t, l, "SELECT 1")
}

func TestQueryRefusesFileAccess(t *testing.T) {
	l := openSQL(t)
	dir := t.TempDir()
	cases := map[string]string{
		"ATTACH '" + dir + "/x.db' AS x":                            "ATTACH",
		"VACUUM INTO '" + dir + "/copy.db'":                         "VACUUM INTO",
		"SELECT load_extension('/tmp/evil.so')":                     "load_extension",
		"PRAGMA journal_mode = DELETE":                              "PRAGMA journal_mode",
		"PRAGMA wal_checkpoint":                                     "PRAGMA wal_checkpoint",
		"PRAGMA foreign_keys = OFF":                                 "foreign_keys",
		"DETACH main":                                               "DETACH",
		"CREATE VIRTUAL TABLE v USING rtree(id, a, b)":              "virtual tables",
		"CREATE VIRTUAL TABLE v USING fts5vocab(products_fts, row)": "virtual tables",
	}
	for q, want := range cases {
		_, err := l.Query(t.Context(), q)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want one naming %q", q, err, want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("files were created: %v", entries)
	}
	// Describing the schema is allowed.
	r := mustQuery(t, l, "PRAGMA table_info(customers)")
	if len(r.Rows) != 5 {
		t.Fatalf("table_info: %v", r.Rows)
	}
	mustQuery(t, l, "PRAGMA index_list(order_items)")
}

// FTS5 tables keep everything inside the database, so the full-text search
// lesson can have learners build and query one; other modules stay refused.
func TestFTS5TablesAreAllowed(t *testing.T) {
	l := openSQL(t)
	mustQuery(t, l, "CREATE VIRTUAL TABLE products_fts USING fts5(name, content='products', content_rowid='id')")
	mustQuery(t, l, "INSERT INTO products_fts(products_fts) VALUES ('rebuild')")
	r := mustQuery(t, l, "SELECT p.name FROM products_fts JOIN products p ON p.id = products_fts.rowid WHERE products_fts MATCH 'teapot'")
	if len(r.Rows) != 1 || r.Rows[0][0] != "Teapot" {
		t.Fatalf("MATCH 'teapot': %v", r.Rows)
	}
	mustQuery(t, l, "DROP TABLE products_fts")
}

func TestCloseRemovesTheDatabase(t *testing.T) {
	l, err := OpenSQL(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	dir := l.dir
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("%s still exists: %v", dir, err)
	}
	if err := l.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
}

func TestSessionsAreIsolated(t *testing.T) {
	t.Parallel()
	l := openSQL(t)
	a := l.Main()
	b, err := l.NewSession(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	task := SQLTask{ID: "iso", Isolation: "accounts"}
	step := func(s *Session, q, wantBalance string) {
		t.Helper()
		r := mustQuery(t, s, q)
		if wantBalance != "" && r.Rows[0][0] != wantBalance {
			t.Fatalf("session %s: %s = %v, want %s", s.Name(), q, r.Rows, wantBalance)
		}
	}
	read := "SELECT balance_cents FROM accounts WHERE id = 1"
	if v, _ := l.Check(t.Context(), task, ""); v.Passed || !strings.Contains(v.Message, "BEGIN") {
		t.Fatalf("before: %+v", v)
	}
	if r := mustQuery(t, a, "BEGIN"); !r.InTransaction {
		t.Fatal("BEGIN: result not in a transaction")
	}
	step(a, "UPDATE accounts SET balance_cents = 1 WHERE id = 1", "")
	if !a.InTransaction() || b.InTransaction() {
		t.Fatal("transaction state not tracked")
	}
	step(a, read, "1")
	step(b, read, "10000") // the uncommitted write is invisible
	if v, _ := l.Check(t.Context(), task, ""); v.Passed || !strings.Contains(v.Message, "COMMIT") {
		t.Fatalf("mid-way: %+v", v)
	}
	// B cannot write while A holds the write lock.
	if _, err := b.Query(t.Context(), "UPDATE accounts SET balance_cents = 2 WHERE id = 2"); err == nil || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("concurrent write: %v", err)
	}
	step(a, "COMMIT", "")
	step(b, read, "1")
	if v, _ := l.Check(t.Context(), task, ""); !v.Passed {
		t.Fatalf("after: %+v", v)
	}
}

func TestIsolationNeedsTheReadBeforeCommit(t *testing.T) {
	l := openSQL(t)
	b, err := l.NewSession(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	mustQuery(t, l, "BEGIN; UPDATE accounts SET balance_cents = 0; COMMIT")
	mustQuery(t, b, "SELECT * FROM accounts")
	mustQuery(t, b, "SELECT * FROM accounts")
	if v, _ := l.Check(t.Context(), SQLTask{ID: "iso", Isolation: "accounts"}, ""); v.Passed {
		t.Fatalf("passed without reading during the transaction: %+v", v)
	}
}

func TestSessionLimit(t *testing.T) {
	l := openSQL(t)
	for range maxSessions - 1 {
		if _, err := l.NewSession(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.NewSession(t.Context()); err == nil {
		t.Fatal("opened more than maxSessions sessions")
	}
}

func TestCheckResultTask(t *testing.T) {
	t.Parallel()
	l := openSQL(t)
	task := SQLTask{ID: "loyal", Reference: `SELECT c.name, count(*) AS n
		FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id HAVING n > 20`}
	cases := []struct {
		answer string
		pass   bool
		msg    string
	}{
		{`SELECT c.name, count(o.id) FROM orders o JOIN customers c ON c.id = o.customer_id
		  GROUP BY c.id HAVING count(o.id) > 20 ORDER BY 2 DESC`, true, "Right"},
		{`SELECT c.name FROM customers c`, false, "1 column(s); the task wants 2"},
		{`SELECT c.name, count(*) AS n FROM customers c JOIN orders o ON o.customer_id = c.id
		  GROUP BY c.id HAVING n > 25`, false, "missing"},
		{`SELECT nme FROM customers`, false, "Your query failed"},
		{`DELETE FROM order_items; SELECT name, 0 FROM customers`, false, "should not be there"},
		{`BEGIN`, false, "console"},
	}
	for _, c := range cases {
		v, err := l.Check(t.Context(), task, c.answer)
		if err != nil {
			t.Fatal(err)
		}
		if v.Passed != c.pass || !strings.Contains(v.Message, c.msg) {
			t.Errorf("%s:\n got %v %q, want %v and %q", c.answer, v.Passed, v.Message, c.pass, c.msg)
		}
	}
	// The DELETE in an answer was rolled back.
	if r := mustQuery(t, l, "SELECT count(*) FROM order_items"); r.Rows[0][0] == "0" {
		t.Fatalf("checking changed the data: %v", r.Rows)
	}
}

func TestCheckOrderedResultTask(t *testing.T) {
	t.Parallel()
	l := openSQL(t)
	task := SQLTask{ID: "top", Reference: "SELECT name FROM products ORDER BY price_cents DESC, id LIMIT 5", Ordered: true}
	v, _ := l.Check(t.Context(), task, "SELECT name FROM products ORDER BY price_cents DESC, id LIMIT 5")
	if !v.Passed {
		t.Fatalf("same order: %+v", v)
	}
	v, _ = l.Check(t.Context(), task, "SELECT name FROM (SELECT name, id, price_cents FROM products ORDER BY price_cents DESC, id LIMIT 5) ORDER BY name")
	if v.Passed || !strings.Contains(v.Message, "ORDER BY") {
		t.Fatalf("other order: %+v", v)
	}
}

func TestCheckPlanTask(t *testing.T) {
	t.Parallel()
	l := openSQL(t)
	task := SQLTask{ID: "idx", Plan: "SEARCH customers USING INDEX", Query: "SELECT * FROM customers WHERE email = 'ada@example.com'"}
	v, err := l.Check(t.Context(), task, "")
	if err != nil {
		t.Fatal(err)
	}
	if v.Passed || !strings.Contains(v.Plan, "SCAN customers") {
		t.Fatalf("without index: %+v", v)
	}
	v, _ = l.Check(t.Context(), task, "CREATE INDEX customers_email ON customers (email)")
	if !v.Passed || !strings.Contains(v.Plan, "customers_email") {
		t.Fatalf("with index: %+v", v)
	}
	// avoid: the sort must go too, which takes an index on both columns.
	sorted := SQLTask{ID: "sorted", Plan: "SEARCH orders USING", Avoid: "USE TEMP B-TREE",
		Query: "SELECT id FROM orders WHERE customer_id = 7 ORDER BY created_at"}
	v, _ = l.Check(t.Context(), sorted, "CREATE INDEX orders_by_customer ON orders (customer_id)")
	if v.Passed || !strings.Contains(v.Message, "USE TEMP B-TREE") {
		t.Fatalf("one-column index: %+v", v)
	}
	v, _ = l.Check(t.Context(), sorted, "CREATE INDEX orders_by_customer_date ON orders (customer_id, created_at)")
	if !v.Passed {
		t.Fatalf("two-column index: %+v", v)
	}
	// A covering index counts too.
	cover := SQLTask{ID: "cover", Plan: "SEARCH orders USING INDEX", Query: "SELECT customer_id FROM orders WHERE customer_id = 7"}
	v, _ = l.Check(t.Context(), cover, "")
	if !v.Passed || !strings.Contains(v.Plan, "COVERING") {
		t.Fatalf("covering: %+v", v)
	}
}

func TestSplitStatements(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"SELECT 1", []string{"SELECT 1"}},
		{"SELECT 1; SELECT 2;", []string{"SELECT 1", "SELECT 2"}},
		{"SELECT ';'; SELECT \"a;b\" FROM t", []string{"SELECT ';'", "SELECT \"a;b\" FROM t"}},
		{"SELECT 1 -- a; comment\n; /* ; */ SELECT 2", []string{"SELECT 1 -- a; comment", "/* ; */ SELECT 2"}},
		{"  ;; -- only a comment", nil},
		{"CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET x = 1; DELETE FROM c; END; SELECT 1",
			[]string{"CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET x = 1; DELETE FROM c; END", "SELECT 1"}},
		{"SELECT 'it''s'; SELECT 2", []string{"SELECT 'it''s'", "SELECT 2"}},
	}
	for _, c := range cases {
		if got := splitStatements(c.in); !slices.Equal(got, c.want) {
			t.Errorf("splitStatements(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func BenchmarkOpenSQL(b *testing.B) {
	for b.Loop() {
		l, err := OpenSQL(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		l.Close()
	}
}

func BenchmarkJoinQuery(b *testing.B) {
	l, err := OpenSQL(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	for b.Loop() {
		if _, err := l.Query(b.Context(), `SELECT c.city, count(*) FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.city`); err != nil {
			b.Fatal(err)
		}
	}
}

// Feedback on a wrong answer never quotes the reference query: not its
// column expressions, not its aliases.
func TestCheckFeedbackKeepsTheReferenceSecret(t *testing.T) {
	t.Parallel()
	l := openSQL(t)
	task := SQLTask{ID: "big", Reference: `SELECT c.name, sum(oi.quantity * oi.unit_price_cents) AS spent_total
		FROM customers c JOIN orders o ON o.customer_id = c.id JOIN order_items oi ON oi.order_id = o.id
		GROUP BY c.id HAVING spent_total > 500000`}
	for _, answer := range []string{
		`SELECT name FROM customers`,
		`SELECT name, 1, 2 FROM customers`,
		`SELECT name, 0 FROM customers`,
	} {
		v, err := l.Check(t.Context(), task, answer)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"sum(", "oi.", "quantity", "spent_total", "unit_price"} {
			if strings.Contains(v.Message, secret) {
				t.Errorf("%s: feedback gives away %q: %s", answer, secret, v.Message)
			}
		}
		if v.Passed || v.Message == "" {
			t.Errorf("%s: %+v", answer, v)
		}
	}
}

func TestTaskTitle(t *testing.T) {
	for _, c := range []struct {
		task SQLTask
		want string
	}{
		{SQLTask{ID: "lisbon", Title: "Customers in Lisbon", Prompt: "List them."}, "Customers in Lisbon"},
		{SQLTask{ID: "lisbon", Prompt: "List the name and email of every customer in Lisbon."}, "List the name and email of every customer in Lisbon"},
		{SQLTask{ID: "x", Prompt: "How many orders are there in each status? One row per status."}, "How many orders are there in each status?"},
		{SQLTask{ID: "x", Prompt: "Make `SELECT * FROM orders WHERE customer_id = 42` a search instead of a scan, using an index of your own design."}, "Make SELECT * FROM orders WHERE customer_id = 42 a search instead of a…"},
		{SQLTask{ID: "orders-per-status"}, "orders per status"},
	} {
		if got := c.task.DisplayTitle(); got != c.want {
			t.Errorf("%+v: title %q, want %q", c.task, got, c.want)
		}
	}
}
