// Package labs runs the hands-on parts of the course: an HTTP server on
// loopback to poke with requests, a SQLite database seeded with a shop to
// query, and a checker that drives the learner's own service through staged
// checks. It knows nothing of terminals: the tui package draws its screens
// and runs its work in commands.
//
// A lesson embeds a lab as a fenced block whose info string is `lab`; this
// file decodes the block's YAML and reports problems at file positions.
package labs

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"serverside/lessons"
	"serverside/termsafe"
)

// Kinds of lab a lesson can embed.
const (
	KindHTTP  = "http"
	KindSQL   = "sql"
	KindBuild = "build"
)

// HTTPSpec is a decoded `kind: http` block.
type HTTPSpec struct {
	ID, Title string
	Scenario  string
	// Tasks are the scenario's task IDs to do here, in order; empty means all.
	Tasks []string
}

// SQLSpec is a decoded `kind: sql` block.
type SQLSpec struct {
	ID, Title string
	Tasks     []SQLTask
}

// SQLTask is one thing to do in a SQL lab. Exactly one of Reference, Plan or
// Isolation says how it is checked.
type SQLTask struct {
	ID string
	// Title names the task in the list; without one, DisplayTitle makes
	// one from the prompt.
	Title  string
	Prompt string
	Hints  []string
	// Reference is a query whose result set the learner's must equal (as a
	// multiset of rows unless Ordered).
	Reference string
	Ordered   bool
	// Plan must appear in EXPLAIN QUERY PLAN of Query (e.g. "SEARCH
	// customers USING INDEX"); a covering index counts as an index.
	Plan  string
	Query string
	// Avoid, with Plan, must not appear in the plan (e.g. "USE TEMP
	// B-TREE", a sort the right index makes unnecessary).
	Avoid string
	// Isolation names a table: the task passes once one session has read
	// the table while another held an uncommitted write to it, and read it
	// again after that write was committed.
	Isolation string
}

// Kind says how the task is checked: "result", "plan" or "isolation".
func (t SQLTask) Kind() string {
	switch {
	case t.Plan != "":
		return "plan"
	case t.Isolation != "":
		return "isolation"
	default:
		return "result"
	}
}

// BuildSpec is a decoded `kind: build` block.
type BuildSpec struct {
	ID, Title string
	// Lab is the ID of one of BuildLabs().
	Lab string
}

// problemList collects problems for one lab block, turning YAML node
// positions (relative to the block's content) into file positions.
type problemList struct {
	path  string
	line  int // line of the opening fence
	probs []lessons.Problem
}

func (pl *problemList) at(n *yaml.Node, format string, args ...any) {
	line, col := pl.line, 1
	if n != nil {
		line, col = pl.line+n.Line, n.Column
	}
	pl.probs = append(pl.probs, lessons.Problem{
		Path: pl.path, Line: line, Col: col, Severity: lessons.Error,
		Message: fmt.Sprintf(format, args...),
	})
}

func (pl *problemList) warn(n *yaml.Node, format string, args ...any) {
	pl.at(n, format, args...)
	pl.probs[len(pl.probs)-1].Severity = lessons.Warning
}

// err is the first error (warnings do not stop a lab from opening).
func (pl *problemList) err() error {
	for _, p := range pl.probs {
		if p.Severity == lessons.Error {
			return fmt.Errorf("lab block at line %d: %s", p.Line, p.Message)
		}
	}
	return nil
}

// fields reads a mapping node whose keys must all be in known; it reports
// unknown and repeated keys and returns key -> value node.
func (pl *problemList) fields(n *yaml.Node, what string, known ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n.Kind != yaml.MappingNode {
		pl.at(n, "%s must be a mapping of keys to values", what)
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(known, k.Value) {
			pl.at(k, "unknown key %q in %s (known keys: %s)", k.Value, what, strings.Join(known, ", "))
			continue
		}
		if _, dup := out[k.Value]; dup {
			pl.at(k, "key %q appears twice in %s", k.Value, what)
			continue
		}
		out[k.Value] = v
	}
	return out
}

func (pl *problemList) str(m map[string]*yaml.Node, key string, required bool, what string) string {
	n, ok := m[key]
	if !ok {
		if required {
			pl.at(nil, "%s needs %q", what, key)
		}
		return ""
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		pl.at(n, "%q in %s must be a string", key, what)
		return ""
	}
	if required && strings.TrimSpace(n.Value) == "" {
		pl.at(n, "%q in %s must not be empty", key, what)
	}
	return pl.outside(n, key, what)
}

// outside sanitises a string decoded from a lab block, and warns when that
// changed it: YAML's escapes ("\e", "\x1b", "\u202e") make control
// characters that the raw block did not have, and lint has seen only the
// raw block.
func (pl *problemList) outside(n *yaml.Node, key, what string) string {
	v := termsafe.Text(n.Value)
	if v != n.Value {
		pl.warn(n, "%q in %s holds control characters (from YAML escapes such as \\e, \\x1b or \\u202e): they are removed; delete them", key, what)
	}
	return v
}

