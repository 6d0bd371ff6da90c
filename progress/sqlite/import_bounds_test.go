package sqlite

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// Import refuses values no export of this program holds, naming the
// record: they wrapped (reps 2^63-1 became -2^63), broke scheduling
// (stability 1e308), or made the database one a later export could not
// read back (a 100 MB answer).
func TestImportRefusesAbsurdValues(t *testing.T) {
	ctx := context.Background()
	src, c := openClocked(t)
	record(t, src, "ada", "l1", "q1", true, 0, c.t)
	_ = src.Flag(ctx, "ada", "l1", "q1", "typo")
	_ = src.CompleteLabTask(ctx, "ada", "l1", "lab", "task")
	_ = src.AddTime(ctx, "ada", "l1", 60)
	var buf bytes.Buffer
	if err := src.Export(ctx, "ada", &buf); err != nil {
		t.Fatal(err)
	}
	edit := func(section, key string, value any) []byte {
		var doc map[string]any
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		recs := doc[section].([]any)
		recs[0].(map[string]any)[key] = value
		out, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	huge := strings.Repeat("x", 1<<20)
	for _, tc := range []struct {
		section, key string
		value        any
		want         string
	}{
		{"cards", "reps", json.Number("9223372036854775807"), `cards[0] (lesson "l1", question "q1"): reps 9223372036854775807 is out of range`},
		{"cards", "lapses", -1, `cards[0] (lesson "l1", question "q1"): lapses -1 is out of range`},
		{"cards", "stability", json.Number("1e308"), `cards[0] (lesson "l1", question "q1"): stability 1e+308 is out of range`},
		{"cards", "step", 1000000, `cards[0] (lesson "l1", question "q1"): step 1000000 is out of range`},
		{"attempts", "answer", huge, `attempts[0] (lesson "l1", question "q1"): answer is 1048576 bytes, at most 65536`},
		{"attempts", "hints_used", 1 << 40, `attempts[0] (lesson "l1", question "q1"): hints_used 1099511627776 is out of range`},
		{"lesson_states", "seconds", json.Number("9223372036854775807"), `lesson_states[0] (lesson "l1"): seconds 9223372036854775807 is out of range`},
		{"lesson_states", "scroll", -5, `lesson_states[0] (lesson "l1"): scroll -5 is out of range`},
		{"flags", "comment", huge, `flags[0] (lesson "l1", question "q1"): comment is 1048576 characters, at most 2000`},
		{"lab_tasks", "task_id", huge, `lab_tasks[0] (lesson "l1", lab "lab"): task_id is 1048576 bytes, at most 200`},
	} {
		dst := openTemp(t)
		_, err := dst.Import(ctx, bytes.NewReader(edit(tc.section, tc.key, tc.value)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s.%s = %.20v: want an error naming %q, got %v", tc.section, tc.key, tc.value, tc.want, err)
		}
		if users, _ := dst.Users(ctx); len(users) != 0 {
			t.Errorf("%s.%s: a refused import created users %v", tc.section, tc.key, users)
		}
	}

	// The file as exported still imports, and exports again.
	dst := openTemp(t)
	if _, err := dst.Import(ctx, bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	if err := dst.Export(ctx, "ada", &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
}

// endless is an input that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// An endless input (a pipe from /dev/zero, a wrong file) stops at the size
// bound with an error, instead of filling memory.
func TestImportStopsAtTheSizeBound(t *testing.T) {
	s := openTemp(t)
	_, err := s.Import(context.Background(), endless{})
	if err == nil || !strings.Contains(err.Error(), "larger than 256 MB") {
		t.Fatalf("want the size bound's error, got %v", err)
	}
}
