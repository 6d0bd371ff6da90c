// Package arch holds the test that keeps the layout's arrows pointing one
// way (issue 14): which packages may reach a SQL driver, and which must
// stay free of the rest of the project.
package arch

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "serverside"

type pkg struct {
	ImportPath   string
	Standard     bool
	Imports      []string
	TestImports  []string
	XTestImports []string
}

// graph is every package of the module and everything they import, from
// `go list -deps -test=false -json ./...` run at the module root.
func graph(t *testing.T) map[string]*pkg {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the layout test reads the import graph with the go command, which is not on PATH: %v", err)
	}
	cmd := exec.Command(goBin, "list", "-deps", "-json=ImportPath,Standard,Imports,TestImports,XTestImports", module+"/...")
	cmd.Dir = "../.." // the module root, from internal/arch
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	pkgs := map[string]*pkg{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("reading go list's output: %v", err)
		}
		pkgs[p.ImportPath] = &p
	}
	for _, want := range []string{module, module + "/cli", module + "/tui", module + "/progress", module + "/progress/sqlite", module + "/lessons", module + "/fsrs"} {
		if pkgs[want] == nil {
			t.Fatalf("go list does not show %s: the layout this test checks has changed", want)
		}
	}
	return pkgs
}

func ours(path string) bool { return path == module || strings.HasPrefix(path, module+"/") }

func under(path, prefix string) bool { return path == prefix || strings.HasPrefix(path, prefix+"/") }

// driver says which SQL driver an import path is, or "".
func driver(path string) string {
	switch {
	case under(path, "modernc.org/sqlite"):
		return "modernc.org/sqlite"
	case under(path, "github.com/jackc/pgx"), under(path, "github.com/jackc/pgx/v5"):
		return "pgx"
	}
	return ""
}

// reach is every package path reaches through non-test imports, not
// passing through the packages in skip.
func reach(pkgs map[string]*pkg, path string, skip ...string) []string {
	seen := map[string]bool{path: true}
	queue := []string{path}
	var out []string
	for len(queue) > 0 {
		p := pkgs[queue[0]]
		queue = queue[1:]
		if p == nil {
			continue
		}
		for _, imp := range p.Imports {
			if seen[imp] || slices.Contains(skip, imp) {
				continue
			}
			seen[imp] = true
			out = append(out, imp)
			queue = append(queue, imp)
		}
	}
	slices.Sort(out)
	return out
}

// Only the progress adapters import a SQL driver, tests included:
// progress/sqlite the SQLite one and progress/postgres (with its pgtest
// helper) pgx, its own. The one other importer is labs, whose SQL lab runs
// the learner's queries in a scratch SQLite database of its own, not
// progress.
func TestOnlyTheAdaptersImportADriver(t *testing.T) {
	allowed := func(path, d string) bool {
		switch d {
		case "modernc.org/sqlite":
			return path == module+"/progress/sqlite" || path == module+"/labs"
		case "pgx":
			// The adapter, and pgtest, its schema-per-test helper for
			// the tests of other packages.
			return under(path, module+"/progress/postgres")
		}
		return false
	}
	for path, p := range graph(t) {
		if !ours(path) {
			continue
		}
		for _, imp := range slices.Concat(p.Imports, p.TestImports, p.XTestImports) {
			if d := driver(imp); d != "" && !allowed(path, d) {
				t.Errorf("%s imports %s (the %s driver): only progress/sqlite may import the SQLite driver (and labs, for the SQL lab's scratch database), only progress/postgres (and its pgtest helper) pgx", path, imp, d)
			}
		}
	}
}

// progress is the contract: no driver, no database/sql, directly or not.
func TestProgressHoldsNoSQL(t *testing.T) {
	pkgs := graph(t)
	for _, dep := range reach(pkgs, module+"/progress") {
		if dep == "database/sql" || driver(dep) != "" {
			t.Errorf("progress reaches %s: the contract holds no SQL; that belongs in progress/sqlite or progress/postgres", dep)
		}
	}
}

// tui imports no driver and no database/sql: progress reaches it through
// the contract. Its only way to SQL is labs' SQL lab, which runs the
// learner's queries in a scratch database.
func TestTUIImportsNoSQL(t *testing.T) {
	pkgs := graph(t)
	for _, imp := range pkgs[module+"/tui"].Imports {
		if imp == "database/sql" || driver(imp) != "" || under(imp, module+"/progress/sqlite") || under(imp, module+"/progress/postgres") {
			t.Errorf("tui imports %s: it should take progress through the interfaces it declares", imp)
		}
	}
	for _, dep := range reach(pkgs, module+"/tui", module+"/labs") {
		if dep == "database/sql" || driver(dep) != "" {
			t.Errorf("tui reaches %s other than through labs' SQL lab", dep)
		}
	}
}

// lessons and fsrs are the pure ends of every arrow: they import nothing
// of the project.
func TestPureEndsImportNothingOfTheProject(t *testing.T) {
	pkgs := graph(t)
	for _, path := range []string{module + "/lessons", module + "/fsrs"} {
		for _, dep := range reach(pkgs, path) {
			if ours(dep) {
				t.Errorf("%s reaches %s: it should import nothing of serverside", path, dep)
			}
		}
	}
}

// Nothing imports cli but main, tests included.
func TestOnlyMainImportsCLI(t *testing.T) {
	for path, p := range graph(t) {
		if !ours(path) || path == module || path == module+"/cli" {
			continue
		}
		if slices.Contains(slices.Concat(p.Imports, p.TestImports, p.XTestImports), module+"/cli") {
			t.Errorf("%s imports serverside/cli: only main (the module root) may", path)
		}
	}
}
