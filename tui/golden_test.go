package tui

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"serverside/render"
)

// updating reports -update, the flag teatest's golden package already
// defines for this test binary.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// golden compares an ANSI-stripped view with testdata/<name>.golden.
func golden(t *testing.T, name, got string) {
	t.Helper()
	// Trailing spaces depend on padding details that don't matter to a reader.
	lines := strings.Split(got, "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	got = strings.Join(lines, "\n") + "\n"
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -run Golden -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from %s (rerun with -update if the change is intended)\n--- got\n%s--- want\n%s", name, path, got, want)
	}
}

func TestGoldenViews(t *testing.T) {
	sizes := []struct{ w, h int }{{40, 12}, {80, 24}, {120, 40}}
	for _, sz := range sizes {
		size := tea.WindowSizeMsg{Width: sz.w, Height: sz.h}
		suffix := "-" + itoa(sz.w) + "x" + itoa(sz.h)
		t.Run("map"+suffix, func(t *testing.T) {
			var m tea.Model = New(context.Background(), Options{StatusTTL: time.Millisecond, Course: StaticCourse(testCourse(t)), Progress: testLearner(t, testStore(t), "tess"), Profiles: testProfiles{store: testStore(t)}, Labs: LocalLabs, Theme: render.Dark})
			m = run(t, afterInit(t, m), size)
			golden(t, "map"+suffix, view(m))
		})
		t.Run("lesson"+suffix, func(t *testing.T) {
			var m tea.Model = New(context.Background(), Options{StatusTTL: time.Millisecond, Course: StaticCourse(testCourse(t)), Progress: testLearner(t, testStore(t), "tess"), Profiles: testProfiles{store: testStore(t)}, Labs: LocalLabs, Theme: render.Dark})
			m = run(t, m, size)
			m = run(t, m, press("enter"))
			golden(t, "lesson"+suffix, view(m))
		})
		t.Run("question"+suffix, func(t *testing.T) {
			var m tea.Model = New(context.Background(), Options{StatusTTL: time.Millisecond, Course: StaticCourse(testCourse(t)), Progress: testLearner(t, testStore(t), "tess"), Profiles: testProfiles{store: testStore(t)}, Labs: LocalLabs, Theme: render.Dark})
			m = run(t, m, size)
			m = run(t, m, openQuizMsg{lessonID: "every-type", from: 1})
			m = run(t, m, press("space"))
			golden(t, "question"+suffix, view(m))
		})
		t.Run("search"+suffix, func(t *testing.T) {
			var m tea.Model = New(context.Background(), Options{StatusTTL: time.Millisecond, Course: StaticCourse(testCourse(t)), Progress: testLearner(t, testStore(t), "tess"), Profiles: testProfiles{store: testStore(t)}, Labs: LocalLabs, Theme: render.Dark})
			m = run(t, m, size)
			m = run(t, m, press("enter"))
			for _, k := range []string{"/", "s", "e", "c", "o", "n", "d"} {
				m = run(t, m, press(k))
			}
			golden(t, "lesson-search"+suffix, view(m))
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
