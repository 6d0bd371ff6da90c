package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"github.com/charmbracelet/colorprofile"
	gossh "golang.org/x/crypto/ssh"

	"serverside/progress"
	"serverside/render"
	"serverside/termsafe"
	"serverside/tui"
)

// Why a session ended, when it was not the learner quitting.
var (
	errIdle     = errors.New("idle")
	errGone     = errors.New("client went away")
	errStalled  = errors.New("client stopped reading")
	errStopping = errors.New("server stopping")
)

// sshLabs are the labs a classroom runs: the SQL lab and the HTTP lab's
// composer run here, per session. Build labs run on the learner's own
// machine (the server never dials its own loopback for a learner), and
// the "use your own curl" hint is hidden, since the learner's curl cannot
// reach the server's loopback.
var sshLabs = tui.LabPolicy{SQL: true, HTTP: true}

// sender is the program the session's window changes go to.
type sender interface{ Send(tea.Msg) }

func (s *Server) handle(sess ssh.Session) {
	s.gate.Lock()
	if s.stopping.Load() {
		s.gate.Unlock()
		s.say(sess, "The classroom is closing; try again when it is back.")
		_ = sess.Exit(1)
		return
	}
	s.active.Add(1)
	s.gate.Unlock()
	defer s.active.Done()
	if cmd := sess.RawCommand(); cmd != "" {
		// `ssh host somecommand` asks to run a command: the classroom runs
		// nothing but the tutor, and says so rather than ignore it.
		s.logf("refused %s: asked to run a command", sess.RemoteAddr())
		s.say(sess, "serverside serve runs the tutor and nothing else: connect without a command (ssh -p PORT host).")
		_ = sess.Exit(1)
		return
	}
	pty, windows, ok := sess.Pty()
	if !ok {
		s.say(sess, "serverside serve is a terminal tutor: connect with a terminal (ssh -t, and no command).")
		_ = sess.Exit(1)
		return
	}
	if n := s.sessions.Add(1); n > int64(s.cfg.MaxSessions) {
		s.sessions.Add(-1)
		s.logf("refused %s: room full", sess.RemoteAddr())
		s.say(sess, fmt.Sprintf("The room is full (%d terminals open); try again later.", s.cfg.MaxSessions))
		_ = sess.Exit(1)
		return
	}
	defer s.sessions.Add(-1)
	release, ok := s.keySeat(sess)
	if !ok {
		return
	}
	defer release()

	// Not derived from s.stop, so the cause of the end is ours to say.
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	defer context.AfterFunc(sess.Context(), func() { cancel(errGone) })()
	defer context.AfterFunc(s.stop, func() { cancel(errStopping) })()

	conn, _ := sess.Context().Value(ssh.ContextKeyConn).(*gossh.ServerConn)
	out := &stallWriter{w: sess, timeout: s.cfg.WriteTimeout, stalled: func() {
		s.logf("session %s: no write went through for %v; closing its connection", sess.RemoteAddr(), s.cfg.WriteTimeout)
		cancel(errStalled)
		if conn != nil {
			_ = conn.Close()
		}
	}}
	in := newInput(sess)
	go s.watchIdle(ctx, in, cancel)

	env := append(sess.Environ(), "TERM="+pty.Term)
	profile := colorprofile.Env(env)
	var target atomic.Pointer[sender]
	var size atomic.Pointer[ssh.Window]
	first := clampWindow(pty.Window)
	size.Store(&first)
	// The window changes are always taken at once, whatever the program
	// is doing: the SSH library hands them over on the goroutine that
	// reads the whole connection, so one not taken would stall reading
	// the client's keys, and its disconnection, with it.
	resized := make(chan struct{}, 1)
	go func() {
		for {
			select {
			case <-sess.Context().Done():
				return
			case w, ok := <-windows:
				if !ok {
					return
				}
				w = clampWindow(w)
				size.Store(&w)
				select {
				case resized <- struct{}{}:
				default:
				}
			}
		}
	}()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-resized:
				if p := target.Load(); p != nil {
					w := size.Load()
					(*p).Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
				}
			}
		}
	}()
	teaOpts := func(v *inputView) []tea.ProgramOption {
		w := size.Load()
		return []tea.ProgramOption{
			tea.WithInput(v), tea.WithOutput(out), tea.WithEnvironment(env),
			tea.WithWindowSize(w.Width, w.Height), tea.WithColorProfile(profile),
			// The server's signals are the server's: a program per
			// session must not take SIGINT meant for the whole room.
			tea.WithoutSignalHandler(),
			tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
				if _, ok := msg.(tea.SuspendMsg); ok {
					return tea.ResumeMsg{} // nothing to suspend to over SSH
				}
				return msg
			}),
		}
	}

	fp := gossh.FingerprintSHA256(sess.PublicKey())
	w := size.Load()
	name, err := s.identify(ctx, fp, sess.User(), w.Width, w.Height, in, teaOpts, &target)
	if err != nil || name == "" {
		if err != nil {
			s.logf("session %s (%s): %v", sess.RemoteAddr(), fp, err)
			s.say(sess, "Could not join the classroom: "+termsafe.Line(err.Error()))
		} else {
			s.say(sess, s.goodbye(ctx, ""))
		}
		_ = sess.Exit(1)
		return
	}
	l, err := s.cfg.Backend.Learner(name)
	if err != nil {
		s.say(sess, "Could not join the classroom: "+termsafe.Line(err.Error()))
		_ = sess.Exit(1)
		return
	}
	instructor := s.cfg.Instructors[fp]
	s.logf("join %s as %q%s from %s", fp, name, map[bool]string{true: " (instructor)"}[instructor], sess.RemoteAddr())
	s.room.join(name)
	defer s.room.leave(name)

	o := tui.Options{
		Course:       s.cfg.Course,
		Progress:     &sessionLearner{Learner: l, room: s.room, writes: &s.writes, timeout: s.cfg.StoreTimeout},
		Labs:         sshLabs,
		Theme:        sessionTheme(env),
		NewPerDay:    s.cfg.NewPerDay,
		Location:     sessionLocation(env),
		ColorProfile: &profile,
		Renders:      s.renders,
		StoreTimeout: s.cfg.StoreTimeout,
	}
	if instructor {
		o.Class = s.class
	}
	view := in.view()
	prog := tui.NewProgram(ctx, o, teaOpts(view)...)
	var snd sender = prog
	target.Store(&snd)
	// The goodbye is written as soon as the program has left the screen,
	// before the learner's place is saved.
	prog.Exited = func() {
		target.Store(nil)
		view.end()
		s.say(sess, s.goodbye(ctx, name))
	}
	runErr := prog.Run()
	if runErr != nil && ctx.Err() == nil {
		s.logf("session of %q: %v", name, runErr)
	}
	s.logf("leave %q (%v, %d KiB sent)", name, endReason(ctx), out.sent.Load()>>10)
	_ = sess.Exit(0)
}

