package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/adrg/xdg"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"serverside/coursecache"
	"serverside/lessons"
	"serverside/progress"
	"serverside/progress/postgres"
	"serverside/progress/sqlite"
	"serverside/render"
)

// globals holds the flags every command takes and resolves them.
type globals struct {
	lessonsDir string
	dbPath     string
	user       string
	theme      string
	newPerDay  int
}

// globalFlags are the flags every command takes: each can also be set in
// the environment (SERVERSIDE_DB for --db) or in the config file.
var globalFlags = map[string]bool{"lessons": true, "db": true, "user": true, "theme": true, "new-per-day": true}

func (g *globals) bind(root *cobra.Command) {
	f := root.PersistentFlags()
	f.StringVar(&g.lessonsDir, "lessons", "", "use the course in this `DIR` instead of the built-in one (watched for changes)")
	f.StringVar(&g.dbPath, "db", "", "progress database: a `FILE` (default $XDG_DATA_HOME/serverside/progress.db), or a postgres:// URL for a class's server")
	f.StringVar(&g.user, "user", "", "whose progress to use (default: the profile last chosen in the tutor, else your login name)")
	f.IntVar(&g.newPerDay, "new-per-day", 20, "how many questions enter review for the first time each day (-1: no cap)")
	f.StringVar(&g.theme, "theme", "auto", "colours: auto, dark, light, contrast or plain (NO_COLOR and TERM=dumb mean plain)")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		// Help and version work whatever the settings say, so a broken
		// config file can still be read about.
		switch cmd.Name() {
		case "help", "version":
			return nil
		}
		if err := applySettings(cmd.Root().PersistentFlags(), os.LookupEnv, configPath()); err != nil {
			return err
		}
		// Every command, the ones that only read too, refuses a name no
		// store would take (an invisible character, an odd space), rather
		// than print it back as if it were a learner.
		if g.user != "" {
			if err := progress.CheckName(g.user); err != nil {
				return fmt.Errorf("--user: %w", err)
			}
		}
		return nil
	}
}

// envName is the environment variable that sets a global flag.
func envName(flag string) string {
	return "SERVERSIDE_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// configPath is the config file: $SERVERSIDE_CONFIG, or config.yaml in
// serverside's folder of the XDG config directory.
func configPath() string {
	if p := os.Getenv("SERVERSIDE_CONFIG"); p != "" {
		return p
	}
	base := os.Getenv("XDG_CONFIG_HOME")
	if base == "" {
		base = xdg.ConfigHome
	}
	return filepath.Join(base, "serverside", "config.yaml")
}

// configHelp is the note at the end of --help.
func configHelp() string {
	var names []string
	for _, f := range []string{"db", "lessons", "user", "theme", "new-per-day"} {
		names = append(names, envName(f))
	}
	return "Global flags can also be set in the environment (" + strings.Join(names, ", ") +
		") or in " + displayHome(configPath()) + " as 'db: FILE' lines (keys named as the flags). " +
		"A flag on the command line wins over the environment, which wins over the file."
}

func displayHome(p string) string {
	if home, err := os.UserHomeDir(); err == nil && home != "" && strings.HasPrefix(p, home+string(filepath.Separator)) {
		return "~" + p[len(home):]
	}
	return p
}

// applySettings fills the global flags the command line left alone: from
// the environment first, then from the config file. A missing config file
// is fine; a broken one is an error naming its file and line.
func applySettings(fs *pflag.FlagSet, lookup func(string) (string, bool), cfgPath string) error {
	cfg, err := readConfig(cfgPath)
	if err != nil {
		return err
	}
	var errs []error
	fs.VisitAll(func(f *pflag.Flag) {
		if !globalFlags[f.Name] || f.Changed {
			return
		}
		if v, ok := lookup(envName(f.Name)); ok && v != "" {
			if err := setFlag(f, v); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q in the environment: %v", envName(f.Name), v, err))
			}
			return
		}
		if e, ok := cfg[f.Name]; ok {
			if err := setFlag(f, e.value); err != nil {
				errs = append(errs, fmt.Errorf("%s:%d: %s: %v", cfgPath, e.line, f.Name, err))
			}
		}
	})
	return errors.Join(errs...)
}

