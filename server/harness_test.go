package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"serverside/lessons"
	"serverside/progress"
	"serverside/progress/sqlite"
	"serverside/tui"
)

// wait bounds every wait for the screen: generous, because the machine
// running the tests may be busy; a pass never waits that long.
const wait = 60 * time.Second

// testClass is a server on a loopback port, stopped when the test ends.
type testClass struct {
	t       testing.TB
	srv     *Server
	addr    string
	backend progress.Backend
	course  *lessons.Course
	cancel  context.CancelFunc
	done    chan error
	stopped bool
}

func newSigner(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sqliteBackend(t testing.TB) progress.Backend {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "progress.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

var builtin = sync.OnceValue(func() *lessons.Course {
	c, _ := lessons.Default()
	return c
})

// startClass serves cfg (a SQLite store, the built-in course and a fresh
// host key unless set) on 127.0.0.1:0.
func startClass(t testing.TB, cfg Config) *testClass {
	t.Helper()
	if cfg.Backend == nil {
		cfg.Backend = sqliteBackend(t)
	}
	if cfg.Course == nil {
		cfg.Course = tui.StaticCourse(builtin())
	}
	if cfg.HostKey == nil {
		cfg.HostKey = newSigner(t)
	}
	if cfg.StoreTimeout == 0 {
		// Fifty learners writing to one SQLite file under -race on a busy
		// machine can queue longer than the 10s a classroom allows; the
		// tests are about where answers go, not how fast.
		cfg.StoreTimeout = time.Minute
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &testClass{t: t, srv: srv, addr: ln.Addr().String(), backend: cfg.Backend, course: cfg.Course.Current().Course,
		cancel: cancel, done: make(chan error, 1)}
	go func() { c.done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() { c.stop() })
	return c
}

// stop shuts the server down and says how long that took.
func (c *testClass) stop() time.Duration {
	if c.stopped {
		return 0
	}
	c.stopped = true
	start := time.Now()
	c.cancel()
	select {
	case err := <-c.done:
		if err != nil {
			c.t.Errorf("Serve: %v", err)
		}
	case <-time.After(wait):
		c.t.Errorf("the server did not stop within %v", wait)
	}
	return time.Since(start)
}

// terminal is one learner's ssh session with a pty, as a person's
// terminal would open it.
type terminal struct {
	t      testing.TB
	name   string
	client *gossh.Client
	sess   *gossh.Session
	in     io.WriteCloser
	out    *screenLog
	mark   int // expect searches the output after this point
}

type screenLog struct {
	mu     sync.Mutex
	raw    bytes.Buffer
	done   chan struct{}
	arrive chan struct{} // a value when bytes arrived since it was last taken
}

func (s *screenLog) Write(p []byte) (int, error) {
	s.mu.Lock()
	n, err := s.raw.Write(p)
	s.mu.Unlock()
	select {
	case s.arrive <- struct{}{}:
	default:
	}
	return n, err
}

// text is everything written so far, without escape sequences and
// without whitespace: the renderer moves the cursor over unchanged cells
// and repeats spaces, so only the printed letters are reliably in order.
func (s *screenLog) text() string {
	s.mu.Lock()
	raw := s.raw.String()
	s.mu.Unlock()
	return squeeze(ansi.Strip(raw))
}

// containsSqueezed says whether the squeezed output holds text.
func containsSqueezed(out, text string) bool { return strings.Contains(out, squeeze(text)) }

func squeeze(s string) string {
	return strings.Join(strings.Fields(s), "")
}

type dialOpts struct {
	user          string
	width, height int
	env           map[string]string
	noPty         bool
}

func dial(t testing.TB, addr string, key gossh.Signer, user string) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            user,
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         wait,
	})
}

// open connects with key and starts a shell on a pty of the given size.
func open(t testing.TB, addr string, key gossh.Signer, o dialOpts) (*terminal, error) {
	if o.width == 0 {
		o.width, o.height = 80, 24
	}
	client, err := dial(t, addr, key, o.user)
	if err != nil {
		return nil, err
	}
	sess, err := client.NewSession()
	if err != nil {
		_ = client.Close()
		return nil, err
	}
	for k, v := range o.env {
		if err := sess.Setenv(k, v); err != nil {
			_ = client.Close()
			return nil, fmt.Errorf("setenv %s: %w", k, err)
		}
	}
	if !o.noPty {
		if err := sess.RequestPty("xterm-256color", o.height, o.width, gossh.TerminalModes{}); err != nil {
			_ = client.Close()
			return nil, err
		}
	}
	in, err := sess.StdinPipe()
	if err != nil {
		_ = client.Close()
		return nil, err
	}
	out := &screenLog{done: make(chan struct{}), arrive: make(chan struct{}, 1)}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		_ = client.Close()
		return nil, err
	}
	sess.Stderr = out
	go func() {
		defer close(out.done)
		_, _ = io.Copy(out, stdout)
	}()
	if err := sess.Shell(); err != nil {
		_ = client.Close()
		return nil, err
	}
	tm := &terminal{t: t, name: o.user, client: client, sess: sess, in: in, out: out}
	t.Cleanup(func() { _ = client.Close() })
	return tm, nil
}

