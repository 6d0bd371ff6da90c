package cli

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"charm.land/fang/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Help is written here rather than by fang's help function: fang fixes the
// width at 120 columns when output is piped and pads every line to it, and
// leaves flag descriptions unwrapped, so at 80 columns the terminal breaks
// them mid-word. This keeps fang's colours and layout (usage, examples,
// commands, flags) and wraps every paragraph at word boundaries to the
// terminal, or to 80 columns when the output is not a terminal. Lines never
// end in spaces.

// helpWidth is the width help wraps to: the terminal's, capped at 100 so
// prose stays readable, or 80 when w is not a terminal.
func helpWidth(w io.Writer) int {
	if f, ok := w.(term.File); ok && term.IsTerminal(f.Fd()) {
		if cols, _, err := term.GetSize(f.Fd()); err == nil && cols > 0 {
			return max(40, min(cols, 100))
		}
	}
	return 80
}

type helpStyles struct {
	title, program, command, flag, arg, faint lipgloss.Style
}

// newHelpStyles builds the styles for w, asking the terminal whether its
// background is dark as fang does; an error message does not wait for that
// answer (ask false) and takes the dark colours.
func newHelpStyles(w io.Writer, ask bool) helpStyles {
	dark := true
	if f, ok := w.(term.File); ask && ok && term.IsTerminal(f.Fd()) && term.IsTerminal(os.Stdin.Fd()) {
		dark = lipgloss.HasDarkBackground(os.Stdin, f)
	}
	cs := fang.DefaultColorScheme(lipgloss.LightDark(dark))
	return helpStyles{
		title:   lipgloss.NewStyle().Foreground(cs.Title).Bold(true),
		program: lipgloss.NewStyle().Foreground(cs.Program),
		command: lipgloss.NewStyle().Foreground(cs.Command),
		flag:    lipgloss.NewStyle().Foreground(cs.Flag),
		arg:     lipgloss.NewStyle().Foreground(cs.Argument),
		faint:   lipgloss.NewStyle().Foreground(cs.Comment),
	}
}

// showHelp is the root's help function; every command inherits it.
func showHelp(c *cobra.Command, _ []string) {
	out := c.OutOrStdout()
	w := colorprofile.NewWriter(out, os.Environ())
	_ = writeHelp(w, c, helpWidth(out), newHelpStyles(out, true))
}

