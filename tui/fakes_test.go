package tui

import (
	"context"
	"testing"

	"serverside/progress"
)

// testLearner binds store to the learner called name, created as the
// tutor's caller creates them before it starts.
func testLearner(t testing.TB, store progress.Backend, name string) Progress {
	t.Helper()
	if _, err := store.EnsureUser(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	l, err := store.Learner(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// testProfiles switches between the profiles of one store, as the local
// tutor does.
type testProfiles struct {
	store    progress.Backend
	switched func(name string) // told of each switch, when set
}

func (p testProfiles) Users(ctx context.Context) ([]progress.User, error) { return p.store.Users(ctx) }

func (p testProfiles) Switch(ctx context.Context, name string) (Progress, error) {
	if _, err := p.store.EnsureUser(ctx, name); err != nil {
		return nil, err
	}
	if p.switched != nil {
		p.switched(name)
	}
	return p.store.Learner(name)
}
