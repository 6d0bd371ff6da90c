package server

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// What one connection or one key may hold, so that no client takes the
// seats or the memory the room is for.
const (
	// terminalsPerKey is how many terminals one key may have open at
	// once: a learner with a second window is welcome, a key taking the
	// room is not.
	terminalsPerKey = 3
	// channelsPerConn is how many session channels one connection may
	// have open at once, with or without a terminal in them.
	channelsPerConn = 4
	// envKept is how many env requests a session keeps; envValueMax is
	// the longest value kept. The library keeps every one it is sent.
	envKept     = 16
	envValueMax = 256
	// refusalsLogged is how many refused keys a connection's log line
	// names; a client gets six tries before it is cut off anyway.
	refusalsLogged = 6
)

// sessionEnv is the environment a session may set: what its terminal is
// and how the learner reads (colour, time zone, language). Nothing else
// is read, so nothing else is kept.
var sessionEnv = map[string]bool{
	"TERM": true, "NO_COLOR": true, "COLORTERM": true, "TZ": true, "LANG": true, "LC_ALL": true,
}

// limitsKey is where admit puts a connection's limits in its ssh.Context,
// which every callback and channel of that connection is given.
type limitsKey struct{}

// connLimits is what one connection holds: its channels and terminals, the
// keys refused on it, and the clock that closes it when it holds no
// terminal.
type connLimits struct {
	s      *Server
	conn   net.Conn // closing it ends the connection
	remote string

	mu        sync.Mutex
	channels  int
	terminals int
	authed    bool
	ended     bool
	idle      *time.Timer
	gen       int // which arming of idle may still close the connection
	refused   []string
	preAuth   gossh.ServerPreAuthConn
}

// track starts keeping count of conn, reachable from ctx.
func (s *Server) track(ctx ssh.Context, conn net.Conn) *connLimits {
	l := &connLimits{s: s, conn: conn, remote: conn.RemoteAddr().String()}
	ctx.SetValue(limitsKey{}, l)
	return l
}

func limitsOf(ctx ssh.Context) *connLimits {
	if ctx == nil {
		return nil
	}
	l, _ := ctx.Value(limitsKey{}).(*connLimits)
	return l
}

// serverConfig keeps each connection's pre-authentication handle, so a
// refused key can be told why (an authentication banner) while public
// keys stay the only way in.
func (s *Server) serverConfig(ctx ssh.Context) *gossh.ServerConfig {
	l := limitsOf(ctx)
	return &gossh.ServerConfig{PreAuthConnCallback: func(c gossh.ServerPreAuthConn) {
		if l != nil {
			l.mu.Lock()
			l.preAuth = c
			l.mu.Unlock()
		}
	}}
}

// admitted is a key accepted: from now the connection has NoTerminal to
// open a terminal. Before, the handshake timeout bounds it.
func (l *connLimits) admitted() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.authed = true
	if l.idle == nil && l.terminals == 0 && !l.ended {
		l.arm()
	}
}

// refuse notes a key not on the lists, and tells the client in an
// authentication banner, which OpenSSH prints above its "Permission
// denied".
func (l *connLimits) refuse(fp string) {
	l.mu.Lock()
	for _, r := range l.refused {
		if r == fp {
			l.mu.Unlock()
			return
		}
	}
	if len(l.refused) < refusalsLogged {
		l.refused = append(l.refused, fp)
	}
	c := l.preAuth
	l.mu.Unlock()
	if c != nil {
		_ = c.SendAuthBanner("serverside: key " + fp + " is not on this classroom's list; send its .pub file to the instructor.\n")
	}
}

// arm starts the clock that closes a connection without a terminal; the
// caller holds mu.
func (l *connLimits) arm() {
	l.disarm()
	gen := l.gen
	l.idle = time.AfterFunc(l.s.cfg.NoTerminal, func() { l.expire(gen) })
}

// disarm stops the clock; the caller holds mu. A firing already under
// way finds gen moved on and does nothing.
func (l *connLimits) disarm() {
	if l.idle != nil {
		l.idle.Stop()
		l.idle = nil
	}
	l.gen++
}

