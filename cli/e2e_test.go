package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"serverside/lessons"
	"serverside/progress/postgres/pgtest"
)

// The end-to-end test runs the real binary in a detached tmux session,
// types at it and reads the screen back with capture-pane. It needs tmux;
// without it, or with -short, it is skipped.

const (
	e2eWidth, e2eHeight = 100, 30
	// e2eWait is how long one step may take to show on screen. It is
	// generous because a loaded CI machine with -race is slow; a step that
	// works shows up in milliseconds.
	e2eWait = 45 * time.Second
)

func TestEndToEndInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped with -short")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: the end-to-end test drives the real binary in tmux (apt-get install tmux, or brew install tmux)")
	}
	course, probs := lessons.Default()
	for _, p := range probs {
		if p.Severity == lessons.Error {
			t.Fatalf("built-in course: %v", p)
		}
	}
	all := course.Lessons()
	if len(all) == 0 || len(all[0].Questions) == 0 {
		t.Fatal("the end-to-end test needs the built-in course's first lesson to have a question")
	}
	first := all[0]

	dir := t.TempDir()
	bin := buildBinary(t, dir)
	args := []string{bin, "--db", filepath.Join(dir, "progress.db"), "--user", "e2e", "--theme", "dark"}
	tm := startTmux(t, dir, args)

	// The map lists the first lesson, not started.
	screen := tm.waitFor("the course map with the first lesson", func(s string) bool {
		return strings.Contains(mapRow(s, first.Title), "○")
	})
	if !strings.Contains(mapRow(screen, first.Title), "▸") {
		t.Errorf("the cursor is not on the first lesson:\n%s", screen)
	}

	// enter opens it; the status line names it and shows the position
	// once the render is on screen.
	tm.send("Enter")
	tm.waitFor("the first lesson, rendered", func(s string) bool {
		st := statusLine(s)
		return strings.Contains(st, first.Title) && percentRe.MatchString(st) && !strings.Contains(s, "Rendering")
	})
	tm.logPeakRSS("after opening " + first.ID)

	// j scrolls one line: the body moves up by one.
	before := bodyLines(tm.capture())
	tm.send("j")
	tm.waitFor("j to scroll one line", func(s string) bool {
		after := bodyLines(s)
		return len(after) == len(before) && equalLines(after[:len(after)-1], before[1:])
	})

	// space pages down: the position grows and the old bottom line moves up
	// to the top.
	pct := percent(statusLine(tm.capture()))
	tm.send("Space")
	if _, ok := tm.poll(func(s string) bool { return percent(statusLine(s)) > pct }); !ok {
		t.Errorf("space did not page down (the footer offers pgdn/space), position still %d%%:\n%s", pct, tm.capture())
		tm.send("f") // page down by its other key, so the rest can run
		tm.waitFor("f to page down", func(s string) bool { return percent(statusLine(s)) > pct })
	}

	// Back to the top; enter answers the first question in view.
	tm.send("g")
	tm.waitFor("g to go to the top", func(s string) bool { return percent(statusLine(s)) == 0 })
	tm.send("Enter")
	q := first.Questions[0]
	tm.waitFor("the quiz at question 1", func(s string) bool {
		return strings.Contains(s, fmt.Sprintf("Question 1 of %d", len(first.Questions))) &&
			strings.Contains(statusLine(s), "quiz")
	})
	want := answerQuestion(t, tm, q)
	tm.send("Enter")
	screen = tm.waitFor("the feedback on the answer", func(s string) bool {
		return strings.Contains(s, "✓ Right.") || strings.Contains(s, "✗ Not quite.")
	})
	if want != "" && !strings.Contains(screen, want) {
		t.Errorf("the right answer got other feedback than %q:\n%s", want, screen)
	}
	if words := firstWords(q.Explain, 4); !strings.Contains(strings.Join(strings.Fields(screen), " "), words) {
		t.Errorf("the feedback does not show the explanation (%q…):\n%s", words, screen)
	}
	tm.logPeakRSS("after answering a question")

	// ctrl+c quits cleanly.
	tm.send("C-c")
	tm.waitExit()

	// Started again, the map shows the lesson in progress and offers to
	// continue it; c opens the same lesson.
	tm.respawn(args)
	tm.waitFor("the map with the first lesson in progress", func(s string) bool {
		return strings.Contains(mapRow(s, first.Title), "◐") && strings.Contains(s, "continue "+first.Title)
	})
	tm.send("c")
	screen = tm.waitFor("c to continue the first lesson", func(s string) bool {
		st := statusLine(s)
		return strings.Contains(st, first.Title) && percentRe.MatchString(st) && !strings.Contains(st, "quiz")
	})

	// / searches the lesson; the status line counts the matches and n
	// moves to the next.
	word := searchWord(first)
	tm.send("/")
	tm.waitFor("the search field", func(s string) bool { return hasLinePrefix(s, " /") })
	tm.sendText(word)
	tm.waitFor("the search typed", func(s string) bool { return hasLinePrefix(s, " /"+word) })
	tm.send("Enter")
	screen = tm.waitFor("the search's matches", func(s string) bool { return matchRe.MatchString(statusLine(s)) })
	m := matchRe.FindStringSubmatch(statusLine(screen))
	if m[1] != "1" {
		t.Errorf("the search starts at match %s, want 1: %q", m[1], statusLine(screen))
	}
	if total, _ := strconv.Atoi(m[2]); total > 1 {
		tm.send("n")
		tm.waitFor("n to go to the second match", func(s string) bool {
			m := matchRe.FindStringSubmatch(statusLine(s))
			return m != nil && m[1] == "2"
		})
	}
	tm.send("Escape") // clears the search
	tm.waitFor("esc to clear the search", func(s string) bool { return !matchRe.MatchString(statusLine(s)) })

	tm.send("C-c")
	tm.waitExit()
}

