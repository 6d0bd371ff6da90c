// Package server is the classroom: it serves the tutor over SSH, one
// terminal a learner, every learner known by their public key. A key seen
// for the first time is asked for a name and is that learner from then on;
// each session gets its own tui program on its own terminal (size, TERM,
// colours and NO_COLOR are the client's), all sharing one course, one
// render cache and one progress store. Instructors' keys also get the
// class view. Limits keep one session from costing the others: a cap on
// sessions, an idle timeout, and a bound on how long a write to a client
// that stopped reading may block; and one client from holding the room:
// caps on terminals per key and channels per connection, a connection
// with no terminal closed, and only the environment a session reads kept
// (limits.go).
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/recover"
	gossh "golang.org/x/crypto/ssh"

	"serverside/progress"
	"serverside/tui"
)

// Config is what a classroom serves and how.
type Config struct {
	Backend progress.Backend
	Course  tui.CourseSource
	HostKey gossh.Signer
	// Learners are the keys that may join; nil lets any key enrol.
	Learners KeySet
	// Instructors' keys may join too, and get the class view.
	Instructors KeySet
	// MaxSessions is how many terminals may be open at once (default 200);
	// one more is told the room is full.
	MaxSessions int
	// Idle closes a session after this long without a key (default 30m).
	Idle time.Duration
	// NoTerminal closes a connection that has had no terminal open for
	// this long since it logged in or its last terminal ended (default
	// 30s): one that only holds a seat, as ssh -N does.
	NoTerminal time.Duration
	// WriteTimeout is how long a write to a client may block before its
	// connection is closed (default 30s): a client that stopped reading.
	WriteTimeout time.Duration
	// StoreTimeout bounds each store call (default 10s).
	StoreTimeout time.Duration
	// ClassRefresh is how often the class view rereads the store even when
	// nothing changed on this host (default 3s).
	ClassRefresh time.Duration
	// ShutdownGrace is how long sessions get to save and end when the
	// server stops (default 3s) before their connections are cut.
	ShutdownGrace time.Duration
	NewPerDay     int
	// Log receives one line per session start, end and refusal; nil
	// discards them.
	Log io.Writer
}

// Server is a classroom ready to serve.
type Server struct {
	cfg     Config
	ssh     *ssh.Server
	room    *room
	class   *classView
	renders *tui.RenderCache

	sessions atomic.Int64   // terminals open
	seats    keySeats       // terminals open with each key
	conns    atomic.Int64   // connections open, authenticated or not
	active   sync.WaitGroup // session handlers running
	writes   sync.WaitGroup // store writes in flight

	// stop ends every session's program; stopping tells the handlers why.
	// gate orders a session's start against the shutdown's wait for
	// sessions: one starting after it is refused.
	stop     context.Context
	stopNow  context.CancelFunc
	stopping atomic.Bool
	gate     sync.Mutex
	logMu    sync.Mutex
}

// maxPending bounds connections that have not authenticated yet or hold no
// session, beyond MaxSessions: a burst of connection attempts costs
// handshakes only up to there, and the rest are closed at once. None holds
// its place for long: the handshake has HandshakeTimeout, a connection
// without a terminal NoTerminal.
const maxPending = 64