func setFlag(f *pflag.Flag, v string) error {
	if f.Value.Type() == "int" {
		if _, err := strconv.Atoi(strings.TrimSpace(v)); err != nil {
			return fmt.Errorf("%q is not a whole number", v)
		}
		v = strings.TrimSpace(v)
	}
	if f.Name == "db" || f.Name == "lessons" {
		v = expandHome(v)
	}
	if err := f.Value.Set(v); err != nil {
		return err
	}
	return nil
}

func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[1:])
		}
	}
	return p
}

type configEntry struct {
	value string
	line  int
}

// readConfig reads the config file: a YAML mapping from global flag names
// to values.
func readConfig(path string) (map[string]configEntry, error) {
	src, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("config file %s: %v", path, errors.Unwrap(err))
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		line, msg := 1, strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		return nil, fmt.Errorf("%s:%d: not valid YAML: %s", path, line, msg)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: the config file is 'key: value' lines, such as 'db: ~/class.db'", path, top.Line)
	}
	known := []string{"db", "lessons", "new-per-day", "theme", "user"}
	out := map[string]configEntry{}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		if !globalFlags[k.Value] {
			if s := lessons.Closest(k.Value, known); s != "" {
				return nil, fmt.Errorf("%s:%d: unknown key %q: did you mean %q?", path, k.Line, k.Value, s)
			}
			return nil, fmt.Errorf("%s:%d: unknown key %q (keys: %s)", path, k.Line, k.Value, strings.Join(known, ", "))
		}
		if v.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("%s:%d: %s must be a single value, not a list or a mapping", path, v.Line, k.Value)
		}
		out[k.Value] = configEntry{value: v.Value, line: v.Line}
	}
	return out, nil
}

var yamlLine = regexp.MustCompile(`^line (\d+): (.*)$`)

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

// OpenStore opens the progress database, creating it when missing: for
// commands that record progress.
func (g *globals) OpenStore(ctx context.Context) (store, error) {
	if p := g.DBPath(); postgres.IsURL(p) {
		s, err := postgres.Open(ctx, p)
		if err != nil {
			return nil, err
		}
		return newNamedStore(s, postgres.Redact(p)), nil
	}
	return sqlite.Open(ctx, g.DBPath())
}

// errNoProgressYet is the default database not existing yet: nothing has
// been recorded on this machine.
var errNoProgressYet = errors.New("no progress recorded yet")

// OpenExistingStore opens the progress database for a command that only
// reads it: a database that does not exist is an error, never created (a
// typo in --db must not leave a new file behind and report "no learners").
func (g *globals) OpenExistingStore(ctx context.Context) (store, error) {
	p := g.DBPath()
	if postgres.IsURL(p) {
		return g.OpenStore(ctx) // a server is there or not: nothing is created by looking
	}
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		if g.dbPath == "" {
			return nil, fmt.Errorf("%w: %s does not exist; run `serverside` to start the course (progress is recorded from then on)", errNoProgressYet, displayHome(p))
		}
		return nil, fmt.Errorf("progress database %s does not exist: check the path (only commands that record progress, such as `serverside`, `quiz` and `progress import`, create one)", p)
	}
	return g.OpenStore(ctx)
}

// LoadCourse loads --lessons or the built-in course. Broken lessons are
// kept out of the course (and listed in Broken); their problems are
// returned for whoever wants to show them.
func (g *globals) LoadCourse() (*lessons.Course, []lessons.Problem, error) {
	if g.lessonsDir == "" {
		c, probs := coursecache.Default()
		return c, probs, nil
	}
	c, probs, err := lessons.LoadDir(g.lessonsDir)
	if errors.Is(err, lessons.ErrNoLessons) {
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%w\n  pass a folder of lesson files, or leave --lessons out to use the built-in course", err)
	}
	return c, probs, nil
}

// openCourseAndStore loads the course and opens the progress database for
// reading, as most commands need both. The caller closes the store.
func (g *globals) openCourseAndStore(ctx context.Context) (*lessons.Course, store, error) {
	course, _, err := g.LoadCourse()
	if err != nil {
		return nil, nil, err
	}
	store, err := g.OpenExistingStore(ctx)
	if err != nil {
		return course, nil, err
	}
	return course, store, nil
}

// themeFlag is --theme; NO_COLOR and TERM=dumb turn colour off whatever it says.
func themeFromEnv(flag string) (render.Theme, error) {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return render.Plain, nil
	}
	t, fixed, err := render.ParseTheme(flag)
	if err != nil || !fixed {
		return "", err
	}
	return t, nil
}
