package tui

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/lessons"
	"serverside/progress"
	"serverside/render"
)

// flakyProgress fails the calls the test names until healed, and counts
// the answers it saved.
type flakyProgress struct {
	Progress
	mu      sync.Mutex
	failing map[string]error // by method name
	saved   int
}

func (f *flakyProgress) fail(method string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failing[method]
}

func (f *flakyProgress) heal() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failing = nil
}

func (f *flakyProgress) Record(ctx context.Context, a progress.Attempt) (progress.Attempt, error) {
	if err := f.fail("Record"); err != nil {
		return a, err
	}
	got, err := f.Progress.Record(ctx, a)
	if err == nil {
		f.mu.Lock()
		f.saved++
		f.mu.Unlock()
	}
	return got, err
}

func (f *flakyProgress) LessonStates(ctx context.Context) (map[string]progress.LessonState, error) {
	if err := f.fail("LessonStates"); err != nil {
		return nil, err
	}
	return f.Progress.LessonStates(ctx)
}

func fakeModel(t *testing.T, p Progress, o Options) tea.Model {
	t.Helper()
	o.StatusTTL, o.Course, o.Progress, o.Theme = time.Minute, StaticCourse(testCourse(t)), p, render.Dark
	var m tea.Model = New(context.Background(), o)
	return start(t, run(t, m, tea.WindowSizeMsg{Width: 100, Height: 30}))
}

// An answer the store refuses is not shown as graded: the quiz says it was
// not saved and stays on the question, and enter saves it once the store
// is back.
func TestAnswerNotSavedCanBeSubmittedAgain(t *testing.T) {
	p := &flakyProgress{Progress: testLearner(t, testStore(t), "tess"), failing: map[string]error{"Record": errors.New("disk full")}}
	m := fakeModel(t, p, Options{Labs: LocalLabs})
	m = run(t, m, openQuizMsg{lessonID: "every-type", from: 0})
	m = run(t, m, press("enter"))
	v := view(m)
	if !strings.Contains(v, "your answer was not saved (disk full): press enter to try again") {
		t.Fatalf("a refused answer does not say so:\n%s", v)
	}
	q, ok := m.(Model).top().(quizScreen)
	if !ok || q.phase != asking || strings.Contains(v, "Right") {
		t.Fatalf("a refused answer was graded (top %T):\n%s", m.(Model).top(), v)
	}
	p.heal()
	m = run(t, m, press("enter"))
	if p.saved != 1 || !strings.Contains(view(m), "Right") {
		t.Fatalf("after the store came back: %d saved\n%s", p.saved, view(m))
	}
}

// Progress that cannot be read at start is reported on the status line;
// the map still opens lessons.
func TestUnreadableProgressIsReported(t *testing.T) {
	p := &flakyProgress{Progress: testLearner(t, testStore(t), "tess"), failing: map[string]error{"LessonStates": errors.New("connection refused")}}
	m := fakeModel(t, p, Options{Labs: LocalLabs})
	if v := view(m); !strings.Contains(v, "reading progress: connection refused") {
		t.Fatalf("the failure is not on the screen:\n%s", v)
	}
	m = run(t, m, press("enter"))
	if _, ok := m.(Model).top().(lessonScreen); !ok {
		t.Fatalf("enter on the map: top %T, want the lesson", m.(Model).top())
	}
}

// blockingProgress never answers a read until its context ends.
type blockingProgress struct{ Progress }

