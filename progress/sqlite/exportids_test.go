package sqlite

import (
	"context"
	"strings"
	"testing"
)

// An export can come from anyone, and report prints its ids and names:
// ids with escapes, controls or bidi overrides are refused, naming the
// record.
func TestImportRefusesHostileIDs(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	head := `{"format":"serverside-progress","version":1,"user":{"name":"ada"},`
	for name, c := range map[string]struct{ body, where string }{
		"OSC 52 lesson id":  {`"lesson_states":[{"lesson_id":"l\u001b]52;c;eA==\u0007","status":"done"}]}`, "lesson_states[0]"},
		"CSI question id":   {`"flags":[{"lesson_id":"l","question_id":"q\u001b[2J","at":"2026-01-01T00:00:00Z"}]}`, "flags[0]"},
		"DCS question id":   {`"attempts":[{"lesson_id":"l","question_id":"q\u001bP+q\u001b\\","answer":"a","correct":true,"hints_used":0,"at":"2026-01-01T00:00:00Z"}]}`, "attempts[0]"},
		"C1 lab id":         {`"lab_tasks":[{"lesson_id":"l","lab_id":"x\u009b2J","task_id":"t","done_at":"2026-01-01T00:00:00Z"}]}`, "lab_tasks[0]"},
		"bidi lesson id":    {`"lesson_states":[{"lesson_id":"l\u202etxt","status":"done"}]}`, "lesson_states[0]"},
		"newline in id":     {`"lesson_states":[{"lesson_id":"a\nb","status":"done"}]}`, "lesson_states[0]"},
		"very long id":      {`"lesson_states":[{"lesson_id":"` + strings.Repeat("x", 300) + `","status":"done"}]}`, "lesson_states[0]"},
		"bidi in user name": {``, "user"},
		"APC in user name":  {``, "user"},
	} {
		body := head + c.body
		switch name {
		case "bidi in user name":
			body = `{"format":"serverside-progress","version":1,"user":{"name":"ad\u202ea"}}`
		case "APC in user name":
			body = `{"format":"serverside-progress","version":1,"user":{"name":"a\u001b_x\u001b\\"}}`
		}
		_, err := s.Import(ctx, strings.NewReader(body))
		if err == nil || !strings.Contains(err.Error(), c.where) {
			t.Errorf("%s: err = %v, want one naming %s", name, err, c.where)
		}
	}
	if users, _ := s.Users(ctx); len(users) != 0 {
		t.Errorf("refused imports created users %v", users)
	}
	if _, err := s.EnsureUser(ctx, "eve\u202e"); err == nil {
		t.Error("a user name with a bidi override is accepted")
	}
}
