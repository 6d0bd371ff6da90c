package sqlite

import (
	"context"
	"path/filepath"
	"serverside/progress"
	"strings"
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

func TestLabBuildKeepsTheLastCheck(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.LabBuild(ctx, "ada", "rest", "build"); ok || err != nil {
		t.Fatalf("before any check: %v %v", ok, err)
	}
	first := progress.LabBuild{Addr: "127.0.0.1:8080", Stages: []progress.LabStage{{ID: "health", Ran: true, Passed: true}, {ID: "create", Ran: true, Passed: false}, {ID: "list", Ran: false, Passed: false}},
		Failure: "While creating a book:\n…"}
	if err := s.SaveLabBuild(ctx, "ada", "rest", "build", first); err != nil {
		t.Fatal(err)
	}
	second := progress.LabBuild{Addr: "127.0.0.1:9000", Passed: true, Stages: []progress.LabStage{{ID: "health", Ran: true, Passed: true}}, Failure: strings.Repeat("x", 20<<10)}
	if err := s.SaveLabBuild(ctx, "ada", "rest", "build", second); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveLabBuild(ctx, "ada", "", "build", second); err == nil {
		t.Error("a check without a lesson is refused")
	}
	s.Close()

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, ok, err := s.LabBuild(ctx, "ada", "rest", "build")
	if err != nil || !ok || got.Addr != "127.0.0.1:9000" || !got.Passed || len(got.Stages) != 1 || got.CheckedAt.IsZero() {
		t.Fatalf("after reopening: %+v %v %v", got, ok, err)
	}
	if len(got.Failure) > 17<<10 || !strings.Contains(got.Failure, "cut") {
		t.Errorf("a long report is kept whole (%d bytes)", len(got.Failure))
	}
	if _, ok, _ := s.LabBuild(ctx, "bob", "rest", "build"); ok {
		t.Error("another user sees ada's check")
	}
}
