package lessons

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"go.yaml.in/yaml/v3"
)

// AUTHORING.md is the instructors' reference: its examples must be right,
// and it must explain every message lint can print.

func readAuthoring(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "AUTHORING.md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type fencedExample struct {
	lang string
	line int
	text string
}

// fencedBlocks returns the top-level fenced blocks of a markdown file (a
// block fenced with four backticks may hold three-backtick ones).
func fencedBlocks(doc string) []fencedExample {
	var out []fencedExample
	lines := strings.Split(doc, "\n")
	for i := 0; i < len(lines); i++ {
		fence := lines[i][:len(lines[i])-len(strings.TrimLeft(lines[i], "`"))]
		if len(fence) < 3 {
			continue
		}
		lang := strings.TrimSpace(lines[i][len(fence):])
		var body []string
		j := i + 1
		for ; j < len(lines); j++ {
			if strings.TrimRight(lines[j], " ") == fence {
				break
			}
			body = append(body, lines[j])
		}
		out = append(out, fencedExample{lang: lang, line: i + 1, text: strings.Join(body, "\n") + "\n"})
		i = j
	}
	return out
}

func TestAuthoringExamplesLint(t *testing.T) {
	checked := 0
	for _, ex := range fencedBlocks(readAuthoring(t)) {
		if ex.lang != "markdown" {
			continue
		}
		hasFront := strings.HasPrefix(ex.text, "---\n")
		if !hasFront && !strings.Contains(ex.text, "```quiz") {
			continue
		}
		src, header := ex.text, ""
		if !hasFront {
			header = fmt.Sprintf("---\nid: example-%d\ntitle: Example\n---\n\nText.\n\n", ex.line)
			src = header + ex.text
		}
		name := fmt.Sprintf("AUTHORING.md example at line %d", ex.line)
		l, probs := ParseLesson(name, "m/example.md", []byte(src))
		for _, p := range probs {
			// Point at the line of AUTHORING.md.
			t.Errorf("AUTHORING.md:%d: %s: %s", ex.line+p.Line-strings.Count(header, "\n"), p.Severity, p.Message)
		}
		if l == nil {
			t.Errorf("%s does not make a lesson", name)
		} else if strings.Contains(ex.text, "```quiz") && len(l.Questions) != strings.Count(ex.text, "```quiz") {
			t.Errorf("%s: %d quiz blocks, %d questions", name, strings.Count(ex.text, "```quiz"), len(l.Questions))
		}
		checked++
	}
	if checked < 5 {
		t.Errorf("only %d lesson examples found in AUTHORING.md: has the extraction broken?", checked)
	}
}

// The course.yaml example loads clean, with a lesson file for each entry.
func TestAuthoringCourseYAMLExample(t *testing.T) {
	found := false
	for _, ex := range fencedBlocks(readAuthoring(t)) {
		if ex.lang != "yaml" || !strings.Contains(ex.text, "modules:") {
			continue
		}
		found = true
		var cf struct {
			Modules []struct {
				Path    string
				Lessons []string
			}
		}
		if err := yaml.Unmarshal([]byte(ex.text), &cf); err != nil {
			t.Fatalf("course.yaml example at line %d: %v", ex.line, err)
		}
		fsys := fstest.MapFS{"course.yaml": &fstest.MapFile{Data: []byte(ex.text)}}
		n := 0
		for _, m := range cf.Modules {
			for _, name := range m.Lessons {
				n++
				fsys[m.Path+"/"+name] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\nid: l%d\ntitle: L\n---\n\nText.\n", n))}
			}
		}
		c, probs := Load(fsys, "example")
		for _, p := range probs {
			t.Errorf("course.yaml example at line %d: %s", ex.line, p)
		}
		if len(c.Lessons()) != n || n == 0 {
			t.Errorf("course.yaml example: %d lessons of %d", len(c.Lessons()), n)
		}
	}
	if !found {
		t.Error("AUTHORING.md has no course.yaml example")
	}
}

// Every message the linter can print has a row in AUTHORING.md's table:
// the message formats are read from this package's source, each verb
// standing for any text.
func TestAuthoringListsEveryLintMessage(t *testing.T) {
	doc := readAuthoring(t)
	formats := lintFormats(t)
	if len(formats) < 50 {
		t.Fatalf("found only %d message formats: has the extraction broken?", len(formats))
	}
	verb := regexp.MustCompile(`%[qsvd]`)
	for _, f := range formats {
		// In the table, a value is written "…" (quoted for %q).
		parts := verb.Split(strings.ReplaceAll(f, "%%", "%"), -1)
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		re := regexp.MustCompile("`" + strings.Join(parts, `[^`+"`"+`\n]+?`) + "`")
		if !re.MatchString(doc) {
			t.Errorf("AUTHORING.md does not list the lint message %q (write it in the table with … for each value)", f)
		}
	}
	// And every key an instructor can write.
	keys := append(append(append([]string{}, frontMatterKeys...), allQuestionKeys()...), courseKeys...)
	keys = append(keys, moduleKeys...)
	keys = append(keys, questionTypes...)
	for _, k := range keys {
		if !strings.Contains(doc, "`"+k+"`") && !strings.Contains(doc, "`modules[]."+k+"`") {
			t.Errorf("AUTHORING.md does not describe %q", k)
		}
	}
}

// lintFormats reads the format strings of every problem the package
// reports: errorf and warnf calls, and loader problem calls.
func lintFormats(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var out []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			at := -1
			switch {
			case sel.Sel.Name == "errorf" || sel.Sel.Name == "warnf":
				at = 2
			case sel.Sel.Name == "problem" && len(call.Args) >= 5:
				at = 4
			}
			if at < 0 || at >= len(call.Args) {
				return true
			}
			lit, ok := call.Args[at].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
			return true
		})
	}
	return out
}
