package server

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"serverside/progress/sqlite"
)

// e2eTmux drives OpenSSH's ssh in a tmux window of its own server.
type e2eTmux struct {
	t      *testing.T
	socket string
}

func (tm *e2eTmux) run(args ...string) string {
	tm.t.Helper()
	cmd := exec.Command("tmux", append([]string{"-L", tm.socket}, args...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		tm.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

func (tm *e2eTmux) capture() string { return tm.run("capture-pane", "-p", "-t", "e2e") }

func (tm *e2eTmux) waitFor(what string, ok func(string) bool) string {
	tm.t.Helper()
	deadline := time.Now().Add(wait)
	for {
		s := tm.capture()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("waiting for %s: not on screen after %v; the screen:\n%s", what, wait, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (tm *e2eTmux) waitText(text string) string {
	tm.t.Helper()
	return tm.waitFor(fmt.Sprintf("%q", text), func(s string) bool { return strings.Contains(s, text) })
}

// The classroom as a person uses it: `serverside serve` started as the
// README says, OpenSSH's ssh from a tmux window, a name entered, a lesson
// opened, a question answered, quit; then the same key again, straight to
// the progress it left; then SIGTERM closes the class.
func TestEndToEndOpenSSH(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	for _, tool := range []string{"tmux", "ssh"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("end-to-end test skipped: %s is not installed (it drives OpenSSH's ssh in tmux)", tool)
		}
	}
	dir := t.TempDir()
	bin := buildServerside(t, dir)

	// The learner's key, as ssh-keygen would write it.
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "e2e")
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "id_ed25519")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}

	db := filepath.Join(dir, "progress.db")
	srv := startServe(t, bin, dir, "--listen", "127.0.0.1:0", "--db", db)
	p := srv.port
	if info, err := os.Stat(filepath.Join(dir, "data", "serverside", "ssh_host_ed25519_key")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the host key in the XDG data folder: %v, %v; want a 0600 file", info, err)
	}

	tm := &e2eTmux{t: t, socket: "serverside-serve-e2e-" + filepath.Base(dir)}
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", tm.socket, "kill-server").Run() })
	sshCmd := fmt.Sprintf("ssh -p %s -i %s -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes localhost; sleep 600", p, keyFile)
	tm.run("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24", sshCmd)

	first := builtin().Lessons()[0]
	tm.waitText("Welcome to the classroom")
	tm.run("send-keys", "-t", "e2e", "C-u")
	tm.run("send-keys", "-t", "e2e", "-l", "Ada Lovelace")
	tm.waitText("> Ada Lovelace")
	tm.run("send-keys", "-t", "e2e", "Enter")
	tm.waitText(first.Title)
	tm.run("send-keys", "-t", "e2e", "Enter")
	tm.waitFor("the lesson, rendered", func(s string) bool { return percentRe.MatchString(s) && strings.Contains(s, first.Title) })
	tm.run("send-keys", "-t", "e2e", "Enter")
	tm.waitText(fmt.Sprintf("Question 1 of %d", len(first.Questions)))
	tm.run("send-keys", "-t", "e2e", "-l", answerKeys(first.Questions[0]))
	tm.run("send-keys", "-t", "e2e", "Enter")
	tm.waitText("✓ Right.")
	tm.run("send-keys", "-t", "e2e", "C-c")
	tm.waitText("See you next time, Ada Lovelace.")

	// The same key again: no name asked, the lesson in progress.
	tm.run("respawn-pane", "-k", "-t", "e2e", sshCmd)
	screen := tm.waitText("continue " + first.Title)
	if strings.Contains(screen, "Welcome to the classroom") || !strings.Contains(screen, "Ada Lovelace") {
		t.Errorf("the returning key's first screen is not Ada's map:\n%s", screen)
	}
	tm.run("send-keys", "-t", "e2e", "q")
	tm.waitText("See you next time, Ada Lovelace.")

	// SIGTERM closes the class with someone in it; they are told.
	tm.run("respawn-pane", "-k", "-t", "e2e", sshCmd)
	tm.waitText("continue " + first.Title)
	srv.terminate()
	tm.waitText("The classroom is closing. Your progress is saved.")
	if !strings.Contains(srv.banner, "enrolment is OPEN") {
		t.Errorf("the banner does not say enrolment is open:\n%s", srv.banner)
	}

	store, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	c := &testClass{t: t, backend: store, course: builtin()}
	checkOneAnswer(t, c, "Ada Lovelace")
}

// buildServerside builds the serverside binary into dir.
func buildServerside(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "serverside")
	build := exec.Command("go", "build", "-o", bin, "serverside")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// serveProcess is `serverside serve` running as its own process.
type serveProcess struct {
	t       *testing.T
	cmd     *exec.Cmd
	port    string
	banner  string
	log     *syncBuffer
	exited  chan error
	stopped bool // terminate saw it exit
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) WriteString(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.b.WriteString(s)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// startServe starts bin serve with args, its XDG folders in dir, and waits
// for the banner's address; the process is killed if the test leaves it.
func startServe(t *testing.T, bin, dir string, args ...string) *serveProcess {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+filepath.Join(dir, "data"), "XDG_CONFIG_HOME="+filepath.Join(dir, "config"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sp := &serveProcess{t: t, cmd: cmd, log: &syncBuffer{}, exited: make(chan error, 1)}
	t.Cleanup(func() {
		if !sp.stopped {
			_ = cmd.Process.Kill()
			<-sp.exited
		}
	})
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		joinRe := regexp.MustCompile(`learners join with: ssh -p (\d+) `)
		for sc.Scan() {
			sp.log.WriteString(sc.Text() + "\n")
			if m := joinRe.FindStringSubmatch(sc.Text()); m != nil {
				port <- m[1]
			}
		}
		sp.exited <- cmd.Wait()
	}()
	select {
	case sp.port = <-port:
	case err := <-sp.exited:
		t.Fatalf("serve exited (%v) before it served; it said:\n%s", err, sp.log.String())
	case <-time.After(wait):
		t.Fatalf("serve printed no address to join; it said:\n%s", sp.log.String())
	}
	// The banner is every line up to the first log line.
	time.Sleep(100 * time.Millisecond)
	sp.banner = sp.log.String()
	return sp
}

// terminate sends SIGTERM and waits for a clean exit.
func (sp *serveProcess) terminate() {
	sp.t.Helper()
	if err := sp.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		sp.t.Fatal(err)
	}
	select {
	case err := <-sp.exited:
		sp.stopped = true
		if err != nil {
			sp.t.Errorf("serve after SIGTERM: %v\n%s", err, sp.log.String())
		}
	case <-time.After(wait):
		sp.t.Fatalf("serve still running %v after SIGTERM", wait)
	}
}