// The learner's loop: a lesson answered card by card in the text, each
// card left with esc after its feedback, is done: ● on the map and "done"
// in `list --json`.
func TestEndToEndLessonDoneCardByCard(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped with -short")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: the end-to-end test drives the real binary in tmux (apt-get install tmux, or brew install tmux)")
	}
	course, _ := lessons.Default()
	l := course.Lesson("life-of-a-request")
	if l == nil || len(l.Questions) == 0 {
		t.Fatal("the built-in course has no lesson life-of-a-request with questions")
	}
	dir := t.TempDir()
	lessonDoneCardByCard(t, dir, l, filepath.Join(dir, "progress.db"))
}

// The same learner's loop with the progress on a PostgreSQL server: the
// tutor and `list` behave exactly as with a file.
func TestEndToEndOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped with -short")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: the end-to-end test drives the real binary in tmux (apt-get install tmux, or brew install tmux)")
	}
	base := os.Getenv("SERVERSIDE_TEST_POSTGRES")
	if base == "" {
		t.Skip("PostgreSQL end-to-end test skipped: set SERVERSIDE_TEST_POSTGRES to run it")
	}
	course, _ := lessons.Default()
	l := course.Lesson("life-of-a-request")
	lessonDoneCardByCard(t, t.TempDir(), l, pgtest.FreshSchema(t, base))
}

