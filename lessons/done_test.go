package lessons

import "testing"

func TestDone(t *testing.T) {
	two := &Lesson{Questions: []*Question{{ID: "a"}, {ID: "b"}}}
	none := &Lesson{}
	cases := []struct {
		name string
		l    *Lesson
		s    Standing
		want bool
	}{
		{"nothing answered", two, Standing{}, false},
		{"one of two right", two, Standing{LatestRight: map[string]bool{"a": true}}, false},
		{"latest answer wrong", two, Standing{LatestRight: map[string]bool{"a": true, "b": false}}, false},
		{"every latest answer right, not read to the end", two, Standing{LatestRight: map[string]bool{"a": true, "b": true}}, true},
		{"answers to removed questions don't count", two, Standing{LatestRight: map[string]bool{"a": true, "gone": true}}, false},
		{"no questions, opened only", none, Standing{}, false},
		{"no questions, read to the end", none, Standing{ReadToEnd: true}, true},
		{"no lesson", nil, Standing{ReadToEnd: true}, false},
	}
	for _, c := range cases {
		if got := Done(c.l, c.s); got != c.want {
			t.Errorf("%s: Done = %v, want %v", c.name, got, c.want)
		}
	}
	if r, n := RightOf(two, map[string]bool{"b": true, "gone": true}); r != 1 || n != 2 {
		t.Errorf("RightOf = %d of %d, want 1 of 2", r, n)
	}
}