// expect waits for text (whitespace ignored) in the output after the
// last thing expected, and moves past it.
func (tm *terminal) expect(text string) error {
	want := squeeze(text)
	deadline := time.Now().Add(wait)
	for {
		got := tm.out.text()
		if tm.mark <= len(got) {
			if i := strings.Index(got[tm.mark:], want); i >= 0 {
				tm.mark += i + len(want)
				return nil
			}
		}
		if time.Now().After(deadline) {
			tail := got[max(0, len(got)-600):]
			return fmt.Errorf("%s: %q not on screen after %v; the end of the output: %q", tm.name, text, wait, tail)
		}
		select {
		case <-tm.out.done:
			if i := strings.Index(tm.out.text()[min(tm.mark, len(tm.out.text())):], want); i >= 0 {
				continue
			}
			return fmt.Errorf("%s: the session ended before %q showed; the end of the output: %q", tm.name, text, got[max(0, len(got)-600):])
		case <-time.After(15 * time.Millisecond):
		}
	}
}

// expectRe waits for a match of re in the output after the mark.
func (tm *terminal) expectRe(re *regexp.Regexp) error {
	deadline := time.Now().Add(wait)
	for {
		got := tm.out.text()
		if loc := re.FindStringIndex(got[min(tm.mark, len(got)):]); loc != nil {
			tm.mark += loc[1]
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: nothing matching %v after %v; the end of the output: %q", tm.name, re, wait, got[max(0, len(got)-600):])
		}
		time.Sleep(15 * time.Millisecond)
	}
}

func (tm *terminal) send(keys string) error {
	_, err := io.WriteString(tm.in, keys)
	return err
}

// ended waits for the server to close the session.
func (tm *terminal) ended() error {
	select {
	case <-tm.out.done:
		return nil
	case <-time.After(wait):
		return fmt.Errorf("%s: the session is still open after %v", tm.name, wait)
	}
}

// percentRe is a lesson's reading position in its status line ("0%").
// The map's progress line ends in a percentage too ("done · 0%"), and it
// is drawn again when the learner's progress arrives, which may be after
// the keys that opened the lesson were sent: that one, after "·", is not
// the lesson's.
var percentRe = regexp.MustCompile(`[^·\d]\d+%`)

// learn is a learner's first visit: enrol under the SSH user name, open
// the first lesson, answer its first question right, quit.
func (tm *terminal) learn(course *lessons.Course) error {
	first := course.Lessons()[0]
	q := first.Questions[0]
	steps := []func() error{
		func() error { return tm.expect("Welcome to the classroom") },
		func() error { return tm.send("\r") },
		func() error { return tm.expect(first.Title) },
		func() error { return tm.send("\r") },
		func() error { return tm.expectRe(percentRe) },
		func() error { return tm.send("\r") },
		func() error { return tm.expect(fmt.Sprintf("Question 1 of %d", len(first.Questions))) },
		func() error { return tm.send(answerKeys(q)) },
		func() error { return tm.send("\r") },
		func() error { return tm.expect("Right.") },
		func() error { return tm.send("\x03") },
		func() error { return tm.expect("Your progress is saved") },
		tm.ended,
	}
	for i, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("step %d: %w", i+1, err)
		}
	}
	return nil
}

// answerKeys are the keys that answer q right.
func answerKeys(q *lessons.Question) string {
	switch q.Type {
	case lessons.TrueFalse:
		if q.Bool {
			return "t"
		}
		return "f"
	case lessons.Single:
		return strconv.Itoa(q.Correct[0] + 1)
	case lessons.Multi:
		var b strings.Builder
		for _, c := range q.Correct {
			b.WriteString(strconv.Itoa(c + 1))
		}
		return b.String()
	case lessons.Short:
		return q.Accepted[0]
	case lessons.Numeric:
		return strconv.FormatFloat(q.Number, 'f', -1, 64)
	}
	return ""
}
