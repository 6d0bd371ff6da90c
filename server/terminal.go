package server

import (
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// input reads a session's keys on one goroutine and hands them to one
// program at a time. The name prompt and the tutor run one after the
// other on the same session: a reader blocked in the first program's
// Read must not swallow the first key meant for the second, so each
// program reads through its own view, and ending the view gives back
// whatever it took.
type input struct {
	ch   chan []byte // chunks read from the session; closed at EOF
	mu   sync.Mutex  // one view reads at a time
	rest []byte      // the part of a chunk no view has read yet
	last atomic.Int64
}

// maxChunk bounds one read from the client: a paste arrives in pieces.
const maxChunk = 4 << 10

func newInput(r io.Reader) *input {
	in := &input{ch: make(chan []byte)}
	in.last.Store(time.Now().UnixNano())
	go func() {
		defer close(in.ch)
		for {
			buf := make([]byte, maxChunk)
			n, err := r.Read(buf)
			if n > 0 {
				in.last.Store(time.Now().UnixNano())
				in.ch <- buf[:n]
			}
			if err != nil {
				return
			}
		}
	}()
	return in
}

// idleFor is how long ago the client last sent anything.
func (in *input) idleFor(now time.Time) time.Duration {
	return now.Sub(time.Unix(0, in.last.Load()))
}

// view is one program's reader; end stops it, and a Read blocked in it
// returns io.EOF.
func (in *input) view() *inputView {
	return &inputView{in: in, done: make(chan struct{})}
}

type inputView struct {
	in   *input
	done chan struct{}
	once sync.Once
}

func (v *inputView) end() { v.once.Do(func() { close(v.done) }) }

func (v *inputView) Read(p []byte) (int, error) {
	in := v.in
	in.mu.Lock()
	defer in.mu.Unlock()
	select {
	case <-v.done:
		return 0, io.EOF
	default:
	}
	if len(in.rest) > 0 {
		n := copy(p, in.rest)
		in.rest = in.rest[n:]
		return n, nil
	}
	select {
	case <-v.done:
		return 0, io.EOF
	case b, ok := <-in.ch:
		if !ok {
			return 0, io.EOF
		}
		select {
		case <-v.done:
			in.rest = b // for the next program
			return 0, io.EOF
		default:
		}
		n := copy(p, b)
		in.rest = b[n:]
		return n, nil
	}
}

// stallWriter bounds how long one write to a client may block. A client
// that stops reading fills its SSH window, and then every write to it
// blocks: its own program stops (so its memory stays where it was), and
// after timeout the connection is closed, which ends the write, the
// program and the session. Other sessions never wait on it.
type stallWriter struct {
	w       io.Writer
	timeout time.Duration
	stalled func() // closes the connection
	tripped atomic.Bool
	sent    atomic.Int64
}

func (s *stallWriter) Write(p []byte) (int, error) {
	t := time.AfterFunc(s.timeout, func() {
		s.tripped.Store(true)
		s.stalled()
	})
	n, err := s.w.Write(p)
	t.Stop()
	s.sent.Add(int64(n))
	return n, err
}
