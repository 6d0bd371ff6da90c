package cli

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"time"

	"github.com/adrg/xdg"
	"github.com/spf13/cobra"
	gossh "golang.org/x/crypto/ssh"

	"serverside/server"
	"serverside/tui"
	"serverside/watch"
)

// serveFlags are serve's own flags.
type serveFlags struct {
	listen      string
	hostKey     string
	learners    string
	instructors string
	maxSessions int
	idle        time.Duration
}

func newServeCmd(g *globals) *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the tutor over SSH to a classroom",
		Long: "serve runs a classroom: every learner connects with ssh from any terminal and gets the\n" +
			"tutor with their own progress, known by their SSH key. A key seen for the first time is\n" +
			"asked for a name and is that learner from then on. --learners (authorized_keys format)\n" +
			"limits who may join; without it any key may enrol, which the start-up banner says.\n" +
			"Keys in --instructors also get the class view. Two serve processes on different hosts\n" +
			"or ports can share one PostgreSQL --db behind any TCP load balancer.\n\n" +
			// Not an Example: examples are run by the tests, and serve runs
			// until stopped.
			"Try it on this machine with `serverside serve --db ~/class/progress.db`; for a room,\n" +
			"add --listen 0.0.0.0:2222 --learners class.keys --instructors me.keys.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().Changed("user") {
				return errors.New("serve takes no --user: each learner is their SSH key, and names themselves on first connecting")
			}
			return runServe(cmd, g, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", "127.0.0.1:2222", "the `ADDRESS` to listen on (host:port; 0.0.0.0:2222 for every interface)")
	fl.StringVar(&f.hostKey, "host-key", "", "the server's private host key `FILE`, generated on first start (default $XDG_DATA_HOME/serverside/ssh_host_ed25519_key)")
	fl.StringVar(&f.learners, "learners", "", "only the keys in this authorized_keys `FILE` may join (default: any key may enrol)")
	fl.StringVar(&f.instructors, "instructors", "", "keys in this authorized_keys `FILE` get the class view beside their own tutor")
	fl.IntVar(&f.maxSessions, "max-sessions", 200, "how many terminals may be open at once; one more is told the room is full")
	fl.DurationVar(&f.idle, "idle", 30*time.Minute, "close a session after this long without a key (for example 30m, 2h)")
	return cmd
}

func runServe(cmd *cobra.Command, g *globals, f serveFlags) error {
	ctx := cmd.Context()
	if f.maxSessions < 1 {
		return fmt.Errorf("--max-sessions %d: must be 1 or more", f.maxSessions)
	}
	if f.idle <= 0 {
		return fmt.Errorf("--idle %v: must be more than 0 (for example 30m)", f.idle)
	}
	if f.hostKey == "" {
		f.hostKey = filepath.Join(xdg.DataHome, "serverside", "ssh_host_ed25519_key")
	}
	hostKey, err := server.HostKey(f.hostKey)
	if err != nil {
		return err
	}
	var learners, instructors server.KeySet
	if f.learners != "" {
		if learners, err = server.ReadKeys(f.learners); err != nil {
			return fmt.Errorf("--learners: %w", err)
		}
	}
	if f.instructors != "" {
		if instructors, err = server.ReadKeys(f.instructors); err != nil {
			return fmt.Errorf("--instructors: %w", err)
		}
	}

	var course tui.CourseSource
	courseName := "the built-in course"
	if g.lessonsDir == "" {
		c, _, err := g.LoadCourse()
		if err != nil {
			return err
		}
		course = tui.StaticCourse(c)
	} else {
		hub, err := watch.Start(ctx, g.lessonsDir, watch.Options{})
		if err != nil {
			return fmt.Errorf("%w\n  pass --lessons a folder of lesson files, or leave it out to use the built-in course", err)
		}
		if first := hub.Current(); first.Err != nil {
			return first.Err
		}
		course, courseName = hub, g.lessonsDir+" (watched: saved edits reach every learner)"
	}

	backend, where, err := openBackend(ctx, g.DBPath(), false)
	if err != nil {
		return err
	}
	defer backend.Close()

	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return fmt.Errorf("--listen %s: %w (is another serve running there? pick another port)", f.listen, err)
	}
	srv, err := server.New(server.Config{
		Backend: backend, Course: course, HostKey: hostKey,
		Learners: learners, Instructors: instructors,
		MaxSessions: f.maxSessions, Idle: f.idle, NewPerDay: g.newPerDay,
		Log: cmd.ErrOrStderr(),
	})
	if err != nil {
		_ = ln.Close()
		return err
	}
	fmt.Fprint(cmd.ErrOrStderr(), serveBanner(ln.Addr().String(), f, hostKey, learners, instructors, where, courseName))
	err = srv.Serve(ctx, ln)
	fmt.Fprintln(cmd.ErrOrStderr(), "The classroom is closed; every answer is saved.")
	return err
}

// serveBanner says where the classroom is, how to join and who may.
func serveBanner(addr string, f serveFlags, hostKey gossh.Signer, learners, instructors server.KeySet, where, course string) string {
	host, port, _ := net.SplitHostPort(addr)
	join := "ssh -p " + port + " " + host
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		join = "ssh -p " + port + " THIS-HOST"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "serverside classroom on %s\n", addr)
	fmt.Fprintf(&b, "  learners join with: %s\n", join)
	if learners == nil {
		fmt.Fprintf(&b, "  enrolment is OPEN: any SSH key may join and pick a name (pass --learners FILE to limit it)\n")
	} else {
		fmt.Fprintf(&b, "  enrolment: the %s in %s", keysCount(len(learners)), f.learners)
		if len(instructors) > 0 {
			fmt.Fprintf(&b, " and the instructors'")
		}
		fmt.Fprintln(&b)
	}
	if len(instructors) > 0 {
		verb := "get"
		if len(instructors) == 1 {
			verb = "gets"
		}
		fmt.Fprintf(&b, "  instructors: the %s in %s %s the class view (i on the map)\n", keysCount(len(instructors)), f.instructors, verb)
	}
	fmt.Fprintf(&b, "  host key: %s (%s)\n", gossh.FingerprintSHA256(hostKey.PublicKey()), f.hostKey)
	fmt.Fprintf(&b, "  progress: %s\n  course: %s\n", where, course)
	fmt.Fprintf(&b, "  up to %d sessions, each closed after %v without a key; Ctrl+C or SIGTERM closes the class (answers are saved)\n",
		f.maxSessions, f.idle)
	return b.String()
}

func keysCount(n int) string {
	if n == 1 {
		return "1 key"
	}
	return fmt.Sprintf("%d keys", n)
}
