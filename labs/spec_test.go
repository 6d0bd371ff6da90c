package labs

import (
	"fmt"
	"strings"
	"testing"

	"serverside/lessons"
)

func labBlock(kind, raw string) *lessons.Lab {
	// The fence is on line 10 of the lesson, so YAML line n is file line 10+n.
	return &lessons.Lab{ID: "x", Kind: kind, Line: 10, Raw: raw}
}

func TestValidateGoodBlocks(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ kind, raw string }{
		{"http", "id: caching-lab\nkind: http\ntitle: Conditional requests\nscenario: bookshop\ntasks: [get-304, create-201-location]\n"},
		{"http", "id: all\nkind: http\nscenario: bookshop\n"},
		{"build", "id: rest-books\nkind: build\nlab: rest-resource\n"},
		{"sql", `id: joins
kind: sql
title: Who bought what
tasks:
  - id: big-spenders
    prompt: List customers who spent over 2000.00 in total, with their totals in cents.
    reference: |
      SELECT c.name, sum(oi.quantity * oi.unit_price_cents)
      FROM customers c JOIN orders o ON o.customer_id = c.id JOIN order_items oi ON oi.order_id = o.id
      GROUP BY c.id HAVING sum(oi.quantity * oi.unit_price_cents) > 200000
    hints: [Join three tables., Filter groups with HAVING.]
  - id: top
    prompt: The five dearest products, dearest first.
    reference: SELECT name FROM products ORDER BY price_cents DESC, id LIMIT 5
    ordered: true
  - id: index-email
    prompt: Make looking up a customer by email use an index.
    plan: SEARCH customers USING INDEX
    query: SELECT * FROM customers WHERE email = 'ada@example.com'
  - id: see-isolation
    prompt: Watch one session's change stay invisible to the other until it commits.
    isolation: accounts
`},
	} {
		if probs := Validate("l.md", labBlock(c.kind, c.raw)); len(probs) != 0 {
			t.Errorf("%s block:\n%s\nproblems: %v", c.kind, c.raw, probs)
		}
	}
}

func TestValidateBadBlocks(t *testing.T) {
	for _, c := range []struct {
		kind, raw string
		line, col int
		msg       string
	}{
		{"http", "id: a\nkind: http\nscenario: bookshop\ncolour: red\n", 14, 1, `unknown key "colour"`},
		{"http", "id: a\nkind: http\nscenario: library\n", 13, 11, `unknown scenario "library"`},
		{"http", "id: a\nkind: http\nscenario: bookshop\ntasks: [get-304, get-305]\n", 14, 18, `no task "get-305"`},
		{"http", "id: a\nkind: http\n", 10, 1, `needs "scenario"`},
		{"http", "id: a\nkind: http\nscenario: [bookshop]\n", 13, 11, `must be a string`},
		{"http", "id: a\nkind: http\n  scenario: : bookshop\n", 10, 1, `not valid YAML`},
		{"build", "id: a\nkind: build\nlab: chat-server\n", 13, 6, `unknown build lab "chat-server" (known: rest-resource, kv-ttl)`},
		{"build", "id: a\nkind: build\nlab: kv-ttl\nlab: kv-ttl\n", 14, 1, `appears twice`},
		{"sql", "id: a\nkind: sql\n", 10, 1, `needs "tasks"`},
		{"sql", "id: a\nkind: sql\ntasks:\n  - id: t\n    prompt: p\n", 14, 5, `exactly one of reference`},
		{"sql", "id: a\nkind: sql\ntasks:\n  - id: t\n    prompt: p\n    reference: SELECT 1\n    plan: SCAN\n", 14, 5, `exactly one of reference`},
		{"sql", "id: a\nkind: sql\ntasks:\n  - id: t\n    prompt: p\n    plan: SCAN customers\n", 16, 11, `no query`},
		{"sql", "id: a\nkind: sql\ntasks:\n  - id: t\n    prompt: p\n    reference: SELECT nme FROM customers\n", 16, 16, `reference query fails: no such column: nme`},
		{"sql", "id: a\nkind: sql\ntasks:\n  - id: t\n    prompt: p\n    plan: SEARCH x\n    query: SELECT * FROM nowhere\n", 17, 12, `the query fails: no such table: nowhere`},
		{"sql", "id: a\nkind: sql\ntasks:\n  - id: t\n    prompt: p\n    isolation: ledger\n", 16, 16, `no table "ledger"`},
		{"sql", "id: a\nkind: sql\ntasks:\n  - id: t\n    prompt: p\n    reference: SELECT 1\n    avoid: SCAN\n", 17, 12, `avoid but no plan`},
		{"sql", "id: a\nkind: sql\ntasks:\n  - id: t\n    prompt: p\n    reference: SELECT 1\n    ordered: maybe\n", 17, 14, `true or false`},
		{"sql", "id: a\nkind: sql\ntasks:\n  - id: t\n    prompt: p\n    reference: SELECT 1\n  - id: t\n    prompt: q\n    reference: SELECT 2\n", 17, 9, `used twice`},
		{"sql", "id: a\nkind: sql\ntasks:\n  - id: t\n    prompt: p\n    reference: ATTACH 'x.db' AS x\n", 16, 16, `ATTACH`},
		{"quiz", "id: a\nkind: quiz\n", 10, 1, `unknown lab kind "quiz"`},
	} {
		t.Run(fmt.Sprintf("%s:%d:%d", c.kind, c.line, c.col), func(t *testing.T) {
			probs := Validate("lesson.md", labBlock(c.kind, c.raw))
			if len(probs) == 0 {
				t.Fatalf("no problem for:\n%s", c.raw)
			}
			p := probs[0]
			if p.Path != "lesson.md" || p.Line != c.line || p.Col != c.col || p.Severity != lessons.Error || !strings.Contains(p.Message, c.msg) {
				t.Fatalf("got %s, want lesson.md:%d:%d: error: ...%s...", p, c.line, c.col, c.msg)
			}
		})
	}
}

