package labs

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"serverside/labs/testdata/refserver"
)

// serialListener hands the server one connection at a time: the next is
// accepted only once the last one closed, as a single-threaded server does.
type serialListener struct {
	net.Listener
	turn chan struct{}
}

type serialConn struct {
	net.Conn
	once sync.Once
	turn chan struct{}
}

func (c *serialConn) Close() error {
	c.once.Do(func() { c.turn <- struct{}{} })
	return c.Conn.Close()
}

func (l *serialListener) Accept() (net.Conn, error) {
	<-l.turn
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &serialConn{Conn: c, turn: l.turn}, nil
}

// oneAtATime serves h one connection at a time, each request taking a
// while, like Python's stock http.server under load.
func oneAtATime(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sl := &serialListener{Listener: ln, turn: make(chan struct{}, 1)}
	sl.turn <- struct{}{}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		h.ServeHTTP(w, r)
	})}
	go srv.Serve(sl)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// Under 50 requests at once a server that serves one connection at a time
// times out, and the failure names the likely causes.
func TestConcurrencyFailureNamesTheCauses(t *testing.T) {
	for _, c := range []struct {
		name  string
		h     http.Handler
		stage func(*checkClient) error
	}{
		{"rest", refserver.RESTResource(""), func(c *checkClient) error { return restConcurrency(t.Context(), c) }},
		{"kv", refserver.KV(""), func(c *checkClient) error { return kvConcurrent(t.Context(), c) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			addr := oneAtATime(t, c.h)
			err := c.stage(&checkClient{addr: addr, timeout: 300 * time.Millisecond})
			f, ok := err.(*Failure)
			if !ok {
				t.Fatalf("err = %v", err)
			}
			text := f.Text()
			for _, want := range []string{"no complete response within", "Hint:", "one connection at a time", "listen backlog", "ThreadingHTTPServer"} {
				if !strings.Contains(text, want) {
					t.Errorf("failure lacks %q:\n%s", want, text)
				}
			}
		})
	}
}

// A wrong answer under load is not blamed on the server's concurrency.
func TestWrongAnswerUnderLoadHasNoHint(t *testing.T) {
	f := &Failure{Step: "x", Expected: "201", Got: "HTTP/1.1 500 Internal Server Error\r\n\r\n"}
	if withLoadHint(f, 50).(*Failure).Hint != "" {
		t.Fatal("a 500 got the load hint")
	}
}