func (pl *problemList) strs(m map[string]*yaml.Node, key, what string) []string {
	n, ok := m[key]
	if !ok {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		pl.at(n, "%q in %s must be a list of strings", key, what)
		return nil
	}
	var out []string
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode {
			pl.at(c, "%q in %s must be a list of strings", key, what)
			continue
		}
		out = append(out, pl.outside(c, key, what))
	}
	return out
}

func (pl *problemList) boolean(m map[string]*yaml.Node, key, what string) bool {
	n, ok := m[key]
	if !ok {
		return false
	}
	var b bool
	if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
		pl.at(n, "%q in %s must be true or false", key, what)
	}
	return b
}

// root parses the block and reads its envelope keys.
func (pl *problemList) root(lab *lessons.Lab, known ...string) (map[string]*yaml.Node, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(lab.Raw), &doc); err != nil {
		pl.at(nil, "lab block is not valid YAML: %v", err)
		return nil, false
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		pl.at(nil, "lab block is empty: it needs at least id and kind")
		return nil, false
	}
	return pl.fields(doc.Content[0], "the lab block", append([]string{"id", "kind", "title"}, known...)...), true
}

// DecodeHTTP decodes an http lab block; the error names the first problem.
func DecodeHTTP(lab *lessons.Lab) (HTTPSpec, error) {
	pl := &problemList{line: lab.Line}
	s := decodeHTTP(pl, lab)
	return s, pl.err()
}

func decodeHTTP(pl *problemList, lab *lessons.Lab) HTTPSpec {
	m, ok := pl.root(lab, "scenario", "tasks")
	if !ok {
		return HTTPSpec{}
	}
	s := HTTPSpec{
		ID:       pl.str(m, "id", true, "the lab block"),
		Title:    pl.str(m, "title", false, "the lab block"),
		Scenario: pl.str(m, "scenario", true, "an http lab"),
		Tasks:    pl.strs(m, "tasks", "an http lab"),
	}
	if s.Scenario == "" {
		return s
	}
	sc, ok := scenarioByName(s.Scenario)
	if !ok {
		pl.at(m["scenario"], "unknown scenario %q (known: %s)", s.Scenario, strings.Join(ScenarioNames(), ", "))
		return s
	}
	for i, id := range s.Tasks {
		if !slices.ContainsFunc(sc.tasks, func(t httpTask) bool { return t.ID == id }) {
			pl.at(m["tasks"].Content[i], "scenario %q has no task %q (its tasks: %s)", s.Scenario, id, strings.Join(sc.taskIDs(), ", "))
		}
	}
	return s
}

// DecodeSQL decodes a sql lab block; the error names the first problem.
func DecodeSQL(lab *lessons.Lab) (SQLSpec, error) {
	pl := &problemList{line: lab.Line}
	s, _ := decodeSQL(pl, lab)
	return s, pl.err()
}

// decodeSQL also returns each task's mapping node so Validate can place
// problems found by running the queries.
func decodeSQL(pl *problemList, lab *lessons.Lab) (SQLSpec, []map[string]*yaml.Node) {
	m, ok := pl.root(lab, "tasks")
	if !ok {
		return SQLSpec{}, nil
	}
	s := SQLSpec{
		ID:    pl.str(m, "id", true, "the lab block"),
		Title: pl.str(m, "title", false, "the lab block"),
	}
	tn, ok := m["tasks"]
	if !ok || tn.Kind != yaml.SequenceNode || len(tn.Content) == 0 {
		pl.at(tn, "a sql lab needs \"tasks\": a list of tasks, each with id, prompt and one of reference, plan or isolation")
		return s, nil
	}
	var nodes []map[string]*yaml.Node
	seen := map[string]bool{}
	for i, n := range tn.Content {
		what := fmt.Sprintf("task %d", i+1)
		f := pl.fields(n, what, "id", "title", "prompt", "hints", "reference", "ordered", "plan", "query", "avoid", "isolation")
		t := SQLTask{
			ID:        pl.str(f, "id", true, what),
			Title:     pl.str(f, "title", false, what),
			Prompt:    pl.str(f, "prompt", true, what),
			Hints:     pl.strs(f, "hints", what),
			Reference: pl.str(f, "reference", false, what),
			Ordered:   pl.boolean(f, "ordered", what),
			Plan:      pl.str(f, "plan", false, what),
			Query:     pl.str(f, "query", false, what),
			Avoid:     pl.str(f, "avoid", false, what),
			Isolation: pl.str(f, "isolation", false, what),
		}
		if t.ID != "" && seen[t.ID] {
			pl.at(f["id"], "task id %q is used twice in this lab", t.ID)
		}
		seen[t.ID] = true
		ways := 0
		for _, v := range []string{t.Reference, t.Plan, t.Isolation} {
			if strings.TrimSpace(v) != "" {
				ways++
			}
		}
		switch {
		case ways != 1:
			pl.at(n, "%s needs exactly one of reference (compare results), plan (check EXPLAIN QUERY PLAN) or isolation (watch two sessions)", what)
		case t.Plan != "" && strings.TrimSpace(t.Query) == "":
			pl.at(f["plan"], "%s has a plan but no query: plan is checked against EXPLAIN QUERY PLAN of query", what)
		case t.Plan == "" && t.Query != "":
			pl.at(f["query"], "%s has a query but no plan: query is only used by plan tasks", what)
		case t.Plan == "" && t.Avoid != "":
			pl.at(f["avoid"], "%s has avoid but no plan: avoid is only used by plan tasks", what)
		case t.Reference == "" && f["ordered"] != nil:
			pl.at(f["ordered"], "%s: ordered only applies to reference tasks", what)
		}
		s.Tasks = append(s.Tasks, t)
		nodes = append(nodes, f)
	}
	return s, nodes
}

