package tui

import (
	"context"
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/render"
)

// setStatus stands for a status message in a test's steps.
type setStatus string

// drawnAfresh is the frame m shows with nothing reused from earlier frames.
func drawnAfresh(m Model) string {
	kept := m.sh.frame
	m.sh.frame = frameCache{}
	out := m.View().Content
	m.sh.frame = kept
	return out
}

// The parts a frame reuses are, escape for escape, what drawing them again
// gives: through map moves, a lesson's scrolling, help, a status message,
// resizes and a change of background.
func TestReusedFramePartsAreWhatDrawingGives(t *testing.T) {
	for _, theme := range []render.Theme{"", render.Dark, render.Light, render.Plain} {
		t.Run(string(theme)+"theme", func(t *testing.T) {
			var tm tea.Model = New(context.Background(), Options{StatusTTL: time.Hour, Course: StaticCourse(testCourse(t)),
				Progress: testLearner(t, testStore(t), "tess"), Profiles: testProfiles{store: testStore(t)}, Labs: LocalLabs, Theme: theme})
			steps := []tea.Msg{
				tea.WindowSizeMsg{Width: 80, Height: 24}, press("j"), press("j"), press("k"), press("?"), press("j"), press("?"),
				tea.WindowSizeMsg{Width: 40, Height: 12}, press("j"), press("k"),
				tea.WindowSizeMsg{Width: 120, Height: 40}, press("j"),
				tea.BackgroundColorMsg{Color: color.White}, press("k"),
				setStatus("a status message that fits"), press("j"),
				setStatus(strings.Repeat("a status message far too long for the status line ", 3)), press("k"),
				press("enter"), press("j"), press("j"), press("k"), press("?"), press("?"),
				tea.WindowSizeMsg{Width: 60, Height: 20}, press("j"), press("G"), press("g"),
				tea.BackgroundColorMsg{Color: color.Black}, press("j"), press("esc"), press("j"),
			}
			for i, msg := range steps {
				if set, ok := msg.(setStatus); ok {
					// As statusMsg sets it, without the hour's wait for
					// its clearing tick.
					m := tm.(Model)
					m.status = string(set)
					tm = m
				} else {
					tm = run(t, tm, msg)
				}
				m := tm.(Model)
				if got, want := m.View().Content, drawnAfresh(m); got != want {
					t.Fatalf("step %d (%T %v): the reused frame differs from one drawn afresh\n got: %q\nwant: %q", i, msg, msg, got, want)
				}
			}
		})
	}
}

// oldStatusLine is the status line as it was drawn before its parts were
// reused and its bar drawn without Width when the line is the width.
func oldStatusLine(m Model, top screen) string {
	st := m.sh.styles
	left := st.StatusKey.Render(" serverside ") + st.Status.Render(" "+m.sh.user+" ")
	if t := top.Title(); t != "" {
		left += st.Status.Render("· " + t + " ")
	}
	right := ""
	if m.sh.due > 0 {
		right = st.Status.Render(fmt.Sprintf("%d due ", m.sh.due))
	}
	if p := top.Position(); p != "" {
		right += st.Status.Render(p)
	}
	if m.status != "" && m.statusFits(top) {
		s := st.Status
		if m.statusErr {
			s = st.StatusErr
		}
		right = s.Render(m.status) + "  " + right
	}
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		left = ansi.Truncate(left, max(0, m.width-lipgloss.Width(right)-1), "…")
		gap = max(1, m.width-lipgloss.Width(left)-lipgloss.Width(right))
	}
	return st.StatusBar.Width(m.width).Render(left + strings.Repeat(" ", gap) + right)
}

// The status line is byte for byte what lipgloss's Width gave, at every
// width, in every theme, with and without a status message or reviews due.
func TestStatusLineAsWidthDrewIt(t *testing.T) {
	for _, theme := range []render.Theme{"", render.Dark, render.Light, render.Plain} {
		m := New(context.Background(), Options{Course: StaticCourse(testCourse(t)), Progress: testLearner(t, testStore(t), "tess with a long name"), Theme: theme})
		for _, status := range []string{"", "saved", "a status message of some length, for the narrow screens"} {
			for _, due := range []int{0, 3} {
				for w := 1; w <= 200; w++ {
					m.width, m.height, m.status, m.sh.due = w, 24, status, due
					top := m.top()
					if got, want := m.statusLine(top), oldStatusLine(m, top); got != want {
						t.Fatalf("theme %q, width %d, status %q, due %d:\n got: %q\nwant: %q", theme, w, status, due, got, want)
					}
				}
			}
		}
	}
}

// A key that moves in a lesson or on the map starts nothing: no store
// call, no render, no command at all, in a classroom of many sessions
// as on one terminal. The place is saved when the learner leaves.
func TestMovingStartsNothing(t *testing.T) {
	var tm tea.Model = New(context.Background(), Options{StatusTTL: time.Millisecond, Course: StaticCourse(testCourse(t)),
		Progress: testLearner(t, testStore(t), "tess"), Labs: LocalLabs, Theme: render.Dark})
	tm = run(t, tm, tea.WindowSizeMsg{Width: 80, Height: 24})
	for _, screen := range []string{"map", "lesson"} {
		if screen == "lesson" {
			tm = run(t, tm, press("enter"))
			if _, ok := tm.(Model).top().(lessonScreen); !ok {
				t.Fatalf("enter on the map opened %T", tm.(Model).top())
			}
		}
		for i := range 20 {
			k := []string{"j", "k"}[i%2]
			before := view(tm)
			var cmd tea.Cmd
			tm, cmd = tm.Update(press(k))
			if cmd != nil {
				t.Fatalf("%s: %s (key %d) started a command: %v", screen, k, i, collect(cmd))
			}
			if view(tm) == before {
				t.Fatalf("%s: %s (key %d) did not move:\n%s", screen, k, i, before)
			}
		}
	}
}