func (l *connLimits) expire(gen int) {
	l.mu.Lock()
	stale := gen != l.gen || l.ended || l.terminals > 0
	l.mu.Unlock()
	if stale {
		return
	}
	l.s.logf("closed %s: no terminal open for %v", l.remote, l.s.cfg.NoTerminal)
	_ = l.conn.Close()
}

func (l *connLimits) terminalStarted() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.terminals++
	l.disarm()
}

func (l *connLimits) terminalEnded() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.terminals--
	if l.terminals == 0 && !l.ended {
		l.arm()
	}
}

// end is the connection closed: the clock stops, and a connection that
// never got in logs the keys it was refused, so the instructor can add
// the right one.
func (l *connLimits) end() {
	l.mu.Lock()
	l.ended = true
	l.disarm()
	refused := !l.authed && len(l.refused) > 0
	keys := strings.Join(l.refused, " ")
	l.mu.Unlock()
	if refused {
		l.s.logf("refused %s: not in --learners or --instructors: %s", l.remote, keys)
	}
}

// terminalOpen marks sess's connection as holding a terminal until the
// returned func is called.
func (s *Server) terminalOpen(sess ssh.Session) func() {
	l := limitsOf(sess.Context())
	if l == nil {
		return func() {}
	}
	l.terminalStarted()
	return l.terminalEnded
}

// sessionChannel wraps the library's session channel handler: at most
// channelsPerConn open on a connection, and only the environment a session
// reads kept from its requests.
func (s *Server) sessionChannel(next ssh.ChannelHandler) ssh.ChannelHandler {
	return func(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
		if l := limitsOf(ctx); l != nil {
			l.mu.Lock()
			full := l.channels >= channelsPerConn
			if !full {
				l.channels++
			}
			l.mu.Unlock()
			if full {
				_ = nc.Reject(gossh.ResourceShortage, fmt.Sprintf("serverside: at most %d sessions on one connection", channelsPerConn))
				return
			}
			defer func() {
				l.mu.Lock()
				l.channels--
				l.mu.Unlock()
			}()
		}
		next(srv, conn, envFilter{nc}, ctx)
	}
}

// envFilter is a new session channel whose requests pass through
// keepEnv.
type envFilter struct{ gossh.NewChannel }

func (c envFilter) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := c.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go keepEnv(reqs, out)
	return ch, out, nil
}

// keepEnv passes every request on in order, except env requests beyond
// the first envKept acceptable ones, or naming a variable a session does
// not read, or with a value longer than envValueMax: those are answered
// no and dropped. It closes out when in closes, as the library expects.
func keepEnv(in <-chan *gossh.Request, out chan<- *gossh.Request) {
	defer close(out)
	kept := 0
	for req := range in {
		if req.Type == "env" {
			var kv struct{ Key, Value string }
			if kept >= envKept || gossh.Unmarshal(req.Payload, &kv) != nil ||
				!sessionEnv[kv.Key] || len(kv.Value) > envValueMax {
				_ = req.Reply(false, nil)
				continue
			}
			kept++
		}
		out <- req
	}
}

// keySeats counts the terminals open with each key.
type keySeats struct {
	mu   sync.Mutex
	open map[string]int
}

// keySeat takes one of sess's key's terminalsPerKey seats, or tells the
// session in one line that the key has them all and ends it (ok false).
func (s *Server) keySeat(sess ssh.Session) (release func(), ok bool) {
	key := sess.PublicKey()
	if key == nil {
		return func() {}, true
	}
	fp := gossh.FingerprintSHA256(key)
	s.seats.mu.Lock()
	if s.seats.open == nil {
		s.seats.open = map[string]int{}
	}
	full := s.seats.open[fp] >= terminalsPerKey
	if !full {
		s.seats.open[fp]++
	}
	s.seats.mu.Unlock()
	if full {
		s.logf("refused %s (%s): %d terminals already open with this key", sess.RemoteAddr(), fp, terminalsPerKey)
		s.say(sess, fmt.Sprintf("This key already has %d terminals open in the classroom; close one of them first.", terminalsPerKey))
		_ = sess.Exit(1)
		return nil, false
	}
	return func() {
		s.seats.mu.Lock()
		defer s.seats.mu.Unlock()
		if s.seats.open[fp]--; s.seats.open[fp] <= 0 {
			delete(s.seats.open, fp)
		}
	}, true
}