func writeHelp(w io.Writer, c *cobra.Command, width int, st helpStyles) error {
	var b strings.Builder
	text := c.Long
	if text == "" {
		text = c.Short
	}
	if text != "" {
		b.WriteString("\n")
		b.WriteString(wrapParagraphs(text, width, "  "))
		b.WriteString("\n")
	}

	section := func(name string) { fmt.Fprintf(&b, "\n%s\n", st.title.Render(strings.ToUpper(name))) }

	section("usage")
	for _, line := range usageLines(c) {
		b.WriteString(hangingWrap(st.program.Render(line), width, "  ", "      ") + "\n")
	}

	if ex := strings.Trim(c.Example, "\n"); ex != "" {
		section("examples")
		for _, line := range strings.Split(ex, "\n") {
			b.WriteString("  " + st.program.Render(strings.TrimSpace(line)) + "\n")
		}
	}

	if cmds := visibleCommands(c); len(cmds) > 0 {
		section("commands")
		keys := make([]string, len(cmds))
		for i, sc := range cmds {
			keys[i] = sc.Name()
		}
		col := columnWidth(keys)
		for i, sc := range cmds {
			writeItem(&b, st.command.Render(keys[i]), ansi.StringWidth(keys[i]), col, sc.Short, width)
		}
	}

	local, inherited := flagRows(c)
	if len(local) > 0 || len(inherited) > 0 {
		var keys []string
		for _, r := range append(append([]flagRow{}, local...), inherited...) {
			keys = append(keys, r.key)
		}
		col := columnWidth(keys)
		if len(local) > 0 {
			section("flags")
			for _, r := range local {
				writeItem(&b, st.flag.Render(r.key), ansi.StringWidth(r.key), col, r.usage, width)
			}
		}
		if len(inherited) > 0 {
			if c.HasParent() {
				section("global flags")
			} else if len(local) == 0 {
				section("flags")
			}
			for _, r := range inherited {
				writeItem(&b, st.flag.Render(r.key), ansi.StringWidth(r.key), col, r.usage, width)
			}
		}
	}

	if !c.HasParent() {
		b.WriteString("\n" + wrapParagraphs(st.faint.Render(configHelp()), width, "  ") + "\n")
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n" + wrapParagraphs(st.faint.Render(fmt.Sprintf("Run `%s COMMAND --help` for more about a command.", c.CommandPath())), width, "  ") + "\n")
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// usageLines are the ways to run c: its own line, and COMMAND for one with
// sub-commands.
func usageLines(c *cobra.Command) []string {
	var out []string
	if c.Runnable() {
		line := c.UseLine()
		if c.HasAvailableFlags() && !strings.Contains(line, "[flags]") {
			line += " [flags]"
		}
		out = append(out, line)
	}
	if c.HasAvailableSubCommands() {
		out = append(out, c.CommandPath()+" COMMAND [flags]")
	}
	return out
}

func visibleCommands(c *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	for _, sc := range c.Commands() {
		if sc.IsAvailableCommand() || sc.Name() == "help" {
			out = append(out, sc)
		}
	}
	return out
}

type flagRow struct{ key, usage string }

// flagRows lists c's own flags and those it inherits, as "-o, --output
// FILE" and the flag's usage with its default.
func flagRows(c *cobra.Command) (local, inherited []flagRow) {
	row := func(f *pflag.Flag) flagRow {
		name, usage := pflag.UnquoteUsage(f)
		key := "--" + f.Name
		if f.Shorthand != "" {
			key = "-" + f.Shorthand + ", " + key
		} else {
			key = "    " + key
		}
		switch name {
		case "":
		case "int", "uint", "float", "float64":
			key += " N"
		case "string":
			key += " " + cmp.Or(stringArgNames[f.Name], "VALUE")
		default:
			key += " " + strings.ToUpper(name)
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "[]" && !strings.Contains(usage, "default") {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		if env := envName(f.Name); globalFlags[f.Name] {
			usage += "; env " + env
		}
		return flagRow{key, usage}
	}
	collect := func(fs *pflag.FlagSet) []flagRow {
		var out []flagRow
		fs.VisitAll(func(f *pflag.Flag) {
			if !f.Hidden {
				out = append(out, row(f))
			}
		})
		sort.SliceStable(out, func(i, j int) bool { return strings.TrimLeft(out[i].key, " -") < strings.TrimLeft(out[j].key, " -") })
		return out
	}
	return collect(c.LocalFlags()), collect(c.InheritedFlags())
}

func columnWidth(keys []string) int {
	w := 10
	for _, k := range keys {
		w = max(w, ansi.StringWidth(k)+2)
	}
	return w
}

// writeItem writes "  key   description" with the description wrapped
// in its column; when the column leaves too little room, the description
// goes under the key instead.
func writeItem(b *strings.Builder, key string, keyWidth, col int, desc string, width int) {
	const indent = 2
	descWidth := width - indent - col
	if descWidth < 30 || longestWord(desc) > descWidth {
		b.WriteString(strings.Repeat(" ", indent) + key + "\n")
		b.WriteString(wrapParagraphs(desc, width, strings.Repeat(" ", indent+4)) + "\n")
		return
	}
	lines := wordWrap(desc, descWidth)
	for i, l := range lines {
		l = strings.TrimRight(l, " ")
		if i == 0 {
			b.WriteString(strings.Repeat(" ", indent) + key + strings.Repeat(" ", col-keyWidth) + l)
		} else {
			b.WriteString(strings.Repeat(" ", indent+col) + l)
		}
		b.WriteString("\n")
	}
}

// wrapParagraphs reflows text to width with every line indented: lines of
// one paragraph are joined (the help texts are written with line breaks
// for the source, not for the terminal), blank lines separate paragraphs,
// and lines starting with a space or "- " keep their own line.
func wrapParagraphs(text string, width int, indent string) string {
	var paras [][]string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, cur)
			cur = nil
		}
	}
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		switch {
		case strings.TrimSpace(line) == "":
			flush()
			paras = append(paras, nil)
		case strings.HasPrefix(line, " ") || strings.HasPrefix(line, "- "):
			flush()
			paras = append(paras, []string{line})
		default:
			cur = append(cur, strings.TrimSpace(line))
		}
	}
	flush()
	var out []string
	for _, p := range paras {
		if p == nil {
			out = append(out, "")
			continue
		}
		lead := ""
		if strings.HasPrefix(p[0], " ") {
			// A line laid out by hand (a table of inputs) keeps its
			// spacing when it fits.
			if line := strings.TrimRight(indent+p[0], " "); ansi.StringWidth(line) <= width {
				out = append(out, line)
				continue
			}
			lead = p[0][:len(p[0])-len(strings.TrimLeft(p[0], " "))]
		}
		joined := strings.Join(p, " ")
		out = append(out, hangingWrap(joined, width, indent, indent+lead))
	}
	return strings.Join(out, "\n")
}

// hangingWrap wraps s at word boundaries to width, the first line after
// first, the others after rest, with no trailing spaces.
func hangingWrap(s string, width int, first, rest string) string {
	w := max(20, width-ansi.StringWidth(rest))
	lines := wordWrap(s, w)
	for i, l := range lines {
		p := rest
		if i == 0 {
			p = first
		}
		lines[i] = strings.TrimRight(p+strings.TrimSpace(l), " ")
	}
	return strings.Join(lines, "\n")
}

func longestWord(s string) int {
	n := 0
	for _, w := range strings.Fields(s) {
		n = max(n, ansi.StringWidth(w))
	}
	return n
}

// stringArgNames name the value of a text flag whose usage does not.
var stringArgNames = map[string]string{"user": "NAME", "theme": "THEME", "format": "FORMAT"}
