package server

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// logBuffer is the server's log, kept for a test to read.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// linesWith are the log's lines holding every one of parts.
func (l *logBuffer) linesWith(parts ...string) []string {
	var found []string
	for line := range strings.SplitSeq(l.String(), "\n") {
		all := line != ""
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			found = append(found, line)
		}
	}
	return found
}

// closedByServer waits for the server to close client's connection.
func closedByServer(t *testing.T, client *gossh.Client, what string) {
	t.Helper()
	closed := make(chan struct{})
	go func() {
		_ = client.Wait()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(wait):
		t.Fatalf("%s: still open after %v", what, wait)
	}
}

// A connection that logs in and never opens a terminal (ssh -N) is closed
// after NoTerminal, and so is one whose terminal ended while the client
// stays; a learner reading without pressing a key is not.
func TestConnectionWithoutTerminal(t *testing.T) {
	log := &logBuffer{}
	c := startClass(t, Config{NoTerminal: time.Second, Log: log})
	idle, err := dial(t, c.addr, newSigner(t), "idle")
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	closedByServer(t, idle, "a connection that opened no terminal")
	if got := log.linesWith("closed 127.0.0.1:", "no terminal open for 1s"); len(got) != 1 {
		t.Errorf("log lines about closing it: %q, want one\n%s", got, log)
	}

	tm, err := open(t, c.addr, newSigner(t), dialOpts{user: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	if err := tm.expect("Welcome to the classroom"); err != nil {
		t.Fatal(err)
	}
	// Three times NoTerminal without a key: the terminal keeps it open.
	time.Sleep(3 * time.Second)
	for _, step := range []func() error{
		func() error { return tm.send("\x1b") },
		func() error { return tm.expect("Come back when you have a name in mind.") },
		tm.ended,
	} {
		if err := step(); err != nil {
			t.Fatalf("a learner reading quietly for 3s: %v", err)
		}
	}
	// The session is over, the client holds the connection: it is closed.
	closedByServer(t, tm.client, "a connection whose terminal ended")
	waitUntil(t, "every connection counted closed", func() bool { return c.srv.conns.Load() == 0 })
}

// One connection may have channelsPerConn sessions open at once; one more
// is refused for lack of resources, and a closed one frees its place.
func TestChannelsPerConnection(t *testing.T) {
	c := startClass(t, Config{})
	client, err := dial(t, c.addr, newSigner(t), "many")
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	var sessions []*gossh.Session
	for i := range channelsPerConn {
		s, err := client.NewSession()
		if err != nil {
			t.Fatalf("session %d of %d on one connection: %v", i+1, channelsPerConn, err)
		}
		sessions = append(sessions, s)
	}
	_, err = client.NewSession()
	var refused *gossh.OpenChannelError
	if !errors.As(err, &refused) || refused.Reason != gossh.ResourceShortage {
		t.Errorf("session %d on one connection: %v, want refused for lack of resources", channelsPerConn+1, err)
	}
	_ = sessions[0].Close()
	waitUntil(t, "a session opened after one closed", func() bool {
		s, err := client.NewSession()
		if err == nil {
			sessions[0] = s
		}
		return err == nil
	})
}

// One key may have terminalsPerKey terminals open at once; one more is
// told so in one line and closed, and a place freed lets it in.
func TestTerminalsPerKey(t *testing.T) {
	c := startClass(t, Config{})
	key := newSigner(t)
	fp := gossh.FingerprintSHA256(key.PublicKey())
	var terms []*terminal
	for i := range terminalsPerKey {
		tm, err := open(t, c.addr, key, dialOpts{user: fmt.Sprintf("ada-%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		if err := tm.expect("Welcome to the classroom"); err != nil {
			t.Fatal(err)
		}
		terms = append(terms, tm)
	}
	extra, err := open(t, c.addr, key, dialOpts{user: "ada-extra"})
	if err != nil {
		t.Fatal(err)
	}
	if err := extra.ended(); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("This key already has %d terminals open in the classroom; close one of them first.\r\n", terminalsPerKey)
	if got := extra.out.raw.String(); got != want {
		t.Errorf("a key's terminal %d was told %q, want %q", terminalsPerKey+1, got, want)
	}
	// The refused one's count is undone as its handler returns, just
	// after the client sees it end.
	waitUntil(t, fmt.Sprintf("%d terminals open", terminalsPerKey), func() bool { return c.srv.Sessions() == terminalsPerKey })

	for _, step := range []func() error{
		func() error { return terms[0].send("\x1b") },
		func() error { return terms[0].expect("Come back when you have a name in mind.") },
		terms[0].ended,
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	waitUntil(t, "the key's seat freed", func() bool {
		c.srv.seats.mu.Lock()
		defer c.srv.seats.mu.Unlock()
		return c.srv.seats.open[fp] == terminalsPerKey-1
	})
	again, err := open(t, c.addr, key, dialOpts{user: "ada-again"})
	if err != nil {
		t.Fatal(err)
	}
	if err := again.expect("Welcome to the classroom"); err != nil {
		t.Error(err)
	}
}

// A session keeps only the environment it reads, short values, and few of
// them; the rest are refused, and the terminal works as before.
func TestSessionEnv(t *testing.T) {
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
	kept := 0
	for _, e := range []struct {
		key, value string
		ok         bool
	}{
		{"NO_COLOR", "1", true},
		{"LD_PRELOAD", "/tmp/x.so", false},
		{"GOMEMLIMIT", "1", false},
		{"LANG", strings.Repeat("a", envValueMax+1), false},
		{"LANG", "C.UTF-8", true},
	} {
		err := sess.Setenv(e.key, e.value)
		if (err == nil) != e.ok {
			t.Errorf("env %s (%d bytes): %v, want accepted %v", e.key, len(e.value), err, e.ok)
		}
		if err == nil {
			kept++
		}
	}
	for ; kept < envKept; kept++ {
		if err := sess.Setenv("TZ", "UTC"); err != nil {
			t.Fatalf("env request %d of %d: %v", kept+1, envKept, err)
		}
	}
	if err := sess.Setenv("TZ", "UTC"); err == nil {
		t.Errorf("env request %d accepted, want at most %d", envKept+1, envKept)
	}

	if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	out := &screenLog{done: make(chan struct{}), arrive: make(chan struct{}, 1)}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(out.done)
		_, _ = io.Copy(out, stdout)
	}()
	in, _ := sess.StdinPipe()
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	tm := &terminal{t: t, name: "ada", client: client, sess: sess, in: in, out: out}
	if err := tm.expect("Welcome to the classroom"); err != nil {
		t.Fatal(err)
	}
	if raw := out.raw.String(); strings.Contains(raw, "\x1b[38;") {
		t.Errorf("NO_COLOR was sent, yet the screen has colours: %q", raw[:min(len(raw), 400)])
	}
	if err := sess.WindowChange(30, 100); err != nil {
		t.Errorf("window-change after the env requests: %v", err)
	}
}

// A key not on the lists is refused, told why in an authentication
// banner with its fingerprint, and the server logs one line with the
// fingerprint and the address, so the instructor can add it. A client
// that offers it before a listed key gets in and is not logged.
func TestRefusedKeyTold(t *testing.T) {
	log := &logBuffer{}
	allowed, stranger := newSigner(t), newSigner(t)
	c := startClass(t, Config{Learners: KeySet{gossh.FingerprintSHA256(allowed.PublicKey()): true}, Log: log})
	fp := gossh.FingerprintSHA256(stranger.PublicKey())
	dialBanner := func(keys ...gossh.Signer) (string, error) {
		var mu sync.Mutex
		var banner strings.Builder
		client, err := gossh.Dial("tcp", c.addr, &gossh.ClientConfig{
			User: "x", Auth: []gossh.AuthMethod{gossh.PublicKeys(keys...)},
			HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: wait,
			BannerCallback: func(m string) error {
				mu.Lock()
				defer mu.Unlock()
				banner.WriteString(m)
				return nil
			},
		})
		if err == nil {
			_ = client.Close()
		}
		mu.Lock()
		defer mu.Unlock()
		return banner.String(), err
	}

	banner, err := dialBanner(stranger)
	if err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Errorf("a key not on the list: %v, want refused at authentication", err)
	}
	if !strings.Contains(banner, "key "+fp+" is not on this classroom's list") || strings.Count(banner, "\n") != 1 {
		t.Errorf("the refused client was told %q, want one line naming %s", banner, fp)
	}
	waitUntil(t, "the refusal logged", func() bool { return len(log.linesWith("refused 127.0.0.1:", fp)) > 0 })
	if got := log.linesWith(fp); len(got) != 1 {
		t.Errorf("log lines naming the refused key: %q, want one", got)
	}

	if _, err := dialBanner(stranger, allowed); err != nil {
		t.Fatalf("a client offering a stranger's key, then a listed one: %v", err)
	}
	waitUntil(t, "the connections closed", func() bool { return c.srv.conns.Load() == 0 })
	if got := log.linesWith(fp); len(got) != 1 {
		t.Errorf("a connection that got in with a listed key logged a refusal: %q", got)
	}
}
