package labs

import (
	"testing"

	"serverside/lessons"
)

// The full-text search lesson's lab must be solvable the way the lesson
// teaches (an FTS5 table created in the console, then MATCH queries), and
// its checks must tell a right answer from the tempting wrong ones.
func TestFullTextSearchLabTasks(t *testing.T) {
	course, _ := lessons.Default()
	lesson := course.Lesson("full-text-search")
	if lesson == nil || len(lesson.Labs) == 0 {
		t.Fatal("the full-text-search lesson or its lab is missing")
	}
	spec, err := DecodeSQL(lesson.Labs[0])
	if err != nil {
		t.Fatal(err)
	}
	tasks := map[string]SQLTask{}
	for _, task := range spec.Tasks {
		tasks[task.ID] = task
	}
	l := openSQL(t)
	mustQuery(t, l, "CREATE VIRTUAL TABLE products_fts USING fts5(name, content='products', content_rowid='id')")
	mustQuery(t, l, "INSERT INTO products_fts(products_fts) VALUES ('rebuild')")
	mustQuery(t, l, "CREATE VIRTUAL TABLE products_stem USING fts5(name, content='products', content_rowid='id', tokenize='porter unicode61')")
	mustQuery(t, l, "INSERT INTO products_stem(products_stem) VALUES ('rebuild')")

	cases := []struct {
		task, answer string
		pass         bool
	}{
		{"fts-word", "SELECT rowid, name FROM products_fts WHERE products_fts MATCH 'knife'", true},
		{"fts-word", "SELECT rowid, name FROM products_fts WHERE products_fts MATCH 'knif*'", true},
		{"fts-word", "SELECT rowid, name FROM products_fts WHERE products_fts MATCH 'utility'", false},
		{"fts-rank", "SELECT name FROM products_fts WHERE products_fts MATCH 'the OR cache' ORDER BY rank", true},
		{"fts-rank", "SELECT name FROM products_fts WHERE products_fts MATCH 'the OR cache' ORDER BY rank DESC", false},
		{"fts-stem", "SELECT rowid, name FROM products_stem WHERE products_stem MATCH 'caching'", true},
		{"fts-stem", "SELECT rowid, name FROM products_fts WHERE products_fts MATCH 'caching'", false},
	}
	for _, c := range cases {
		task, ok := tasks[c.task]
		if !ok {
			t.Fatalf("no task %q in the lab", c.task)
		}
		v, err := l.Check(t.Context(), task, c.answer)
		if err != nil {
			t.Fatalf("%s: %v", c.task, err)
		}
		if v.Passed != c.pass {
			t.Errorf("%s with %q: passed = %v, want %v (%s)", c.task, c.answer, v.Passed, c.pass, v.Message)
		}
	}
	// Checking rolls back: the reference's own FTS tables are gone, the
	// learner's stay.
	r := mustQuery(t, l, "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'lab_ref_%'")
	if r.Rows[0][0] != "0" {
		t.Errorf("reference tables left behind: %v", r.Rows)
	}
	mustQuery(t, l, "SELECT count(*) FROM products_fts")
}
