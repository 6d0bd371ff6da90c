package main

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"path/filepath"

	"github.com/adrg/xdg"
	"github.com/spf13/cobra"

	"serverside/lessons"
	"serverside/progress"
)

// globals holds the flags every command takes and resolves them.
type globals struct {
	lessonsDir string
	dbPath     string
	user       string
	theme      string
	newPerDay  int
}

func (g *globals) bind(root *cobra.Command) {
	f := root.PersistentFlags()
	f.StringVar(&g.lessonsDir, "lessons", "", "use the course in this directory instead of the built-in one (watched for changes)")
	f.StringVar(&g.dbPath, "db", "", "progress database file (default $XDG_DATA_HOME/serverside/progress.db)")
	f.StringVar(&g.user, "user", "", "whose progress to use (default: the profile last chosen in the tutor, else your login name)")
	f.IntVar(&g.newPerDay, "new-per-day", 20, "how many questions enter review for the first time each day (-1: no cap)")
	f.StringVar(&g.theme, "theme", "auto", "colours: auto, dark, light, contrast or plain (NO_COLOR and TERM=dumb mean plain)")
}

// UserName is --user, or the profile last chosen in the tutor, or the
// login name, or "learner".
func (g *globals) UserName() string {
	if g.user != "" {
		return g.user
	}
	if name := readLastProfile(g.DBPath()); name != "" {
		return name
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if n := os.Getenv("USER"); n != "" {
		return n
	}
	return "learner"
}

// DBPath is --db or the per-user data file.
func (g *globals) DBPath() string {
	if g.dbPath != "" {
		return g.dbPath
	}
	return filepath.Join(xdg.DataHome, "serverside", "progress.db")
}

// OpenStore opens the progress database.
func (g *globals) OpenStore(ctx context.Context) (*progress.Store, error) {
	return progress.Open(ctx, g.DBPath())
}

// LoadCourse loads --lessons or the built-in course. Broken lessons are
// kept out of the course (and listed in Broken); their problems are
// returned for whoever wants to show them.
func (g *globals) LoadCourse() (*lessons.Course, []lessons.Problem, error) {
	if g.lessonsDir == "" {
		c, probs := lessons.Default()
		return c, probs, nil
	}
	c, probs, err := lessons.LoadDir(g.lessonsDir)
	if err != nil {
		return nil, nil, fmt.Errorf("%w\n  pass --lessons a folder of lesson files, or leave it out to use the built-in course", err)
	}
	return c, probs, nil
}

// openCourseAndStore loads the course and opens the progress database, as
// most commands need both. The caller closes the store.
func (g *globals) openCourseAndStore(ctx context.Context) (*lessons.Course, *progress.Store, error) {
	course, _, err := g.LoadCourse()
	if err != nil {
		return nil, nil, err
	}
	store, err := g.OpenStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	return course, store, nil
}
