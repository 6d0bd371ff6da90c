package lessons

import (
	"os"
	"testing"
)

func fixtureQuestions(t *testing.T) map[string]*Question {
	t.Helper()
	src, err := os.ReadFile("testdata/good/every-type.md")
	if err != nil {
		t.Fatal(err)
	}
	l, probs := ParseLesson("every-type.md", "every-type.md", src)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	out := map[string]*Question{}
	for _, q := range l.Questions {
		out[q.ID] = q
	}
	return out
}

func TestGrade(t *testing.T) {
	qs := fixtureQuestions(t)
	yes, no := true, false
	cases := []struct {
		q    string
		a    Answer
		want bool
	}{
		{"pick-one", Answer{Choices: []int{0}}, true},
		{"pick-one", Answer{Choices: []int{1}}, false},
		{"pick-one", Answer{}, false},
		{"pick-many", Answer{Choices: []int{1, 0}}, true},
		{"pick-many", Answer{Choices: []int{0}}, false},
		{"pick-many", Answer{Choices: []int{0, 1, 2}}, false},
		{"yes-no", Answer{Bool: &yes}, true},
		{"yes-no", Answer{Bool: &no}, false},
		{"yes-no", Answer{}, false},
		{"code", Answer{Text: "  not   MODIFIED "}, true},
		{"code", Answer{Text: "304 not modified"}, true}, // by the pattern
		{"code", Answer{Text: "3040"}, false},
		{"code", Answer{Text: ""}, false},
		{"rtt", Answer{Text: "1.5"}, true},
		{"rtt", Answer{Text: "1.6 rtt"}, true}, // within 10%
		{"rtt", Answer{Text: "1.7"}, false},
		{"rtt", Answer{Text: "fast"}, false},
		{"steps", Answer{Order: []int{0, 1, 2, 3}}, true},
		{"steps", Answer{Order: []int{1, 0, 2, 3}}, false},
		{"steps", Answer{Order: []int{0, 1, 2}}, false},
	}
	for _, c := range cases {
		got := Grade(qs[c.q], c.a)
		if got.Correct != c.want {
			t.Errorf("%s %+v: correct=%v, want %v", c.q, c.a, got.Correct, c.want)
		}
		if got.Expected == "" {
			t.Errorf("%s: no expected answer to show", c.q)
		}
	}
}

func TestParseAnswerPlain(t *testing.T) {
	qs := fixtureQuestions(t)
	cases := []struct {
		q, line string
		ok      bool
		correct bool
	}{
		{"pick-one", "1", true, true},
		{"pick-one", "1,2", false, false},
		{"pick-one", "9", false, false},
		{"pick-many", "2, 1", true, true},
		{"pick-many", "1 2", true, true},
		{"yes-no", "t", true, true},
		{"yes-no", "maybe", false, false},
		{"code", "304", true, true},
		{"rtt", "1.5 RTT", true, true},
		{"rtt", "one", false, false},
		{"steps", "1 2 3 4", true, true},
		{"steps", "1 1 2 3", false, false},
		{"steps", "1 2", false, false},
	}
	for _, c := range cases {
		a, err := ParseAnswer(qs[c.q], c.line, nil)
		if (err == nil) != c.ok {
			t.Errorf("%s %q: err=%v, want ok=%v", c.q, c.line, err, c.ok)
			continue
		}
		if err == nil && Grade(qs[c.q], a).Correct != c.correct {
			t.Errorf("%s %q: graded %v", c.q, c.line, !c.correct)
		}
	}
	// Order answers are item numbers as shown: shown order 2,1,3,4 and the
	// learner types "2 1 3 4" -> the right order.
	a, err := ParseAnswer(qs["steps"], "2 1 3 4", []int{1, 0, 2, 3})
	if err != nil || !Grade(qs["steps"], a).Correct {
		t.Errorf("order as shown: %v %+v", err, a)
	}
	// Encoded answers round-trip.
	b, err := DecodeAnswer(a.Encode())
	if err != nil || !Grade(qs["steps"], b).Correct {
		t.Errorf("round trip: %v %+v", err, b)
	}
}
