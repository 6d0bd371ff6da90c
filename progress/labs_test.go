package progress

import (
	"context"
	"path/filepath"
	"testing"
)

func TestLabTasksAreKeptOncePerUser(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CompleteLabTask(ctx, "ada", "http-caching", "caching-lab", "get-304"); err != nil {
		t.Fatal(err)
	}
	first, _ := s.LabTasks(ctx, "ada", "http-caching", "caching-lab")
	if err := s.CompleteLabTask(ctx, "ada", "http-caching", "caching-lab", "get-304"); err != nil {
		t.Fatal("doing a task twice is not an error:", err)
	}
	if err := s.CompleteLabTask(ctx, "ada", "http-caching", "caching-lab", ""); err == nil {
		t.Error("an empty task id is refused")
	}
	s.Close()

	// It survives reopening, keeps the first time, and is per user.
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.LabTasks(ctx, "ada", "http-caching", "caching-lab")
	if err != nil || len(got) != 1 || !got["get-304"].Equal(first["get-304"]) {
		t.Fatalf("after reopening: %v %v (first %v)", got, err, first)
	}
	if other, _ := s.LabTasks(ctx, "bob", "http-caching", "caching-lab"); len(other) != 0 {
		t.Errorf("another user sees ada's tasks: %v", other)
	}
}