// lessonDoneCardByCard answers every card of l in the tutor in tmux,
// leaving each with esc, and checks the lesson is done on the map and in
// `list --json`, with progress in db (a file or a URL).
func lessonDoneCardByCard(t *testing.T, dir string, l *lessons.Lesson, db string) {
	bin := buildBinary(t, dir)
	args := []string{bin, "--db", db, "--user", "e2e", "--theme", "dark"}
	tm := startTmux(t, dir, args)

	tm.waitFor("the course map", func(s string) bool { return strings.Contains(mapRow(s, l.Title), "○") })
	// Exactly as many j as the lesson is down the map, each waited for on
	// the row it selects: a slow screen (-race, a busy machine, a server)
	// must not make the test press past the lesson.
	course, _ := lessons.Default()
	order := course.Lessons()
	tm.waitFor("the first lesson selected", func(s string) bool { return strings.Contains(mapRow(s, order[0].Title), "▸") })
	for k := 1; k < len(order) && order[k-1].ID != l.ID; k++ {
		tm.send("j")
		title := order[k].Title
		tm.waitFor("the selection on "+title, func(s string) bool { return strings.Contains(mapRow(s, title), "▸") })
	}
	tm.send("Enter")
	tm.waitFor("the lesson, rendered", func(s string) bool {
		st := statusLine(s)
		return strings.Contains(st, l.Title) && percentRe.MatchString(st)
	})
	n := len(l.Questions)
	for i, q := range l.Questions {
		tm.send("Enter") // the next question not yet answered right
		tm.waitFor(fmt.Sprintf("question %d on its card", i+1), func(s string) bool {
			return strings.Contains(s, fmt.Sprintf("Question %d of %d", i+1, n)) && strings.Contains(statusLine(s), "quiz")
		})
		if q.Type == lessons.Order {
			for _, k := range orderKeys(q, l.ID) {
				tm.send(k)
			}
		} else {
			answerQuestion(t, tm, q)
		}
		tm.send("Enter")
		tm.waitFor(fmt.Sprintf("the feedback on question %d", i+1), func(s string) bool {
			return strings.Contains(s, "✓ Right.") || strings.Contains(s, "✗ Not quite.")
		})
		if s := tm.capture(); !strings.Contains(s, "✓ Right.") {
			t.Fatalf("question %d (%s) was answered wrong:\n%s", i+1, q.ID, s)
		}
		tm.send("Escape") // back to the text, not enter
		tm.waitFor("the text again", func(s string) bool {
			st := statusLine(s)
			return strings.Contains(st, l.Title) && !strings.Contains(st, "quiz")
		})
	}
	tm.send("Escape")
	screen := tm.waitFor("the map with the lesson done", func(s string) bool {
		return strings.Contains(mapRow(s, l.Title), "●")
	})
	t.Logf("the map after the lesson:\n%s", screen)
	tm.send("q")
	tm.waitExit()

	out, err := exec.Command(bin, "--db", db, "--user", "e2e", "list", "--json").Output()
	if err != nil {
		t.Fatalf("list --json: %v", err)
	}
	var listing struct {
		Modules []struct {
			Lessons []struct{ ID, Status string }
		}
	}
	if err := json.Unmarshal(out, &listing); err != nil {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	found := false
	for _, m := range listing.Modules {
		for _, ls := range m.Lessons {
			if ls.ID == l.ID {
				found = true
				if ls.Status != "done" {
					t.Errorf("list --json says %s is %q, want done", l.ID, ls.Status)
				}
			}
		}
	}
	if !found {
		t.Errorf("list --json does not list %s:\n%s", l.ID, out)
	}
}

// orderKeys are the keys that put an order question's items, shown in
// the app's shuffle, in the right order: the cursor walks with j and k and
// K moves the item under it up.
func orderKeys(q *lessons.Question, lessonID string) []string {
	order := lessons.ShuffledOrder(len(q.Items), q.ID+lessonID)
	var keys []string
	cur := 0
	for target := range order {
		i := slices.Index(order, target)
		for ; cur < i; cur++ {
			keys = append(keys, "j")
		}
		for ; cur > i; cur-- {
			keys = append(keys, "k")
		}
		for ; cur > target; cur-- {
			order[cur], order[cur-1] = order[cur-1], order[cur]
			keys = append(keys, "K")
		}
	}
	return keys
}

var (
	percentRe = regexp.MustCompile(`(\d+)%\s*$`)
	matchRe   = regexp.MustCompile(`(\d+)/(\d+) ·`)
	statusRe  = regexp.MustCompile(`serverside\s+e2e`)
)

// buildBinary builds serverside into dir, with -race when this test was
// built with it, so the build reuses what `go test` just compiled.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the end-to-end test builds the binary with the go command, which is not on PATH: %v", err)
	}
	bin := filepath.Join(dir, "serverside")
	args := []string{"build", "-o", bin}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "-race" && s.Value == "true" {
				// The race detector multiplies memory: the peak RSS
				// logged below is then not the release figure.
				t.Log("building serverside with -race, like this test")
				args = append(args, "-race")
			}
		}
	}
	cmd := exec.Command(goBin, append(args, "..")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return bin
}