func (b blockingProgress) LessonStates(ctx context.Context) (map[string]progress.LessonState, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// A store that does not answer is given up on after StoreTimeout, and a
// session that ends cancels its reads; a write made as the session ends
// is still saved, since the learner submitted it.
func TestStoreCallsUseTheSessionContext(t *testing.T) {
	store := testStore(t)
	p := blockingProgress{testLearner(t, store, "tess")}
	ctx, cancel := context.WithCancel(context.Background())
	m := New(ctx, Options{Course: StaticCourse(testCourse(t)), Progress: p, StoreTimeout: 50 * time.Millisecond})
	start := time.Now()
	msg := loadStates(m.sh)()
	if e, ok := msg.(errMsg); !ok || !errors.Is(e.err, context.DeadlineExceeded) {
		t.Fatalf("a stalled read gave %#v, want the deadline", msg)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("the stalled read took %v", time.Since(start))
	}
	m = New(ctx, Options{Course: StaticCourse(testCourse(t)), Progress: p, StoreTimeout: time.Hour})
	cmd := loadStates(m.sh)
	cancel()
	if e, ok := cmd().(errMsg); !ok || !errors.Is(e.err, context.Canceled) {
		t.Fatalf("a read after the session ended was not cancelled")
	}
	// The session is over; the answer submitted in its last moment is kept.
	l := m.sh.course.Lesson("every-type")
	err := m.sh.store.save(func(ctx context.Context) error {
		_, err := m.sh.progress.Record(ctx, progress.Attempt{LessonID: l.ID, QuestionID: l.Questions[0].ID, QuestionHash: l.Questions[0].Hash, Answer: "{}", Correct: true, At: time.Now()})
		return err
	})
	if err != nil {
		t.Fatalf("an answer submitted as the session ended was not saved: %v", err)
	}
	if got, _ := store.LatestAttempts(context.Background(), "tess", l.ID); len(got) != 1 {
		t.Fatalf("stored answers: %v", got)
	}
}

// Without Profiles (a classroom: the key is the learner) there is no
// profiles screen, and the keys do not offer one.
func TestNoProfilesNoSwitching(t *testing.T) {
	m := fakeModel(t, testLearner(t, testStore(t), "tess"), Options{})
	m = run(t, m, press("u"))
	if _, ok := m.(Model).top().(usersScreen); ok {
		t.Fatal("u opened the profiles screen without Profiles")
	}
	m = run(t, m, press("?"))
	if v := view(m); strings.Contains(v, "profiles") {
		t.Fatalf("the keys offer profiles:\n%s", v)
	}
	// A switch asked some other way has nothing to switch with.
	if msg := switchProfile(m.(Model).sh, "mallory", "switching to")(); msg == nil {
		t.Fatal("a switch without Profiles succeeded")
	} else if _, ok := msg.(switchUserMsg); ok {
		t.Fatal("a switch without Profiles succeeded")
	}
	if got := m.(Model).sh.user; got != "tess" {
		t.Fatalf("learner is %q", got)
	}
}

// The lab policy decides what runs here: a build lab that may not dial
// this machine says where to run the check and dials nothing; the HTTP lab
// drops the curl hint and key; a lab kind that does not run here says so.
func TestLabPolicy(t *testing.T) {
	// A service on this machine that counts the connections it gets.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dialled := make(chan struct{}, 16)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			dialled <- struct{}{}
			c.Close()
		}
	}()
	sh := labShared(t)
	sh.labPol = LabPolicy{SQL: true, HTTP: true}
	build := &lessons.Lab{ID: "b", Kind: "build", Line: 1, Raw: "id: b\nkind: build\nlab: rest-resource\n"}
	s, cmd, err := newLabScreen(sh, labLesson, build)
	if err != nil {
		t.Fatal(err)
	}
	s = s.SetSize(80, 30)
	for _, msg := range labMsgs(t, cmd) {
		s, _ = s.Update(msg)
	}
	b := s.(buildLabScreen)
	b.addr.SetValue(ln.Addr().String())
	s, cmd = b.Update(press("enter"))
	if cmd != nil {
		labMsgs(t, cmd)
	}
	v := strings.Join(strings.Fields(ansi.Strip(s.View())), " ")
	if !strings.Contains(v, "on your own machine") || !strings.Contains(v, "serverside check rest-resource --addr ADDR") || strings.Contains(v, "Address:") {
		t.Fatalf("the remote build lab does not say where to check:\n%s", s.View())
	}
	select {
	case <-dialled:
		t.Fatal("the build lab dialled this machine's loopback for a remote learner")
	case <-time.After(300 * time.Millisecond):
	}

	http := &lessons.Lab{ID: "h", Kind: "http", Line: 1, Raw: "id: h\nkind: http\nscenario: bookshop\n"}
	s, cmd, err = newLabScreen(sh, labLesson, http)
	if err != nil {
		t.Fatal(err)
	}
	s = s.SetSize(120, 40)
	s, _ = s.Update(started(t, cmd))
	defer s.(httpLabScreen).lab.Close()
	if v := ansi.Strip(s.View()); strings.Contains(v, "curl") {
		t.Fatalf("the remote HTTP lab offers curl:\n%s", v)
	}
	if s.(httpLabScreen).keys.Copy.Enabled() {
		t.Fatal("copy as curl is offered to a remote learner")
	}

	sh.labPol = LabPolicy{}
	sql := &lessons.Lab{ID: "q", Kind: "sql", Line: 1, Raw: "id: q\nkind: sql\n"}
	if _, _, err := newLabScreen(sh, labLesson, sql); err == nil || !strings.Contains(err.Error(), "does not run here") {
		t.Fatalf("a lab that may not run here: %v", err)
	}
}

// A comment pasted into a flag's field arrives whole, as typed text does
// (the paste went to the answer's field, which had no focus, and was lost).
func TestPasteIntoFlagComment(t *testing.T) {
	store := testStore(t)
	m := fakeModel(t, testLearner(t, store, "tess"), Options{Labs: LocalLabs})
	m = run(t, m, openQuizMsg{lessonID: "every-type", from: 0})
	m = run(t, m, press("enter")) // answer: feedback shows
	m = run(t, m, press("F"))
	m = run(t, m, tea.PasteMsg{Content: "two answers fit"})
	m = run(t, m, press("enter"))
	flags, err := store.Flags(context.Background())
	if err != nil || len(flags) != 1 || flags[0].Comment != "two answers fit" {
		t.Fatalf("flag after a paste: %v %+v\n%s", err, flags, view(m))
	}
}