func TestDecodeReturnsSpecs(t *testing.T) {
	h, err := DecodeHTTP(labBlock("http", "id: c\nkind: http\ntitle: T\nscenario: bookshop\ntasks: [get-304]\n"))
	if err != nil || h.ID != "c" || h.Title != "T" || h.Scenario != "bookshop" || len(h.Tasks) != 1 {
		t.Fatalf("http: %+v %v", h, err)
	}
	s, err := DecodeSQL(labBlock("sql", "id: s\nkind: sql\ntasks:\n  - id: a\n    prompt: p\n    reference: SELECT 1\n    ordered: true\n"))
	if err != nil || len(s.Tasks) != 1 || !s.Tasks[0].Ordered || s.Tasks[0].Kind() != "result" {
		t.Fatalf("sql: %+v %v", s, err)
	}
	b, err := DecodeBuild(labBlock("build", "id: b\nkind: build\nlab: kv-ttl\n"))
	if err != nil || b.Lab != "kv-ttl" {
		t.Fatalf("build: %+v %v", b, err)
	}
	if _, err := DecodeBuild(labBlock("build", "id: b\nkind: build\nlab: nope\n")); err == nil || !strings.Contains(err.Error(), "line 13") {
		t.Fatalf("bad build: %v", err)
	}
}

func TestScenarioTasksAreDocumented(t *testing.T) {
	for _, name := range ScenarioNames() {
		tasks, err := ScenarioTasks(name)
		// Every scenario has a few tasks (the bookshop has a dozen, the
		// latency service four), each with words for the learner.
		if err != nil || len(tasks) < 3 {
			t.Fatalf("%s: %d tasks, %v", name, len(tasks), err)
		}
		for _, ts := range tasks {
			if ts.ID == "" || ts.Title == "" || ts.Do == "" {
				t.Errorf("%s: task %+v lacks words", name, ts)
			}
		}
	}
	if g, err := ScenarioGuide("bookshop"); err != nil || !strings.Contains(g, "GET /limited") {
		t.Fatalf("guide: %v", err)
	}
	if _, err := ScenarioGuide("nope"); err == nil {
		t.Fatal("unknown scenario has a guide")
	}
	if _, err := ScenarioTasks("nope"); err == nil {
		t.Fatal("unknown scenario accepted")
	}
}
