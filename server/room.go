package server

import (
	"context"
	"slices"
	"sync"
	"time"

	"serverside/progress"
	"serverside/tui"
)

// room is who is in the classroom on this host: the learners online, the
// last answer each gave here, and the instructors' class views waiting to
// hear of a change. Answers given on another host sharing the store reach
// the class view through its periodic refresh instead.
type room struct {
	mu     sync.Mutex
	online map[string]int // learner -> open sessions
	last   map[string]lastAnswer
	lesson map[string]string // learner -> lesson opened last in a session here
	subs   map[chan struct{}]struct{}
}

type lastAnswer struct {
	at       time.Time
	right    bool
	question string // lessonID/questionID
}

func newRoom() *room {
	return &room{online: map[string]int{}, last: map[string]lastAnswer{}, lesson: map[string]string{},
		subs: map[chan struct{}]struct{}{}}
}

func (r *room) join(name string) {
	r.mu.Lock()
	r.online[name]++
	r.mu.Unlock()
	r.changed()
}

func (r *room) leave(name string) {
	r.mu.Lock()
	if r.online[name]--; r.online[name] <= 0 {
		delete(r.online, name)
	}
	r.mu.Unlock()
	r.changed()
}

func (r *room) answered(name string, a progress.Attempt) {
	r.mu.Lock()
	if a.At.After(r.last[name].at) || r.last[name].at.IsZero() {
		r.last[name] = lastAnswer{at: a.At, right: a.Correct, question: a.LessonID + "/" + a.QuestionID}
	}
	r.lesson[name] = a.LessonID
	r.mu.Unlock()
	r.changed()
}

func (r *room) opened(name, lessonID string) {
	r.mu.Lock()
	same := r.lesson[name] == lessonID
	r.lesson[name] = lessonID
	r.mu.Unlock()
	if !same {
		r.changed()
	}
}

// changed tells every class view, without waiting for any of them: each
// has a one-place mailbox, and one pending change is as good as many.
func (r *room) changed() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for ch := range r.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

func (r *room) onlineCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.online {
		n += c
	}
	return n
}

// classView is the instructor's tui.Class: the store's report and flags,
// with who is online and what they answered last from the room.
type classView struct {
	room    *room
	backend progress.Backend
	refresh time.Duration
}

var _ tui.Class = (*classView)(nil)

// Subscribe signals every change in the room at once, and every refresh
// period in any case, so work done on another host shows too.
func (c *classView) Subscribe(ctx context.Context) <-chan struct{} {
	mailbox := make(chan struct{}, 1)
	c.room.mu.Lock()
	c.room.subs[mailbox] = struct{}{}
	c.room.mu.Unlock()
	out := make(chan struct{}, 1)
	go func() {
		defer close(out)
		defer func() {
			c.room.mu.Lock()
			delete(c.room.subs, mailbox)
			c.room.mu.Unlock()
		}()
		tick := time.NewTicker(c.refresh)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-mailbox:
			case <-tick.C:
			}
			select {
			case out <- struct{}{}:
			default:
			}
		}
	}()
	return out
}

// Snapshot reads the class: every learner with their completion and lab
// tasks from the report, their current lesson and last answer from the
// store (so another host's learners show too), corrected by what this
// host saw a moment ago.
func (c *classView) Snapshot(ctx context.Context) (tui.ClassSnapshot, error) {
	rep, err := c.backend.Report(ctx)
	if err != nil {
		return tui.ClassSnapshot{}, err
	}
	c.room.mu.Lock()
	online := make(map[string]bool, len(c.room.online))
	for name := range c.room.online {
		online[name] = true
	}
	last := make(map[string]lastAnswer, len(c.room.last))
	for name, a := range c.room.last {
		last[name] = a
	}
	current := make(map[string]string, len(c.room.lesson))
	for name, l := range c.room.lesson {
		current[name] = l
	}
	c.room.mu.Unlock()

	snap := tui.ClassSnapshot{Flags: rep.Flags, At: time.Now()}
	snap.Learners = make([]tui.ClassLearner, len(rep.Users))
	// A few learners' positions are read at once: a class of hundreds
	// costs a few round trips, not hundreds in a row.
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	errs := make([]error, len(rep.Users))
	for i, u := range rep.Users {
		cl := tui.ClassLearner{Name: u.User, Online: online[u.User]}
		for _, ls := range u.Lessons {
			if ls.Status != progress.NotStarted {
				cl.Started++
			}
			if ls.Status == progress.Done {
				cl.Done++
			}
		}
		for _, n := range u.LabTasks {
			cl.LabTasks += n
		}
		snap.Learners[i] = cl
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = c.position(ctx, &snap.Learners[i], current[u.User], last[u.User])
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return tui.ClassSnapshot{}, err
		}
	}
	return snap, nil
}

// position fills in the learner's lesson and last answer: the lesson read
// last, and the newest answer in it, or the newer one this host saw.
func (c *classView) position(ctx context.Context, cl *tui.ClassLearner, here string, seen lastAnswer) error {
	l, err := c.backend.Learner(cl.Name)
	if err != nil {
		return err
	}
	lesson, _, ok, err := l.LastPosition(ctx)
	if err != nil {
		return err
	}
	if here != "" && cl.Online {
		lesson, ok = here, true
	}
	if ok {
		cl.Lesson = lesson
		latest, err := l.Latest(ctx, lesson)
		if err != nil {
			return err
		}
		ids := make([]string, 0, len(latest))
		for id := range latest {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			if a := latest[id]; a.At.After(cl.LastAnswer) {
				cl.LastAnswer, cl.LastRight, cl.LastQuestion = a.At, a.Correct, lesson+"/"+id
			}
		}
	}
	if seen.at.After(cl.LastAnswer) {
		cl.LastAnswer, cl.LastRight, cl.LastQuestion = seen.at, seen.right, seen.question
	}
	return nil
}
