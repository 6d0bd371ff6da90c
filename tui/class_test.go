package tui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/progress"
)

// fakeClass is a room whose snapshot the test sets, and which tells its
// subscribers when the test says the class changed.
type fakeClass struct {
	mu     sync.Mutex
	snap   ClassSnapshot
	subs   []chan struct{}
	closed chan struct{} // closed when a subscription ends
}

func (c *fakeClass) Snapshot(context.Context) (ClassSnapshot, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.snap, nil
}

func (c *fakeClass) Subscribe(ctx context.Context) <-chan struct{} {
	ch := make(chan struct{}, 1)
	c.mu.Lock()
	c.subs = append(c.subs, ch)
	c.mu.Unlock()
	context.AfterFunc(ctx, func() { close(ch); close(c.closed) })
	return ch
}

func (c *fakeClass) set(s ClassSnapshot) {
	c.mu.Lock()
	c.snap = s
	subs := c.subs
	c.mu.Unlock()
	for _, ch := range subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// The instructor's class view lists who is online first, where each
// learner is and how far, their last answer and the flags; it follows the
// class when it changes, and closes its subscription with the screen. A
// learner's name cannot reach the terminal raw.
func TestClassView(t *testing.T) {
	now := time.Now()
	class := &fakeClass{closed: make(chan struct{}), snap: ClassSnapshot{At: now, Learners: []ClassLearner{
		{Name: "zoe", Online: true, Lesson: "every-type", Done: 1, Started: 2, LastAnswer: now.Add(-2 * time.Minute), LastRight: true, LabTasks: 3},
		{Name: "amir", Online: false},
		{Name: "eve\x1b]0;pwned\a", Online: true, Lesson: "another"},
	}, Flags: []progress.Flag{{User: "zoe", LessonID: "every-type", QuestionID: "q1", Comment: "two answers fit", At: now}}}}
	first := class.snap
	for _, size := range [][2]int{{100, 30}, {40, 20}} {
		class.snap = first
		m := fakeModel(t, testLearner(t, testStore(t), "ines"), Options{Class: class})
		m = run(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		m = run(t, m, press("i"))
		if _, ok := m.(Model).top().(classScreen); !ok {
			t.Fatalf("i: top %T, want the class view", m.(Model).top())
		}
		v := view(m)
		zoe, eve, amir := strings.Index(v, "zoe"), strings.Index(v, "eve"), strings.Index(v, "amir")
		if zoe < 0 || eve < 0 || amir < 0 || amir < zoe || amir < eve {
			t.Fatalf("at %v the online learners do not come first:\n%s", size, v)
		}
		if strings.Contains(v, "\x1b]0;") || strings.Contains(v, "\a") {
			t.Fatalf("a learner's name reached the terminal raw: %q", v)
		}
		for _, line := range strings.Split(v, "\n") {
			if w := ansi.StringWidth(line); w > size[0] {
				t.Fatalf("at %v a line is %d wide: %q", size, w, line)
			}
		}
		joined := strings.Join(strings.Fields(v), " ")
		for _, want := range []string{"3 learners, 2 online", "Every question type", "1/2", "✓ 2 min ago", "Flagged questions (1)", "two answers fit", "follows the class as answers arrive."} {
			if !strings.Contains(joined, want) {
				t.Fatalf("at %v the class view lacks %q:\n%s", size, want, v)
			}
		}
		if size[0] < 100 {
			continue
		}
		// An answer arrives: the view follows. (The wait for the change
		// that the screen started is run by the harness on a goroutine it
		// gave up on; the change message is what that wait brings.)
		changes := m.(Model).top().(classScreen).changes
		next := class.snap
		next.Learners = append([]ClassLearner(nil), next.Learners...)
		next.Learners[1] = ClassLearner{Name: "amir", Online: true, Lesson: "another", Done: 2, LastAnswer: time.Now(), LastRight: false}
		class.set(next)
		m = run(t, m, classChangedMsg{changes})
		if v := view(m); !strings.Contains(v, "3 learners, 3 online") || !strings.Contains(v, "✗ just now") {
			t.Fatalf("the view did not follow the class:\n%s", v)
		}
		m = run(t, m, press("esc"))
		select {
		case <-class.closed:
		case <-time.After(5 * time.Second):
			t.Fatal("closing the class view did not end its subscription")
		}
		if _, ok := m.(Model).top().(mapScreen); !ok {
			t.Fatalf("esc: top %T", m.(Model).top())
		}
		class.closed = make(chan struct{})
	}
	// A learner who is not an instructor has no class view.
	m := fakeModel(t, testLearner(t, testStore(t), "tess"), Options{})
	m = run(t, m, press("i"))
	if _, ok := m.(Model).top().(classScreen); ok {
		t.Fatal("i opened the class view for a learner")
	}
}

// waitClass brings a change, and nothing once the subscription closed.
func TestWaitClass(t *testing.T) {
	ch := make(chan struct{}, 1)
	ch <- struct{}{}
	if msg, ok := waitClass(ch)().(classChangedMsg); !ok || msg.changes != ch {
		t.Fatalf("a change brought %#v", msg)
	}
	close(ch)
	if msg := waitClass(ch)(); msg != nil {
		t.Fatalf("a closed subscription brought %#v", msg)
	}
}
