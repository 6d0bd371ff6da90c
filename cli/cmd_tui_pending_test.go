package cli

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// A call made while the store is still opening waits for it and then
// reaches the learner's own rows; one made when the opening failed gets
// that failure; one whose context ends first gives up.
func TestPendingLearnerWaitsForTheStore(t *testing.T) {
	ctx := context.Background()
	g := &globals{dbPath: filepath.Join(t.TempDir(), "p.db")}
	o := openStoreBeside(ctx, g, "ada")
	l := o.learner()
	if l.Name() != "ada" {
		t.Fatalf("name %q before the store opened", l.Name())
	}
	if err := l.StartLesson(ctx, "http-basics"); err != nil {
		t.Fatal(err)
	}
	states, err := l.LessonStates(ctx)
	if err != nil || len(states) != 1 {
		t.Fatalf("states %v, %v", states, err)
	}
	s, err := o.result()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if st, _ := s.LessonStates(ctx, "ada"); len(st) != 1 {
		t.Fatalf("the start was not recorded for ada: %v", st)
	}

	bad := openStoreBeside(ctx, &globals{dbPath: t.TempDir()}, "ada") // a directory
	if _, err := bad.learner().LessonStates(ctx); err == nil {
		t.Fatal("a store that could not open gave states")
	}
	if _, err := bad.result(); err == nil {
		t.Fatal("no error from opening a directory")
	}

	never := &openingStore{name: "ada", ready: make(chan struct{})}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := never.learner().SaveScroll(short, "x", 3); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want the context's", err)
	}
}

// openStoreBeside starts opening the store for name, as the tutor does.
func openStoreBeside(ctx context.Context, g *globals, name string) *openingStore {
	o := newOpeningStore(name)
	go o.open(ctx, g)
	return o
}
