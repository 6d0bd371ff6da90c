package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"serverside/progress"
)

// waitUntil polls cond until it holds or the wait is over.
func waitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: still not so after %v", what, wait)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// checkOneAnswer asserts that name's only answer is the first question of
// the first lesson, right.
func checkOneAnswer(t testing.TB, c *testClass, name string) {
	t.Helper()
	first := c.course.Lessons()[0]
	l, err := c.backend.Learner(name)
	if err != nil {
		t.Fatal(err)
	}
	latest, err := l.Latest(context.Background(), first.ID)
	if err != nil {
		t.Fatal(err)
	}
	a, ok := latest[first.Questions[0].ID]
	if len(latest) != 1 || !ok || !a.Correct || a.User != name {
		t.Errorf("%s's answers in %s: %+v, want one right answer to %s", name, first.ID, latest, first.Questions[0].ID)
	}
	st, err := l.Stats(context.Background(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if st.Attempts != 1 {
		t.Errorf("%s has %d answers in all, want 1", name, st.Attempts)
	}
}

// Fifty learners at once, each with their own key: each enrols, opens the
// first lesson, answers a question and quits. Every answer is stored under
// the learner whose key gave it and no other, and the class view lists
// them all.
func TestFiftyLearners(t *testing.T) {
	c := startClass(t, Config{})
	const n = 50
	keys := make([]gossh.Signer, n)
	for i := range keys {
		keys[i] = newSigner(t)
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			tm, err := open(t, c.addr, keys[i], dialOpts{user: fmt.Sprintf("learner-%02d", i)})
			if err == nil {
				err = tm.learn(c.course)
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if t.Failed() {
		return
	}
	ctx := context.Background()
	for i, k := range keys {
		want := fmt.Sprintf("learner-%02d", i)
		name, ok, err := c.backend.KeyLearner(ctx, gossh.FingerprintSHA256(k.PublicKey()))
		if err != nil || !ok || name != want {
			t.Errorf("key %d is learner %q (ok=%v, %v), want %q", i, name, ok, err, want)
		}
		checkOneAnswer(t, c, want)
	}
	users, err := c.backend.Users(ctx)
	if err != nil || len(users) != n {
		t.Errorf("%d learners in the store (%v), want %d", len(users), err, n)
	}
	waitUntil(t, "every session closed", func() bool { return c.srv.Sessions() == 0 })
	snap, err := c.srv.Class().Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	first := c.course.Lessons()[0]
	if len(snap.Learners) != n {
		t.Fatalf("the class view lists %d learners, want %d", len(snap.Learners), n)
	}
	for _, l := range snap.Learners {
		if l.Online || l.Lesson != first.ID || l.Started != 1 || !l.LastRight ||
			l.LastQuestion != first.ID+"/"+first.Questions[0].ID || l.LastAnswer.IsZero() {
			t.Errorf("class view row %+v: want offline, in %s, one lesson started, last answer right to its first question", l, first.ID)
		}
	}
}

// A returning key goes straight to its own progress: no name asked, the
// map shows the lesson it was in, and a new answer adds to the old one.
func TestReturningLearner(t *testing.T) {
	c := startClass(t, Config{})
	key := newSigner(t)
	tm, err := open(t, c.addr, key, dialOpts{user: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	if err := tm.learn(c.course); err != nil {
		t.Fatal(err)
	}
	// The class view shows ada online while she is connected.
	again, err := open(t, c.addr, key, dialOpts{user: "someone-else"})
	if err != nil {
		t.Fatal(err)
	}
	first := c.course.Lessons()[0]
	if err := again.expect(first.Title); err != nil {
		t.Fatal(err)
	}
	if containsSqueezed(again.out.text(), "Welcome to the classroom") {
		t.Error("a returning key was asked for a name again")
	}
	snap, err := c.srv.Class().Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Learners) != 1 || snap.Learners[0].Name != "ada" || !snap.Learners[0].Online {
		t.Errorf("class view while ada is connected again: %+v", snap.Learners)
	}
	if err := again.send("\x03"); err != nil {
		t.Fatal(err)
	}
	if err := again.expect("See you next time, ada."); err != nil {
		t.Error(err)
	}
	if _, ok, _ := c.backend.KeyLearner(context.Background(), "someone-else"); ok {
		t.Error("the SSH user name became a learner")
	}
	checkOneAnswer(t, c, "ada")
}

// A new key asking for a name some learner has already is told so and
// picks another; the first learner's rows stay theirs.
func TestNameTaken(t *testing.T) {
	c := startClass(t, Config{})
	ada, err := open(t, c.addr, newSigner(t), dialOpts{user: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ada.learn(c.course); err != nil {
		t.Fatal(err)
	}
	intruder := newSigner(t)
	tm, err := open(t, c.addr, intruder, dialOpts{user: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []func() error{
		func() error { return tm.expect("Welcome to the classroom") },
		func() error { return tm.send("\r") },
		func() error { return tm.expect("That name is taken by another learner") },
		func() error { return tm.send("\x15grace\r") }, // ctrl+u clears the field
		func() error { return tm.expect(c.course.Lessons()[0].Title) },
		func() error { return tm.send("\x03") },
		func() error { return tm.expect("See you next time, grace.") },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	name, ok, err := c.backend.KeyLearner(context.Background(), gossh.FingerprintSHA256(intruder.PublicKey()))
	if err != nil || !ok || name != "grace" {
		t.Errorf("the second key is %q (ok=%v, %v), want grace", name, ok, err)
	}
	checkOneAnswer(t, c, "ada")
}

// Without a pty there is no tutor: one line saying so, and the session
// closes with a failing status.
func TestNoPty(t *testing.T) {
	c := startClass(t, Config{})
	client, err := dial(t, c.addr, newSigner(t), "ada")
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var out, stderr bytes.Buffer
	sess.Stdout, sess.Stderr = &out, &stderr
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	err = sess.Wait()
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Errorf("a session without a pty ended with %v, want exit status 1", err)
	}
	if got := out.String(); !strings.Contains(got, "connect with a terminal") || strings.Count(got, "\n") != 1 {
		t.Errorf("a session without a pty was told %q (%v), want one line saying to connect with a terminal", got, err)
	}
	if users, _ := c.backend.Users(context.Background()); len(users) != 0 {
		t.Errorf("a session without a pty created learners: %+v", users)
	}
}

// `ssh host somecommand`, with a pty or not, runs nothing: it is told the
// classroom runs the tutor only, and ends failing.
func TestCommandRefused(t *testing.T) {
	c := startClass(t, Config{Log: testLog{t}})
	for _, pty := range []bool{true, false} {
		client, err := dial(t, c.addr, newSigner(t), "ada")
		if err != nil {
			t.Fatal(err)
		}
		sess, err := client.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if pty {
			if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
				t.Fatal(err)
			}
		}
		var out, stderr bytes.Buffer
		sess.Stdout, sess.Stderr = &out, &stderr
		err = sess.Run("cat /etc/passwd")
		var exit *gossh.ExitError
		if !errors.As(err, &exit) || exit.ExitStatus() != 1 || !strings.Contains(out.String(), "connect without a command") || strings.Contains(out.String(), "root:") {
			t.Errorf("a command (pty %v) ended with %v and %q", pty, err, out.String())
		}
		_ = client.Close()
	}
	if users, _ := c.backend.Users(context.Background()); len(users) != 0 {
		t.Errorf("a command created learners: %+v", users)
	}
}

// Only keys in --learners (and --instructors) get in; others are refused
// at authentication, so they never reach the name prompt.
func TestLearnersList(t *testing.T) {
	allowed, teacher, stranger := newSigner(t), newSigner(t), newSigner(t)
	c := startClass(t, Config{
		Learners:    KeySet{gossh.FingerprintSHA256(allowed.PublicKey()): true},
		Instructors: KeySet{gossh.FingerprintSHA256(teacher.PublicKey()): true},
	})
	if _, err := dial(t, c.addr, stranger, "x"); err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Errorf("a key not on the list: %v, want refused at authentication", err)
	}
	for _, k := range []gossh.Signer{allowed, teacher} {
		tm, err := open(t, c.addr, k, dialOpts{user: "x"})
		if err != nil {
			t.Fatalf("a listed key refused: %v", err)
		}
		if err := tm.expect("Welcome to the classroom"); err != nil {
			t.Error(err)
		}
	}
}

// Password and keyboard-interactive logins are not offered at all.
func TestOnlyPublicKeys(t *testing.T) {
	c := startClass(t, Config{})
	_, err := gossh.Dial("tcp", c.addr, &gossh.ClientConfig{
		User: "ada",
		Auth: []gossh.AuthMethod{gossh.Password("secret"),
			gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         wait,
	})
	if err == nil || !strings.Contains(err.Error(), "no supported methods remain") {
		t.Errorf("password and keyboard-interactive login: %v, want no supported method", err)
	}
}

// One session beyond --max-sessions is told the room is full and closed.
func TestRoomFull(t *testing.T) {
	c := startClass(t, Config{MaxSessions: 2})
	for i := range 2 {
		tm, err := open(t, c.addr, newSigner(t), dialOpts{user: fmt.Sprintf("in-%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		if err := tm.expect("Welcome to the classroom"); err != nil {
			t.Fatal(err)
		}
	}
	tm, err := open(t, c.addr, newSigner(t), dialOpts{user: "late"})
	if err != nil {
		t.Fatal(err)
	}
	if err := tm.expect("The room is full (2 terminals open); try again later."); err != nil {
		t.Error(err)
	}
	if err := tm.ended(); err != nil {
		t.Error(err)
	}
}

// slowBackend is a store whose answers take a while, so a test can act
// while one is being stored.
type slowBackend struct {
	progress.Backend
	delay    time.Duration
	started  chan string // a learner's answer started being stored
	finished atomic.Int64
}

func (b *slowBackend) Learner(name string) (progress.Learner, error) {
	l, err := b.Backend.Learner(name)
	return &slowLearner{Learner: l, b: b}, err
}

type slowLearner struct {
	progress.Learner
	b *slowBackend
}

func (l *slowLearner) Record(ctx context.Context, a progress.Attempt) (progress.Attempt, error) {
	select {
	case l.b.started <- l.Name():
	default:
	}
	select {
	case <-time.After(l.b.delay):
	case <-ctx.Done():
		return progress.Attempt{}, ctx.Err()
	}
	a, err := l.Learner.Record(ctx, a)
	if err == nil {
		l.b.finished.Add(1)
	}
	return a, err
}

// A learner whose connection drops while their answer is being stored
// keeps the answer, and the session's resources are freed.
func TestDisconnectMidAnswer(t *testing.T) {
	slow := &slowBackend{Backend: sqliteBackend(t), delay: 500 * time.Millisecond, started: make(chan string, 1)}
	c := startClass(t, Config{Backend: slow})
	tm, err := open(t, c.addr, newSigner(t), dialOpts{user: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	first := c.course.Lessons()[0]
	for _, step := range []func() error{
		func() error { return tm.expect("Welcome to the classroom") },
		func() error { return tm.send("\r") },
		func() error { return tm.expect(first.Title) },
		func() error { return tm.send("\r") },
		func() error { return tm.expectRe(percentRe) },
		func() error { return tm.send("\r") },
		func() error { return tm.expect("Question 1 of") },
		func() error { return tm.send(answerKeys(first.Questions[0]) + "\r") },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-slow.started:
	case <-time.After(wait):
		t.Fatal("the answer never reached the store")
	}
	_ = tm.client.Close() // gone mid-answer
	waitUntil(t, "the session freed", func() bool { return c.srv.Sessions() == 0 && c.srv.room.onlineCount() == 0 })
	waitUntil(t, "the answer stored", func() bool { return slow.finished.Load() == 1 })
	checkOneAnswer(t, c, "ada")
}

// A client that never reads what it is sent: the server blocks on that
// session alone, closes it after the write timeout, and does not grow
// while it waits; another learner works on meanwhile.
func TestStalledClient(t *testing.T) {
	c := startClass(t, Config{WriteTimeout: 2 * time.Second, Log: testLog{t}})
	client, err := dial(t, c.addr, newSigner(t), "stuck")
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	stdin, _ := sess.StdinPipe()
	_, _ = sess.StdoutPipe() // never read: the SSH window fills up
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the stalled session open", func() bool { return c.srv.Sessions() == 1 })
	// Enrol and open the first lesson without looking: a screen full of
	// text makes the biggest frames.
	for _, k := range []string{"\r", "\r"} {
		time.Sleep(time.Second)
		if _, err := stdin.Write([]byte(k)); err != nil {
			t.Fatal(err)
		}
	}
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	// Full-screen redraws, over and over, until the server gives up on
	// the client: each resize repaints everything.
	go func() {
		for i := 0; c.srv.Sessions() > 0 || i == 0; i++ {
			w, h := 80+i%120, 24+i%40
			if _, err := sess.SendRequest("window-change", false, gossh.Marshal(struct{ W, H, PW, PH uint32 }{uint32(w), uint32(h), 0, 0})); err != nil {
				return
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	other, err := open(t, c.addr, newSigner(t), dialOpts{user: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	if err := other.learn(c.course); err != nil {
		t.Errorf("a learner beside a stalled client: %v", err)
	}
	waitUntil(t, "the stalled session closed", func() bool { return c.srv.Sessions() == 0 })
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > 64<<20 {
		t.Errorf("the heap grew by %d MiB while a client did not read", grew>>20)
	}
	checkOneAnswer(t, c, "ada")
}

// A burst of 500 connections beyond the limit is refused, each cleanly
// (told the room is full, or closed before the handshake), while the
// learners already in keep learning.
func TestBurstBeyondLimit(t *testing.T) {
	const seats = 10
	c := startClass(t, Config{MaxSessions: seats})
	in := make([]*terminal, seats)
	for i := range in {
		tm, err := open(t, c.addr, newSigner(t), dialOpts{user: fmt.Sprintf("seat-%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		if err := tm.expect("Welcome to the classroom"); err != nil {
			t.Fatal(err)
		}
		in[i] = tm
	}
	key := newSigner(t) // one key for the burst: signing is not what is tested
	var full, refused, other atomic.Int64
	var wg sync.WaitGroup
	for range 500 {
		wg.Go(func() {
			tm, err := open(t, c.addr, key, dialOpts{user: "burst"})
			switch {
			case err != nil:
				refused.Add(1)
			case tm.expect("The room is full") == nil && tm.ended() == nil:
				full.Add(1)
				_ = tm.client.Close()
			default:
				other.Add(1)
			}
		})
	}
	wg.Wait()
	t.Logf("burst of 500: %d told the room is full, %d refused before a session", full.Load(), refused.Load())
	if other.Load() != 0 {
		t.Errorf("%d of the burst got neither a full room nor a refusal", other.Load())
	}
	if c.srv.Sessions() != seats {
		t.Errorf("%d sessions open after the burst, want the %d seated", c.srv.Sessions(), seats)
	}
	// The seated learners carry on: each joins and answers.
	var errs atomic.Int64
	for _, tm := range in {
		wg.Go(func() {
			tm.mark = 0
			if err := tm.learn(c.course); err != nil {
				t.Error(err)
				errs.Add(1)
			}
		})
	}
	wg.Wait()
	if errs.Load() == 0 {
		for i := range in {
			checkOneAnswer(t, c, fmt.Sprintf("seat-%d", i))
		}
	}
}

// Stopping the server with fifty learners in: each is told, every answer
// submitted is stored, and the server is done within five seconds.
func TestShutdownWithFifty(t *testing.T) {
	c := startClass(t, Config{})
	const n = 50
	terms := make([]*terminal, n)
	first := c.course.Lessons()[0]
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			tm, err := open(t, c.addr, newSigner(t), dialOpts{user: fmt.Sprintf("learner-%02d", i)})
			if err != nil {
				t.Error(err)
				return
			}
			for _, step := range []func() error{
				func() error { return tm.expect("Welcome to the classroom") },
				func() error { return tm.send("\r") },
				func() error { return tm.expect(first.Title) },
				func() error { return tm.send("\r") },
				func() error { return tm.expectRe(percentRe) },
				func() error { return tm.send("\r") },
				func() error { return tm.expect("Question 1 of") },
				func() error { return tm.send(answerKeys(first.Questions[0]) + "\r") },
				func() error { return tm.expect("Right.") },
			} {
				if err := step(); err != nil {
					t.Error(err)
					return
				}
			}
			terms[i] = tm
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	took := c.stop()
	t.Logf("shutdown with %d sessions took %v", n, took)
	// The contract, not a speed: shutdown is bounded by ShutdownGrace
	// plus a second by construction.
	if took > 5*time.Second {
		t.Errorf("shutdown took %v, more than 5s", took)
	}
	for i, tm := range terms {
		if err := tm.expect("The classroom is closing. Your progress is saved."); err != nil {
			t.Error(err)
		}
		checkOneAnswer(t, c, fmt.Sprintf("learner-%02d", i))
	}
}

// testLog is the server's log in the test's.
type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// A session without a key for --idle is closed, saying why, and the
// learner's place is kept.
func TestIdle(t *testing.T) {
	c := startClass(t, Config{Idle: 2 * time.Second})
	tm, err := open(t, c.addr, newSigner(t), dialOpts{user: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	first := c.course.Lessons()[0]
	for _, step := range []func() error{
		func() error { return tm.expect("Welcome to the classroom") },
		func() error { return tm.send("\r") },
		func() error { return tm.expect(first.Title) },
		func() error { return tm.send("\r") },
		func() error { return tm.expectRe(percentRe) },
		func() error { return tm.expect("Closed after 2s without a key. Your progress is saved") },
		tm.ended,
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	l, err := c.backend.Learner("ada")
	if err != nil {
		t.Fatal(err)
	}
	lesson, _, ok, err := l.LastPosition(context.Background())
	if err != nil || !ok || lesson != first.ID {
		t.Errorf("ada's place after an idle close: %q ok=%v (%v), want %s", lesson, ok, err, first.ID)
	}
}

// Leaving the name prompt enrols nobody.
func TestLeaveWithoutName(t *testing.T) {
	c := startClass(t, Config{})
	key := newSigner(t)
	tm, err := open(t, c.addr, key, dialOpts{user: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []func() error{
		func() error { return tm.expect("Welcome to the classroom") },
		func() error { return tm.send("\x1b") },
		func() error { return tm.expect("Come back when you have a name in mind.") },
		tm.ended,
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok, _ := c.backend.KeyLearner(context.Background(), gossh.FingerprintSHA256(key.PublicKey())); ok {
		t.Error("a key that left the prompt was enrolled")
	}
	if users, _ := c.backend.Users(context.Background()); len(users) != 0 {
		t.Errorf("learners after leaving the prompt: %+v", users)
	}
}

// A client may claim any terminal size; the server holds a frame of that
// many cells per program, so the size is bounded: a pty request and a
// window change of 3000×3000 (nine million cells) cost no more than a
// big screen, and the learner still gets the tutor.
func TestHugeWindowIsBounded(t *testing.T) {
	c := startClass(t, Config{Log: testLog{t}})
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	tm, err := open(t, c.addr, newSigner(t), dialOpts{user: "wide", width: 3000, height: 3000})
	if err != nil {
		t.Fatal(err)
	}
	if err := tm.expect("Welcome to the classroom"); err != nil {
		t.Fatal(err)
	}
	if _, err := tm.sess.SendRequest("window-change", false, gossh.Marshal(struct{ W, H, PW, PH uint32 }{3000, 3000, 0, 0})); err != nil {
		t.Fatal(err)
	}
	if err := tm.send("\r"); err != nil {
		t.Fatal(err)
	}
	if err := tm.expect("Backend development"); err != nil {
		t.Fatal(err)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > 96<<20 {
		t.Errorf("a 3000×3000 window grew the heap by %d MiB", grew>>20)
	}
	if w := clampWindow(ssh.Window{Width: 1 << 31, Height: 0}); w.Width != maxColumns || w.Height != 1 {
		t.Errorf("clampWindow: %+v", w)
	}
}