// New checks the configuration and builds the server.
func New(cfg Config) (*Server, error) {
	switch {
	case cfg.Backend == nil:
		return nil, errors.New("server: no progress store")
	case cfg.Course == nil:
		return nil, errors.New("server: no course")
	case cfg.HostKey == nil:
		return nil, errors.New("server: no host key")
	case cfg.MaxSessions < 0:
		return nil, fmt.Errorf("--max-sessions %d: must be 1 or more", cfg.MaxSessions)
	case cfg.Idle < 0:
		return nil, fmt.Errorf("--idle %v: must be positive", cfg.Idle)
	}
	if cfg.MaxSessions == 0 {
		cfg.MaxSessions = 200
	}
	if cfg.Idle == 0 {
		cfg.Idle = 30 * time.Minute
	}
	if cfg.NoTerminal <= 0 {
		cfg.NoTerminal = 30 * time.Second
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 30 * time.Second
	}
	if cfg.StoreTimeout <= 0 {
		cfg.StoreTimeout = 10 * time.Second
	}
	if cfg.ClassRefresh <= 0 {
		cfg.ClassRefresh = 3 * time.Second
	}
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = 3 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	s := &Server{cfg: cfg, room: newRoom(), renders: tui.NewRenderCache()}
	s.class = &classView{room: s.room, backend: cfg.Backend, refresh: cfg.ClassRefresh}
	s.stop, s.stopNow = context.WithCancel(context.Background())
	// wish builds the SSH server; the session handler is a wish middleware
	// under wish's recover middleware, so a panic in one session is logged
	// and ends that session, never the classroom.
	srv, err := wish.NewServer(
		wish.WithVersion("serverside"),
		// Only public keys: the key is the learner. No password and no
		// keyboard-interactive handler is set, so neither is offered.
		wish.WithPublicKeyAuth(s.allowed),
		wish.WithMiddleware(recover.MiddlewareWithLogger(s, func(next ssh.Handler) ssh.Handler {
			return func(sess ssh.Session) {
				defer s.terminalOpen(sess)()
				s.handle(sess)
				next(sess)
			}
		})),
		func(srv *ssh.Server) error {
			srv.HostSigners = []ssh.Signer{cfg.HostKey}
			// Long enough for a learner to type their key's passphrase (OpenSSH
			// asks for it during authentication), short enough that a
			// connection that never finishes cannot keep a pending slot.
			srv.HandshakeTimeout = 45 * time.Second
			srv.ConnCallback = s.admit
			srv.ServerConfigCallback = s.serverConfig
			// A session channel's requests keep only the environment a
			// session reads, and a connection has few channels at once.
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.sessionChannel(ssh.DefaultSessionHandler)}
			// Nothing but a terminal session: no port forwarding (the
			// server never dials anything for a learner), no subsystems.
			srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{}
			srv.RequestHandlers = map[string]ssh.RequestHandler{}
			return nil
		},
	)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	s.ssh = srv
	return s, nil
}

// allowed lets a key in when there is no list of learners, or it is on it
// or on the instructors' list; a refused key is told and logged.
func (s *Server) allowed(ctx ssh.Context, key ssh.PublicKey) bool {
	fp := gossh.FingerprintSHA256(key)
	ok := s.cfg.Learners == nil || s.cfg.Learners[fp] || s.cfg.Instructors[fp]
	if l := limitsOf(ctx); l != nil {
		if ok {
			l.admitted()
		} else {
			l.refuse(fp)
		}
	}
	return ok
}

// admit counts connections and closes one beyond what the room can hold
// before any handshake work is spent on it.
func (s *Server) admit(ctx ssh.Context, c net.Conn) net.Conn {
	if s.stopping.Load() || s.conns.Load() >= int64(s.cfg.MaxSessions+maxPending) {
		s.logf("refused %s: too many connections", c.RemoteAddr())
		return nil
	}
	s.conns.Add(1)
	cc := &countedConn{Conn: c}
	l := s.track(ctx, cc)
	cc.done = func() {
		s.conns.Add(-1)
		l.end()
	}
	return cc
}

type countedConn struct {
	net.Conn
	once sync.Once
	done func()
}

func (c *countedConn) Close() error {
	c.once.Do(c.done)
	return c.Conn.Close()
}

// Serve serves the classroom on ln until ctx is done, then shuts down:
// every session is told and ends (saving the learner's place), every
// answer already submitted is stored, and Serve returns within
// ShutdownGrace plus a second. The caller closes the store after.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	served := make(chan error, 1)
	go func() { served <- s.ssh.Serve(ln) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-served:
		if errors.Is(err, ssh.ErrServerClosed) {
			err = nil
		}
	}
	_ = ln.Close()
	s.shutdown()
	return err
}

func (s *Server) shutdown() {
	s.gate.Lock()
	s.stopping.Store(true)
	s.gate.Unlock()
	s.stopNow() // every session's program quits and saves
	ended := make(chan struct{})
	go func() {
		s.active.Wait()
		close(ended)
	}()
	select {
	case <-ended:
	case <-time.After(s.cfg.ShutdownGrace):
		s.logf("shutdown: %d sessions still ending after %v; closing their connections", s.Sessions(), s.cfg.ShutdownGrace)
	}
	// The clients hold their connections open after their sessions end:
	// close them all, with the listeners.
	_ = s.ssh.Close()
	stored := make(chan struct{})
	go func() {
		s.writes.Wait()
		close(stored)
	}()
	select {
	case <-stored:
	case <-time.After(time.Second):
		s.logf("shutdown: answers still being stored after %v", s.cfg.ShutdownGrace+time.Second)
	}
}

// Sessions is how many terminals are open now.
func (s *Server) Sessions() int { return int(s.sessions.Load()) }

// Class is the class view the instructors' sessions get.
func (s *Server) Class() tui.Class { return s.class }

// Printf logs for wish's recover middleware: a session's panic and its
// stack.
func (s *Server) Printf(format string, args ...any) { s.logf(format, args...) }

func (s *Server) logf(format string, args ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.cfg.Log, time.Now().Format("15:04:05 ")+format+"\n", args...)
}
