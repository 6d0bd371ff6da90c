package tui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/lessons"
)

// composedHas reports whether the lesson's composed content has text.
func composedHas(m tea.Model, text string) bool {
	ls, ok := m.(Model).top().(lessonScreen)
	return ok && strings.Contains(ansi.Strip(strings.Join(ls.lines, "\n")), text)
}

// A lab's card in its lesson says how many of its tasks are done, from
// the store when the lesson opens and at once when a task is done.
func TestLabCardShowsTasksDone(t *testing.T) {
	course, _ := lessons.Default()
	var lesson *lessons.Lesson
	for _, l := range course.Lessons() {
		for _, lab := range l.Labs {
			if lab.ID == "shop-queries" {
				lesson = l
			}
		}
	}
	store := testStore(t)
	for _, task := range []string{"lisbon", "orders-per-status", "no-longer-in-the-lab"} {
		if err := store.CompleteLabTask(t.Context(), "tess", lesson.ID, "shop-queries", task); err != nil {
			t.Fatal(err)
		}
	}
	m := tea.Model(New(context.Background(), Options{Course: StaticCourse(course), Progress: testLearner(t, store, "tess"), Profiles: testProfiles{store: store}, Labs: LocalLabs, Theme: "dark"}))
	m = run(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	m = run(t, m, openLessonMsg{id: lesson.ID, scroll: -1})
	if !composedHas(m, "2/5 tasks · press enter") {
		t.Fatal("the lab card does not say 2/5 tasks")
	}
	// A task done in the lab counts on the card when the learner is back.
	m = run(t, m, openLabMsg{lessonID: lesson.ID, labID: "shop-queries"})
	sh := m.(Model).sh
	collect(saveLabTasks(sh, labKey{lesson.ID, "shop-queries"}, "big-spenders"))
	collect(m.(Model).top().(sqlLabScreen).onQuit())
	m = run(t, m, backMsg{})
	if !composedHas(m, "3/5 tasks") {
		t.Fatal("the card did not count the task just done")
	}
	// Another learner has done none.
	if got := labCardProgress(&shared{user: "other", labs: sh.labs}, lesson.ID, lesson.Labs[0]); got != "0/5 tasks" {
		t.Fatalf("other learner: %q", got)
	}
	build := &lessons.Lab{ID: "b", Kind: "build", Raw: "id: b\nkind: build\nlab: kv-ttl\n"}
	if got := labCardProgress(sh, "x", build); got != "not passed yet" {
		t.Fatalf("build card: %q", got)
	}
	sh.labs.markDone("tess", labKey{"x", "b"}, buildPassedTask)
	if got := labCardProgress(sh, "x", build); got != "every stage passes" {
		t.Fatalf("build card: %q", got)
	}
}