// DecodeBuild decodes a build lab block; the error names the first problem.
func DecodeBuild(lab *lessons.Lab) (BuildSpec, error) {
	pl := &problemList{line: lab.Line}
	s := decodeBuild(pl, lab)
	return s, pl.err()
}

func decodeBuild(pl *problemList, lab *lessons.Lab) BuildSpec {
	m, ok := pl.root(lab, "lab")
	if !ok {
		return BuildSpec{}
	}
	s := BuildSpec{
		ID:    pl.str(m, "id", true, "the lab block"),
		Title: pl.str(m, "title", false, "the lab block"),
		Lab:   pl.str(m, "lab", true, "a build lab"),
	}
	if s.Lab != "" {
		if _, err := FindBuildLab(s.Lab); err != nil {
			var ids []string
			for _, b := range BuildLabs() {
				ids = append(ids, b.ID)
			}
			pl.at(m["lab"], "unknown build lab %q (known: %s)", s.Lab, strings.Join(ids, ", "))
		}
	}
	return s
}

// Validate checks a lab block for `serverside lint`; positions are file
// lines/cols. For sql labs it also runs every reference and plan query
// against a fresh lab database, so a typo in a query is caught here rather
// than by a learner.
func Validate(path string, lab *lessons.Lab) []lessons.Problem {
	return ValidateContext(context.Background(), path, lab)
}

// LintQueryBudget bounds the time lint spends running the reference and
// plan queries of a whole course; each query is still bounded by
// QueryTimeout. Give ValidateContext a context with this deadline.
const LintQueryBudget = 10 * time.Second

// ValidateContext is Validate with a context that bounds the queries it
// runs: when ctx is done, the queries not yet run are reported as not
// checked rather than run.
func ValidateContext(ctx context.Context, path string, lab *lessons.Lab) []lessons.Problem {
	pl := &problemList{path: path, line: lab.Line}
	switch lab.Kind {
	case KindHTTP:
		decodeHTTP(pl, lab)
	case KindBuild:
		decodeBuild(pl, lab)
	case KindSQL:
		s, nodes := decodeSQL(pl, lab)
		if pl.err() == nil {
			validateSQLQueries(ctx, pl, s, nodes)
		}
	default:
		pl.at(nil, "unknown lab kind %q: use http, sql or build", lab.Kind)
	}
	return pl.probs
}

func validateSQLQueries(ctx context.Context, pl *problemList, s SQLSpec, nodes []map[string]*yaml.Node) {
	if ctx.Err() != nil {
		pl.warn(nil, "the queries of this lab were not run: lint runs lab queries for at most %s a course, and earlier labs used it up (fix the queries reported as stopped, then lint again)", LintQueryBudget)
		return
	}
	db, err := OpenSQL(ctx)
	if err != nil {
		pl.at(nil, "could not open a lab database to check the queries: %v", err)
		return
	}
	defer db.Close()
	for i, t := range s.Tasks {
		if ctx.Err() != nil && t.Kind() != "isolation" {
			pl.warn(nodes[i]["id"], "task %q: its query was not run: lint runs lab queries for at most %s a course (fix the queries reported as stopped, then lint again)", t.ID, LintQueryBudget)
			continue
		}
		switch t.Kind() {
		case "result":
			// As a check runs it: on the reference connection, with the
			// check's bounds.
			if _, err := db.reference(ctx, t.Reference); err != nil {
				pl.at(nodes[i]["reference"], "task %q: the reference query fails: %v", t.ID, err)
			}
		case "plan":
			if _, err := db.Query(ctx, "EXPLAIN QUERY PLAN "+t.Query); err != nil {
				pl.at(nodes[i]["query"], "task %q: the query fails: %v", t.ID, err)
			}
		case "isolation":
			if !slices.Contains(SeedTables(), t.Isolation) {
				pl.at(nodes[i]["isolation"], "task %q: no table %q in the lab database (tables: %s)", t.ID, t.Isolation, strings.Join(SeedTables(), ", "))
			}
		}
	}
}