// identify is the learner the key enrolled as, asking a new key for a name.
// An empty name with no error is a learner who left the prompt.
func (s *Server) identify(ctx context.Context, fp, sshUser string, width, height int, in *input,
	teaOpts func(*inputView) []tea.ProgramOption, target *atomic.Pointer[sender]) (string, error) {
	lookup, cancel := context.WithTimeout(ctx, s.cfg.StoreTimeout)
	name, ok, err := s.cfg.Backend.KeyLearner(lookup, fp)
	cancel()
	if err != nil || ok {
		return name, err
	}
	if s.cfg.Learners == nil {
		s.logf("new key %s (open enrolment)", fp)
	}
	view := in.view()
	defer view.end()
	opts := teaOpts(view)
	prompt := newEnrolPrompt(ctx, s.cfg.Backend, fp, sshUser, s.cfg.StoreTimeout, width, height)
	p := tea.NewProgram(prompt, append(opts, tea.WithContext(ctx))...)
	var snd sender = p
	target.Store(&snd)
	defer target.Store(nil)
	if _, err := p.Run(); err != nil && ctx.Err() == nil && !errors.Is(err, tea.ErrProgramKilled) {
		return "", err
	}
	return prompt.name, nil
}

// watchIdle ends the session after Idle without a key from the client.
func (s *Server) watchIdle(ctx context.Context, in *input, cancel context.CancelCauseFunc) {
	every := min(max(s.cfg.Idle/10, 10*time.Millisecond), time.Minute)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if in.idleFor(now) >= s.cfg.Idle {
				cancel(errIdle)
				return
			}
		}
	}
}

func endReason(ctx context.Context) string {
	if c := context.Cause(ctx); c != nil && !errors.Is(c, context.Canceled) {
		return c.Error()
	}
	return "quit"
}

// goodbye is the session's last line, saying why it ended.
func (s *Server) goodbye(ctx context.Context, name string) string {
	cause := context.Cause(ctx)
	switch {
	case cause == errIdle && name == "":
		// Still at the name prompt: there is no progress yet to speak of.
		return fmt.Sprintf("Closed after %v without a key: ssh again when you are ready to choose a name.", s.cfg.Idle)
	case cause == errIdle:
		return fmt.Sprintf("Closed after %v without a key. Your progress is saved: ssh again to go on.", s.cfg.Idle)
	case cause == errStopping && name == "":
		return "The classroom is closing; try again when it is back."
	case cause == errStopping:
		return "The classroom is closing. Your progress is saved."
	}
	if name == "" {
		return "Come back when you have a name in mind."
	}
	return "Your progress is saved. See you next time, " + termsafe.Line(name) + "."
}

// say writes one line to a session (after any program has left the
// screen as it found it), bounded like every write.
func (s *Server) say(sess ssh.Session, line string) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = fmt.Fprint(sess, line+"\r\n")
	}()
	select {
	case <-done:
	case <-time.After(s.cfg.WriteTimeout):
		_ = sess.Close()
	}
}

// sessionTheme is the client's NO_COLOR (or TERM=dumb) as the plain theme;
// otherwise the TUI asks the client's terminal for its background.
func sessionTheme(env []string) render.Theme {
	term := ""
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "NO_COLOR":
			if v != "" {
				return render.Plain
			}
		case "TERM":
			term = v
		}
	}
	if term == "dumb" {
		return render.Plain
	}
	return ""
}

// sessionLocation is the learner's time zone when their client sends TZ
// (ssh -o SendEnv=TZ, if the server's sshd lets it), for "today" in
// reviews and streaks; the server's otherwise.
func sessionLocation(env []string) *time.Location {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "TZ="); ok && v != "" && len(v) < 64 && !strings.Contains(v, "..") {
			if loc, err := time.LoadLocation(strings.TrimPrefix(v, ":")); err == nil {
				return loc
			}
		}
	}
	return time.Local
}

var _ progress.Learner = (*sessionLearner)(nil)

// The largest terminal a session gets. Bubble Tea holds width × height
// cells per program from the first frame, and the size is the client's to
// claim: a pty request of 4294967295 columns would have the server
// allocate until it died. 400×200 is more than any screen shows in a
// readable font; a bigger window gets a 400×200 tutor in its corner.
const (
	maxColumns = 400
	maxRows    = 200
)

// clampWindow bounds a client's window to what a session may cost, and
// gives a zero size (some clients send one) one cell.
func clampWindow(w ssh.Window) ssh.Window {
	w.Width = min(max(w.Width, 1), maxColumns)
	w.Height = min(max(w.Height, 1), maxRows)
	return w
}