// tmuxSession is one detached tmux session on a server of its own (its own
// socket), so the test never touches the user's tmux.
type tmuxSession struct {
	t      *testing.T
	socket string
	env    []string
	// statusFile receives the program's exit status from the shell that
	// runs it. tmux's own #{pane_dead_status} is not reliable: tmux 3.3
	// sometimes leaves the exited program a zombie it never reaps.
	statusFile string
	// raceLog is where a -race build writes a race report (GORACE
	// log_path), so a failure shows all of it, not the screen's last rows.
	raceLog string
}

func startTmux(t *testing.T, dir string, args []string) *tmuxSession {
	t.Helper()
	conf := filepath.Join(dir, "tmux.conf")
	// No status bar: the program gets the whole 100x30. A pane whose
	// program exits stays, so its exit status and last screen can be read.
	if err := os.WriteFile(conf, []byte("set -g status off\nset -g remain-on-exit on\nset -g history-limit 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		// Outside tmux's view of the user's own session, and in colour.
		if k, _, _ := strings.Cut(kv, "="); k == "TMUX" || k == "TMUX_PANE" || k == "NO_COLOR" || k == "TERM" {
			continue
		}
		env = append(env, kv)
	}
	statusFile := filepath.Join(dir, "exit-status")
	raceLog := filepath.Join(dir, "race")
	env = append(env, "TERM=xterm-256color", "SERVERSIDE_E2E_STATUS="+statusFile, "GORACE=log_path="+raceLog)
	tm := &tmuxSession{t: t, socket: fmt.Sprintf("serverside-e2e-%d-%d", os.Getpid(), time.Now().UnixNano()), env: env, statusFile: statusFile, raceLog: raceLog}
	var socketPath string
	t.Cleanup(func() {
		// The server is this test's alone: ending it ends the session.
		// tmux leaves its socket file behind.
		_, _ = tm.tmux("kill-server")
		if filepath.Base(socketPath) == tm.socket {
			_ = os.Remove(socketPath)
		}
	})
	if out, err := tm.tmux(append([]string{"-f", conf, "new-session", "-d", "-s", "e2e",
		"-x", strconv.Itoa(e2eWidth), "-y", strconv.Itoa(e2eHeight), "--"}, withStatus(args)...)...); err != nil {
		t.Fatalf("starting tmux: %v\n%s", err, out)
	}
	socketPath = strings.TrimSpace(tm.must("display-message", "-p", "#{socket_path}"))
	return tm
}

// withStatus runs args under a shell that writes their exit status to
// $SERVERSIDE_E2E_STATUS when they end.
func withStatus(args []string) []string {
	return append([]string{"sh", "-c", `"$0" "$@"; echo $? >"$SERVERSIDE_E2E_STATUS"`}, args...)
}

func (tm *tmuxSession) tmux(args ...string) (string, error) {
	cmd := exec.Command("tmux", append([]string{"-L", tm.socket}, args...)...)
	cmd.Env = tm.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func (tm *tmuxSession) must(args ...string) string {
	tm.t.Helper()
	out, err := tm.tmux(args...)
	if err != nil {
		tm.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// send presses keys, in tmux's names (Enter, Space, C-c, j).
func (tm *tmuxSession) send(keys ...string) {
	tm.t.Helper()
	tm.must(append([]string{"send-keys", "-t", "e2e"}, keys...)...)
}

// sendText types text literally.
func (tm *tmuxSession) sendText(text string) {
	tm.t.Helper()
	tm.must("send-keys", "-t", "e2e", "-l", text)
}

func (tm *tmuxSession) capture() string {
	tm.t.Helper()
	return tm.must("capture-pane", "-p", "-t", "e2e")
}

// exited reports whether the program has ended, and its exit status.
func (tm *tmuxSession) exited() (bool, string) {
	b, err := os.ReadFile(tm.statusFile)
	if err != nil || !strings.HasSuffix(string(b), "\n") {
		return false, ""
	}
	return true, strings.TrimSpace(string(b))
}

// poll captures the screen until ok says yes or e2eWait passes. It stops
// early, failing the test, if the program exits.
func (tm *tmuxSession) poll(ok func(screen string) bool) (string, bool) {
	tm.t.Helper()
	deadline := time.Now().Add(e2eWait)
	for {
		s := tm.capture()
		if ok(s) {
			return s, true
		}
		if done, status := tm.exited(); done {
			tm.t.Fatalf("serverside exited (status %s) unexpectedly; its last screen:\n%s", status, s)
		}
		if time.Now().After(deadline) {
			return s, false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (tm *tmuxSession) waitFor(what string, ok func(screen string) bool) string {
	tm.t.Helper()
	s, found := tm.poll(ok)
	if !found {
		tm.t.Fatalf("waiting for %s: not on screen after %s; the screen:\n%s", what, e2eWait, s)
	}
	return s
}

// waitExit waits for the program to end and checks it ended well.
func (tm *tmuxSession) waitExit() {
	tm.t.Helper()
	deadline := time.Now().Add(e2eWait)
	for {
		if done, status := tm.exited(); done {
			if status == raceExit && tm.onlyUpstreamRace() {
				tm.t.Logf("the -race build reported Bubble Tea's own teardown race (see onlyUpstreamRace):%s", tm.races())
				return
			}
			if status != "0" {
				tm.t.Fatalf("serverside exited with status %s; its last screen:\n%s%s", status, tm.capture(), tm.races())
			}
			return
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("serverside did not exit within %s of ctrl+c; the screen:\n%s", e2eWait, tm.capture())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// raceExit is the status a -race build exits with when it found a race.
const raceExit = "66"

// onlyUpstreamRace reports whether every race the build reported is the
// one inside Bubble Tea v2.1.1's shutdown: Program.shutdown closes the
// terminal's cancelreader (cancelreader_linux.go:118) while ultraviolet's
// StreamEvents goroutine, which bubbletea's readLoopDone does not wait
// for, may still call File.Fd on it (cancelreader_linux.go:149). It is in
// neither program's code and harmless at exit (the fd is being closed
// anyway); on a busy machine it shows in about one run in three of the
// signal test. Any other race still fails the test.
func (tm *tmuxSession) onlyUpstreamRace() bool {
	files, _ := filepath.Glob(tm.raceLog + ".*")
	if len(files) == 0 {
		return false
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return false
		}
		for _, report := range strings.Split(string(data), "WARNING: DATA RACE")[1:] {
			if !strings.Contains(report, "cancelreader.(*epollCancelReader).Close") ||
				!strings.Contains(report, "charm.land/bubbletea/v2.(*Program)") || !strings.Contains(report, ".(*Program).shutdown") ||
				!strings.Contains(report, "ultraviolet.(*TerminalReader).StreamEvents") {
				return false
			}
		}
	}
	return true
}

// races is the race reports a -race build wrote, if any.
func (tm *tmuxSession) races() string {
	files, _ := filepath.Glob(tm.raceLog + ".*")
	var b strings.Builder
	for _, f := range files {
		if data, err := os.ReadFile(f); err == nil {
			b.WriteString("\nrace report " + filepath.Base(f) + ":\n" + string(data))
		}
	}
	return b.String()
}

// respawn starts the program again in the same pane, once it has ended.
func (tm *tmuxSession) respawn(args []string) {
	tm.t.Helper()
	if err := os.Remove(tm.statusFile); err != nil {
		tm.t.Fatal(err)
	}
	// -k: the shell that ran the last one may not have been reaped yet.
	tm.must(append([]string{"respawn-pane", "-k", "-t", "e2e", "--"}, withStatus(args)...)...)
}

// logPeakRSS logs the program's peak resident memory (VmHWM), on Linux.
func (tm *tmuxSession) logPeakRSS(when string) {
	tm.t.Helper()
	// The pane runs a shell; serverside is its child.
	shell := strings.TrimSpace(tm.must("display-message", "-p", "-t", "e2e", "#{pane_pid}"))
	children, err := os.ReadFile(filepath.Join("/proc", shell, "task", shell, "children"))
	pid, _, _ := strings.Cut(strings.TrimSpace(string(children)), " ")
	if err != nil || pid == "" {
		return // not Linux
	}
	status, err := os.ReadFile(filepath.Join("/proc", pid, "status"))
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			tm.t.Logf("peak RSS %s: %s", when, strings.Join(strings.Fields(strings.TrimPrefix(line, "VmHWM:")), " "))
		}
	}
}

// answerQuestion gives the right answer to q where the keys allow it and
// returns the feedback that should follow ("" when any will do).
func answerQuestion(t *testing.T, tm *tmuxSession, q *lessons.Question) string {
	t.Helper()
	switch q.Type {
	case lessons.TrueFalse:
		if q.Bool {
			tm.send("t")
		} else {
			tm.send("f")
		}
	case lessons.Single:
		tm.send(strconv.Itoa(q.Correct[0] + 1))
	case lessons.Multi:
		for _, c := range q.Correct {
			tm.send(strconv.Itoa(c + 1))
		}
	case lessons.Short:
		tm.sendText(q.Accepted[0])
	case lessons.Numeric:
		tm.sendText(strconv.FormatFloat(q.Number, 'f', -1, 64))
	default:
		// An order question starts shuffled: submit it as it stands.
		return ""
	}
	return "✓ Right."
}

// statusLine is the line that names the user: serverside's status bar.
func statusLine(screen string) string {
	for _, l := range strings.Split(screen, "\n") {
		if statusRe.MatchString(l) {
			return l
		}
	}
	return ""
}

func percent(status string) int {
	m := percentRe.FindStringSubmatch(status)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// mapRow is the course map's row for a lesson: the line with its title and
// a status mark (○ not started, ◐ in progress, ● done).
func mapRow(screen, title string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, title) && strings.ContainsAny(l, "○◐●") {
			return l
		}
	}
	return ""
}

// bodyLines is the screen above the status bar.
func bodyLines(screen string) []string {
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	for i, l := range lines {
		if statusRe.MatchString(l) {
			return lines[:i]
		}
	}
	return lines
}

func hasLinePrefix(screen, prefix string) bool {
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

func equalLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func firstWords(s string, n int) string {
	w := strings.Fields(s)
	return strings.Join(w[:min(n, len(w))], " ")
}

// searchWord is a word from the lesson's title that its body uses more
// than once, to search for.
func searchWord(l *lessons.Lesson) string {
	body := strings.ToLower(l.Body)
	best := "the"
	for _, w := range strings.Fields(strings.ToLower(l.Title)) {
		w = strings.Trim(w, ".,:;!?()\"'")
		if len(w) > len(best) && strings.Count(body, w) > 1 {
			best = w
		}
	}
	return best
}
