package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/progress"
)

// forecastDays is how far ahead the review forecast looks.
const forecastDays = 14

type statsKeys struct {
	Back, Help key.Binding
	Scroll     scrollKeys
}

func (k statsKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Scroll.Down, k.Scroll.Up, k.Back, k.Help}
}
func (k statsKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Scroll.Up, k.Scroll.Down, k.Scroll.PageUp, k.Scroll.PageDown}, {k.Back, k.Help, quitKey()}}
}

// statsScreen sums up the learner's progress.
type statsScreen struct {
	sh            *shared
	keys          statsKeys
	width, height int
	stats         *progress.Stats
	forecast      []int
	sc            scroller
}

type statsMsg struct {
	user     string
	stats    progress.Stats
	forecast []int
}

func newStatsScreen(sh *shared) statsScreen {
	return statsScreen{sh: sh, keys: statsKeys{Back: backKey(), Help: helpKey(), Scroll: newScrollKeys()}}
}

func (s statsScreen) init() tea.Cmd {
	store, sc, user, now := s.sh.progress, s.sh.store, s.sh.user, s.sh.now()
	return func() tea.Msg {
		ctx, cancel := sc.with()
		defer cancel()
		st, err := store.Stats(ctx, now)
		if err != nil {
			return errMsg{fmt.Errorf("reading stats: %w", err)}
		}
		fc, err := store.Forecast(ctx, now, forecastDays)
		if err != nil {
			return errMsg{fmt.Errorf("reading the review forecast: %w", err)}
		}
		return statsMsg{user: user, stats: st, forecast: fc}
	}
}

func (s statsScreen) Title() string           { return "Stats" }
func (s statsScreen) Keys() helpKeyMap        { return s.keys }
func (s statsScreen) SetSize(w, h int) screen { s.width, s.height = w, h; return s }
func (s statsScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case statsMsg:
		if msg.user == s.sh.user {
			s.stats, s.forecast = &msg.stats, msg.forecast
		}
	case tea.KeyPressMsg:
		if key.Matches(msg, s.keys.Back) {
			return s, s.sh.ask(backMsg{})
		}
		s.sc, _ = s.sc.update(msg, s.keys.Scroll, lineCount(s.content()), s.viewHeight())
	case tea.MouseWheelMsg:
		s.sc, _ = s.sc.update(msg, s.keys.Scroll, lineCount(s.content()), s.viewHeight())
	}
	return s, nil
}

func (s statsScreen) viewHeight() int { return max(1, s.height-2) }

func (s statsScreen) View() string {
	if s.stats == nil {
		return "\n  " + s.sh.styles.Subtle.Render("Reading your progress…")
	}
	return lipgloss.NewStyle().Padding(1, 2).Render(s.sc.window(s.sh.styles, s.content(), s.viewHeight()))
}

// content is the whole stats page, before the window cuts it.
func (s statsScreen) content() string {
	st := s.sh.styles
	if s.stats == nil {
		return ""
	}
	w := max(30, min(s.width-4, maxTextWidth))
	x := s.stats
	var b strings.Builder
	b.WriteString(st.Title.Render("Progress of "+s.sh.user) + "\n\n")
	acc := "–"
	if x.Attempts > 0 {
		acc = fmt.Sprintf("%.0f%%", x.Accuracy()*100)
	}
	streak := fmt.Sprintf("%d day", x.StreakDays)
	if x.StreakDays != 1 {
		streak += "s"
	}
	if x.StreakDays > 0 && !x.PracticedToday {
		streak += " (answer one today to keep it)"
	}
	facts := [][2]string{
		{"Questions answered", fmt.Sprintf("%d (%d answers)", x.Questions, x.Attempts)},
		{"Accuracy", acc},
		{"Day streak", streak},
		{"Time reading", (time.Duration(x.Seconds) * time.Second).Round(time.Minute).String()},
		{"Reviews due today", fmt.Sprint(x.DueNow)},
	}
	for _, f := range facts {
		b.WriteString(st.Subtle.Render(fmt.Sprintf("%-20s", f[0])) + " " + st.Lesson.Render(f[1]) + "\n")
	}
	b.WriteString("\n" + st.Module.Render("Modules") + "\n")
	nameW := min(28, w/3)
	barW := max(8, min(30, w-nameW-14))
	for _, m := range s.sh.course.Modules {
		done := 0
		for _, l := range m.Lessons {
			if s.sh.states[l.ID].Status == progress.Done {
				done++
			}
		}
		name := ansi.Truncate(m.Title, nameW, "…")
		b.WriteString(fmt.Sprintf("%-*s ", nameW, name) + st.bar(done, len(m.Lessons), barW) + st.Subtle.Render(fmt.Sprintf(" %d/%d", done, len(m.Lessons))) + "\n")
	}
	// Three columns a day, and room for the peak's label.
	days := s.forecast[:min(len(s.forecast), (w-4)/3)]
	b.WriteString("\n" + st.Module.Render(fmt.Sprintf("Reviews due, next %d days", len(days))) + "\n")
	b.WriteString(forecastChart(st, days, 4, w))
	return b.String()
}

// forecastChart draws due counts per day as vertical bars, height rows
// tall, with day labels under them.
func forecastChart(st Styles, days []int, height, width int) string {
	peak := 0
	for _, d := range days {
		peak = max(peak, d)
	}
	var b strings.Builder
	for row := height; row >= 1; row-- {
		for _, d := range days {
			cell := "   "
			if peak > 0 && d*height >= row*peak && d > 0 {
				cell = st.BarFull.Render("██") + " "
			} else if row == 1 && d > 0 {
				cell = st.BarFull.Render("▁▁") + " "
			}
			b.WriteString(cell)
		}
		if row == height {
			b.WriteString(st.Subtle.Render(fmt.Sprintf(" %d", peak)))
		}
		b.WriteString("\n")
	}
	for i, d := range days {
		_ = d
		label := fmt.Sprintf("%-3d", i)
		if i == 0 {
			label = "T  "
		}
		b.WriteString(st.Subtle.Render(label))
	}
	b.WriteString("\n")
	for _, d := range days {
		b.WriteString(st.Subtle.Render(fmt.Sprintf("%-3s", shortCount(d))))
	}
	b.WriteString("\n" + wrapIndent(st.Subtle.Render("T is today; numbers under the bars are the questions due that day."), width, ""))
	return b.String()
}

func shortCount(n int) string {
	if n >= 100 {
		return "99+"
	}
	return fmt.Sprint(n)
}

func (s statsScreen) Typing() bool { return false } // no text field
func (s statsScreen) onQuit() tea.Cmd { return nil } // nothing to save or close
func (s statsScreen) refresh() tea.Cmd { return nil } // nothing depends on the theme beyond View
func (s statsScreen) Position() string { return "" } // no position to show
