package watch

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// Two readers of one course (two classroom sessions) each see every change:
// neither takes the other's update.
func TestHubEverySubscriberGetsTheUpdate(t *testing.T) {
	dir := newCourse(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hub, err := Start(ctx, dir, Options{Debounce: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	a, b := hub.Subscribe(ctx), hub.Subscribe(ctx)
	write(t, dir, "01-intro/01-first.md", lesson("first", "First, edited."))
	edited := func(u Update) bool {
		return u.Err == nil && strings.Contains(u.Course.Lesson("first").Body, "edited")
	}
	ua := until(t, a, "reader a", edited)
	ub := until(t, b, "reader b", edited)
	for _, u := range []Update{ua, ub} {
		if !slices.Contains(u.Changed, "01-intro/01-first.md") {
			t.Errorf("changed: %v", u.Changed)
		}
	}
	if cur := hub.Current(); !edited(cur) {
		t.Errorf("Current is not the newest course: %q", cur.Course.Lesson("first").Body)
	}
	// A reader that joins now starts from Current, not from the first load.
	late := hub.Subscribe(ctx)
	noMore(t, late, "a late subscriber")
}

// A subscription ends with its own context; the others go on.
func TestHubSubscriptionEndsWithItsContext(t *testing.T) {
	dir := newCourse(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hub, err := Start(ctx, dir, Options{Debounce: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	sessionCtx, endSession := context.WithCancel(ctx)
	gone := hub.Subscribe(sessionCtx)
	stays := hub.Subscribe(ctx)
	endSession()
	select {
	case _, open := <-gone:
		if open {
			t.Fatal("an update arrived instead of the close")
		}
	case <-time.After(waitFor):
		t.Fatal("the ended session's channel was not closed")
	}
	write(t, dir, "01-intro/02-second.md", lesson("second", "Second, edited."))
	until(t, stays, "the remaining reader", func(u Update) bool {
		return u.Err == nil && strings.Contains(u.Course.Lesson("second").Body, "edited")
	})
}

// When the watch stops every channel closes, and a reader arriving later
// gets a closed channel rather than one that never says anything.
func TestHubStopClosesEverything(t *testing.T) {
	dir := newCourse(t)
	ctx, cancel := context.WithCancel(context.Background())
	hub, err := Start(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sub := hub.Subscribe(context.Background())
	cancel()
	select {
	case _, open := <-sub:
		if open {
			t.Fatal("unexpected update")
		}
	case <-time.After(waitFor):
		t.Fatal("channel not closed when the watch stopped")
	}
	deadline := time.Now().Add(waitFor)
	for {
		ch := hub.Subscribe(context.Background())
		select {
		case _, open := <-ch:
			if !open {
				return
			}
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("subscribing after the stop gave an open channel")
		}
	}
}
