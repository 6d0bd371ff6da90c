package tui

import (
	"context"
	"image/color"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"serverside/lessons"
	"serverside/render"
)

// labOfKind finds a lab of kind in the built-in course.
func labOfKind(t *testing.T, c *lessons.Course, kind string) (*lessons.Lesson, *lessons.Lab) {
	t.Helper()
	for _, l := range c.Lessons() {
		for _, lab := range l.Labs {
			if lab.Kind == kind {
				return l, lab
			}
		}
	}
	t.Fatalf("no %s lab in the built-in course", kind)
	return nil, nil
}

func sameColor(a, b color.Color) bool {
	if a == nil || b == nil {
		return a == b
	}
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}

// The lab editors start with the dark default, as the terminal has not
// answered yet; when it says its background is light, every lab's text
// field takes the light styles: no black cursor line under dark text.
func TestLabInputsFollowTheBackgroundAnswer(t *testing.T) {
	course, _ := lessons.Default()
	light := textAreaStyles(render.Light)
	if sameColor(light.Focused.CursorLine.GetBackground(), textAreaStyles(render.Dark).Focused.CursorLine.GetBackground()) {
		t.Fatal("light and dark cursor lines are the same")
	}
	for _, kind := range []string{"sql", "http", "build"} {
		t.Run(kind, func(t *testing.T) {
			l, lab := labOfKind(t, course, kind)
			m := tea.Model(New(context.Background(), Options{Course: StaticCourse(course), Progress: testLearner(t, testStore(t), "tess"), Profiles: testProfiles{store: testStore(t)}, Labs: LocalLabs}))
			m = run(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
			m = run(t, m, openLabMsg{lessonID: l.ID, labID: lab.ID})
			t.Cleanup(func() {
				if q, ok := m.(Model).top().(interface{ onQuit() tea.Cmd }); ok {
					collect(q.onQuit())
				}
			})
			m = run(t, m, tea.BackgroundColorMsg{Color: color.White})
			switch s := m.(Model).top().(type) {
			case sqlLabScreen:
				if got := s.editor.Styles().Focused.CursorLine.GetBackground(); !sameColor(got, light.Focused.CursorLine.GetBackground()) {
					t.Fatalf("cursor line background %v after a light answer", got)
				}
			case httpLabScreen:
				if got := s.editor.Styles().Focused.CursorLine.GetBackground(); !sameColor(got, light.Focused.CursorLine.GetBackground()) {
					t.Fatalf("cursor line background %v after a light answer", got)
				}
			case buildLabScreen:
				want := textInputStyles(render.Light).Focused.Text.GetForeground()
				if got := s.addr.Styles().Focused.Text.GetForeground(); !sameColor(got, want) {
					t.Fatalf("address text %v after a light answer, want %v", got, want)
				}
			default:
				t.Fatalf("top screen is %T", s)
			}
			if v := m.(Model).View().Content; strings.Contains(v, "\x1b[40m") {
				t.Fatal("a black background is drawn on a light terminal")
			}
		})
	}
}

// Plain has no colour in its text fields either, and no field blinks.
func TestPlainInputsHaveNoColour(t *testing.T) {
	ta, ti := textAreaStyles(render.Plain), textInputStyles(render.Plain)
	for i, c := range []color.Color{ta.Focused.CursorLine.GetBackground(), ta.Focused.Text.GetForeground(), ta.Blurred.Text.GetForeground(),
		ti.Focused.Text.GetForeground(), ti.Focused.Prompt.GetForeground(), ti.Blurred.Placeholder.GetForeground()} {
		if _, none := c.(lipgloss.NoColor); !none {
			t.Errorf("plain style %d has colour %v", i, c)
		}
	}
	if ta.Cursor.Blink || ti.Cursor.Blink || textAreaStyles(render.Dark).Cursor.Blink || textInputStyles(render.Light).Cursor.Blink {
		t.Fatal("a text field blinks")
	}
}

// Outside the labs too: the answer field of a question, the lesson search
// and a new profile's name are drawn in the theme the root holds now,
// after the terminal said its background is light.
func TestFieldsOutsideLabsFollowTheTheme(t *testing.T) {
	c := testCourse(t)
	m := tea.Model(New(context.Background(), Options{StatusTTL: 1, Course: StaticCourse(c), Progress: testLearner(t, testStore(t), "tess"), Profiles: testProfiles{store: testStore(t)}, Labs: LocalLabs}))
	m = run(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	m = run(t, m, tea.BackgroundColorMsg{Color: color.White})
	if th := m.(Model).sh.theme; th != render.Light {
		t.Fatalf("theme after a light answer: %v", th)
	}
	// A short-answer question: its field as the light theme draws it.
	m = run(t, m, openQuizMsg{lessonID: "every-type", from: 0})
	q := m.(Model).top().(quizScreen)
	for i := 0; i < 10 && q.current().Type != lessons.Short; i++ {
		q.pos++
		q.prepare()
	}
	if q.current().Type != lessons.Short {
		t.Skip("the test course has no short question")
	}
	in := q.input
	light := themedInput(in, render.Light)
	dark := in.View()
	if light == dark {
		t.Fatal("light and dark fields look the same: the test proves nothing")
	}
	if v := q.View(); !strings.Contains(v, light) || strings.Contains(v, dark) {
		t.Errorf("the answer field is not drawn in the light theme:\n%q", v)
	}
}
