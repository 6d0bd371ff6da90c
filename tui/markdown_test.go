package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"serverside/lessons"
	"serverside/render"
)

// A question's prompt, choices, hints and explanation are markdown, as
// AUTHORING.md says: the card and the quiz show them rendered, never the
// backticks and asterisks.
func TestQuestionMarkdownIsRendered(t *testing.T) {
	dir := t.TempDir()
	lesson := "---\nid: md\ntitle: Markdown in questions\n---\n\n# Markdown in questions\n\nText.\n\n" +
		"```quiz\nid: q\ntype: single\nprompt: \"Which verb does `curl -I` send, the *new* **request**?\"\n" +
		"choices: [\"`HEAD`\", \"**GET**\"]\nanswer: \"`HEAD`\"\nhints: [\"Think of `-I` as *info*.\"]\n" +
		"explain: \"`-I` sends **HEAD**: headers only.\"\n```\n"
	if err := os.WriteFile(filepath.Join(dir, "01-md.md"), []byte(lesson), 0o644); err != nil {
		t.Fatal(err)
	}
	c, probs, err := lessons.LoadDir(dir)
	if err != nil || len(probs) > 0 {
		t.Fatalf("course: %v %v", err, probs)
	}
	clean := func(what, v string) {
		t.Helper()
		for _, bad := range []string{"`", "**", "*new*", "*info*"} {
			if strings.Contains(v, bad) {
				t.Errorf("%s shows %q:\n%s", what, bad, v)
			}
		}
	}
	for _, theme := range []render.Theme{render.Dark, render.Plain} {
		var m tea.Model = New(context.Background(), Options{StatusTTL: time.Millisecond, Course: StaticCourse(c), Progress: testLearner(t, testStore(t), "tess"), Profiles: testProfiles{store: testStore(t)}, Labs: LocalLabs, Theme: theme})
		m = run(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
		m = run(t, m, openLessonMsg{id: "md", scroll: -1})
		v := view(m)
		if !strings.Contains(v, "Which verb does curl -I send, the new request?") {
			t.Fatalf("%s: card prompt not rendered:\n%s", theme, v)
		}
		clean(string(theme)+" card", v)
		m = run(t, m, press("enter"))
		m = run(t, m, tea.KeyPressMsg{Code: 't', Mod: tea.ModCtrl}) // the hint key
		v = view(m)
		if !strings.Contains(v, "1. HEAD") || !strings.Contains(v, "2. GET") || !strings.Contains(v, "Hint 1: Think of -I as info.") {
			t.Fatalf("%s: choices or hint not rendered:\n%s", theme, v)
		}
		clean(string(theme)+" question", v)
		m = run(t, m, press("enter"))
		v = view(m)
		if !strings.Contains(v, "-I sends HEAD: headers only.") {
			t.Fatalf("%s: explanation not rendered:\n%s", theme, v)
		}
		clean(string(theme)+" feedback", v)
	}
}
