package progresstest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"serverside/progress"
)

const (
	keyAda   = "SHA256:adaAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	keyGrace = "SHA256:graceAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	keyAlan  = "SHA256:alanAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
)

// A key enrols once as a learner with a name nobody has, and is that
// learner from then on; nothing lets a key become another learner.
func testKeys(t *testing.T, open Open) {
	ctx := context.Background()
	b := open(t)
	if _, ok, err := b.KeyLearner(ctx, keyAda); err != nil || ok {
		t.Fatalf("KeyLearner of a new key: ok=%v err=%v, want not found", ok, err)
	}
	u, err := b.EnrolKey(ctx, keyAda, "ada")
	if err != nil || u.Name != "ada" || u.ID == 0 || u.CreatedAt.IsZero() {
		t.Fatalf("EnrolKey: %+v %v", u, err)
	}
	if name, ok, err := b.KeyLearner(ctx, keyAda); err != nil || !ok || name != "ada" {
		t.Errorf("KeyLearner after enrolling: %q ok=%v err=%v, want ada", name, ok, err)
	}

	// The name is taken, by a key or by a learner without one.
	if _, err := b.EnrolKey(ctx, keyGrace, "ada"); !errors.Is(err, progress.ErrNameTaken) {
		t.Errorf("a second key enrolling as ada: %v, want ErrNameTaken", err)
	}
	answer(t, learner(t, b, "alan"), "l", "q", true, 0, day0)
	if _, err := b.EnrolKey(ctx, keyAlan, "alan"); !errors.Is(err, progress.ErrNameTaken) {
		t.Errorf("a key enrolling as an existing learner without a key: %v, want ErrNameTaken", err)
	}
	if _, ok, _ := b.KeyLearner(ctx, keyAlan); ok {
		t.Error("a refused enrolment bound the key")
	}

	// A key enrols once: it cannot become a second learner.
	if _, err := b.EnrolKey(ctx, keyAda, "ada2"); !errors.Is(err, progress.ErrKeyEnrolled) {
		t.Errorf("ada's key enrolling again: %v, want ErrKeyEnrolled", err)
	}
	users, err := b.Users(ctx)
	must(t, err)
	var names []string
	for _, u := range users {
		names = append(names, u.Name)
	}
	if strings.Join(names, ",") != "ada,alan" {
		t.Errorf("learners after refused enrolments: %v, want ada, alan", names)
	}

	for _, bad := range []struct{ fp, name string }{
		{"", "grace"}, {"SHA256:has space", "grace"}, {"SHA256:\x1b[2J", "grace"},
		{strings.Repeat("x", 200), "grace"}, {keyGrace, ""}, {keyGrace, " grace"}, {keyGrace, "gr\x1bace"},
	} {
		if _, err := b.EnrolKey(ctx, bad.fp, bad.name); err == nil {
			t.Errorf("EnrolKey(%q, %q) accepted", bad.fp, bad.name)
		}
	}
	if _, _, err := b.KeyLearner(ctx, ""); err == nil {
		t.Error("KeyLearner accepted an empty fingerprint")
	}

	// The enrolled learner is an ordinary learner: their answers are theirs.
	ada := learner(t, b, "ada")
	answer(t, ada, "l", "q", false, 0, day0)
	latest, err := ada.Latest(ctx, "l")
	must(t, err)
	if len(latest) != 1 {
		t.Errorf("ada's answers: %+v", latest)
	}
}

// Many keys racing for one name: exactly one wins and the others leave no
// learner behind; one key racing under many names enrols once.
func testKeysConcurrent(t *testing.T, open Open) {
	ctx := context.Background()
	b := open(t)
	const n = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, taken := 0, 0
	for i := range n {
		wg.Go(func() {
			_, err := b.EnrolKey(ctx, fmt.Sprintf("SHA256:race%02d", i), "same")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case errors.Is(err, progress.ErrNameTaken):
				taken++
			default:
				t.Errorf("enrol %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if won != 1 || taken != n-1 {
		t.Errorf("%d keys racing for one name: %d enrolled, %d refused; want 1 and %d", n, won, taken, n-1)
	}
	won, enrolled := 0, 0
	for i := range n {
		wg.Go(func() {
			_, err := b.EnrolKey(ctx, "SHA256:onekey", fmt.Sprintf("name-%d", i))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case errors.Is(err, progress.ErrKeyEnrolled):
				enrolled++
			default:
				t.Errorf("enrol as name-%d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if won != 1 || enrolled != n-1 {
		t.Errorf("one key racing under %d names: %d enrolled, %d refused; want 1 and %d", n, won, enrolled, n-1)
	}
	users, err := b.Users(ctx)
	must(t, err)
	if len(users) != 2 {
		t.Errorf("learners after the races: %+v, want one per race", users)
	}
}
