package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func allCommands(c *cobra.Command) []*cobra.Command {
	out := []*cobra.Command{c}
	for _, sc := range c.Commands() {
		if sc.IsAvailableCommand() {
			out = append(out, allCommands(sc)...)
		}
	}
	return out
}

// Help at 80 columns (and when piped, which is 80 too) wraps at word
// boundaries and never pads: no line is wider than 80 or ends in a space,
// and every word of each command's description comes out whole.
func TestHelpFitsAndWrapsAtWords(t *testing.T) {
	for _, width := range []int{80, 60} {
		for _, c := range allCommands(newRootCmd()) {
			var b strings.Builder
			if err := writeHelp(&b, c, width, helpStyles{}); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			words := map[string]bool{}
			for i, line := range strings.Split(out, "\n") {
				// An example is a command to copy: it is never wrapped, and
				// every one fits 80 columns.
				isExample := strings.Contains(c.Example, strings.TrimSpace(line))
				if w := ansi.StringWidth(line); w > width && !(isExample && width < 80) {
					t.Errorf("%s at %d: line %d is %d columns: %q", c.CommandPath(), width, i+1, w, line)
				}
				if strings.HasSuffix(line, " ") {
					t.Errorf("%s at %d: line %d ends in spaces: %q", c.CommandPath(), width, i+1, line)
				}
				for _, w := range strings.Fields(strings.ReplaceAll(line, "`", "")) {
					words[w], words[strings.TrimRight(w, ";.")] = true, true
				}
			}
			texts := []string{c.Long}
			if c.Long == "" {
				texts = []string{c.Short}
			}
			c.Flags().VisitAll(func(f *pflag.Flag) { texts = append(texts, f.Usage) })
			for _, text := range texts {
				for _, w := range strings.Fields(strings.ReplaceAll(text, "`", "")) {
					if !words[w] && utf8.RuneCountInString(w) < width-10 {
						t.Errorf("%s at %d: the word %q was broken or lost", c.CommandPath(), width, w)
					}
				}
			}
		}
	}
	// A table laid out by hand keeps its columns.
	out, _, err := runRoot(t, "", "quiz", "--help")
	if !strings.Contains(out, "\n    a choice number            2\n") {
		t.Errorf("quiz --help lost its table of inputs:\n%s", out)
	}
	// Through the command line, piped: plain text, no trailing spaces.
	out, _, err = runRoot(t, "", "list", "--help")
	if err != nil || !strings.Contains(out, "USAGE") || strings.Contains(out, "\x1b[") || strings.Contains(out, " \n") {
		t.Errorf("list --help: %v\n%s", err, out)
	}
	out, _, _ = runRoot(t, "", "--help")
	for _, env := range []string{"SERVERSIDE_DB", "SERVERSIDE_LESSONS", "SERVERSIDE_USER", "SERVERSIDE_THEME", "SERVERSIDE_NEW_PER_DAY", "config.yaml"} {
		if !strings.Contains(out, env) {
			t.Errorf("--help does not mention %s:\n%s", env, out)
		}
	}
}

// Every example in help runs, against the built-in course, as written:
// pipes into other programs and redirections are left off, input piped in
// is given as stdin.
func TestHelpExamplesRun(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	db := filepath.Join(dir, "progress.db")
	export := `{"format":"serverside-progress","version":1,"user":{"name":"ada"}}`
	for _, path := range []string{db, "class.db"} {
		if _, _, err := runRoot(t, export, "progress", "import", "-", "--db", path); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("SERVERSIDE_DB", db)
	t.Setenv("SERVERSIDE_USER", "ada")
	if _, _, err := runRoot(t, "", "progress", "export", "--output", "me.json"); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range allCommands(newRootCmd()) {
		for _, line := range strings.Split(c.Example, "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			stdin := ""
			if before, after, ok := strings.Cut(line, "| serverside "); ok {
				// printf '…' | serverside …: the printf's text is stdin.
				words := shellWords(t, before)
				if len(words) != 2 || words[0] != "printf" {
					t.Fatalf("%s: unexpected input in example %q", c.CommandPath(), line)
				}
				stdin = strings.ReplaceAll(words[1], `\n`, "\n")
				line = "serverside " + after
			}
			if i := strings.Index(line, " | "); i >= 0 {
				line = line[:i]
			}
			if i := strings.Index(line, " > "); i >= 0 {
				line = line[:i]
			}
			words := shellWords(t, line)
			if words[0] != "serverside" {
				t.Errorf("%s: example %q does not start with serverside", c.CommandPath(), line)
				continue
			}
			n++
			out, stderr, err := runRoot(t, stdin, words[1:]...)
			if err != nil {
				t.Errorf("%s: example %q fails: %v\n%s%s", c.CommandPath(), line, err, out, stderr)
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d examples ran: has the extraction broken?", n)
	}
	if _, err := os.Stat("me.json"); err != nil {
		t.Error(err)
	}
}

// shellWords splits a command line as a shell would for these examples:
// words separated by spaces, single and double quotes grouping.
func shellWords(t *testing.T, s string) []string {
	t.Helper()
	var out []string
	var cur strings.Builder
	var quote rune
	in := false
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if quote != 0 {
		t.Fatalf("unclosed quote in %q", s)
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}
