package lessons

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed course
var embedded embed.FS

// DefaultRoot is how problems in the embedded course name its files: the
// path of the course in this repository.
const DefaultRoot = "lessons/course"

// Default loads the course built into the binary.
func Default() (*Course, []Problem) {
	sub, err := fs.Sub(embedded, "course")
	if err != nil {
		// The embed pattern guarantees the directory; this cannot happen.
		return &Course{Title: "serverside"}, []Problem{{Path: DefaultRoot, Line: 1, Col: 1, Severity: Error, Message: err.Error()}}
	}
	c, probs := Load(sub, DefaultRoot)
	c.Root = ""
	return c, probs
}

// DefaultFS is the embedded course as a file system, for tools that copy or
// inspect it.
func DefaultFS() fs.FS {
	sub, _ := fs.Sub(embedded, "course")
	return sub
}

// LoadDir loads a course from a directory on disk. The error is for a
// directory that can't be read at all; problems in its files are returned
// as problems.
func LoadDir(dir string) (*Course, []Problem, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("course directory %s: %w", dir, errors.Unwrap(err))
	}
	if !st.IsDir() {
		return nil, nil, fmt.Errorf("course directory %s: not a directory: pass the folder that holds the lessons", dir)
	}
	c, probs := Load(diskFS(dir), filepath.ToSlash(filepath.Clean(dir)))
	c.Root = dir
	if len(c.Lessons()) == 0 && len(c.Broken) == 0 && !HasErrors(probs) {
		return nil, nil, fmt.Errorf("no lessons found in %s: %w", dir, ErrNoLessons)
	}
	return c, probs, nil
}

// ErrNoLessons says a course folder holds no lesson files, with what a
// lesson file is.
var ErrNoLessons = errors.New("a lesson is a markdown file (name.md) that starts with front matter (a line '---', 'id: …' and 'title: …', a line '---'), in the folder or in a module folder one level down")

// courseFile is course.yaml.
type courseFile struct {
	Title   string
	Modules []moduleEntry
}

type moduleEntry struct {
	Path    string
	Title   string
	Summary string
	Lessons []string
	line    int
	col     int
	at      map[string][2]int // lesson file -> line and column in course.yaml
}

var courseKeys = []string{"title", "modules"}
var moduleKeys = []string{"path", "title", "summary", "lessons"}

// Load reads a course from fsys. root names the course in problems: each
// problem's path is root joined with the file's slash path.
func Load(fsys fs.FS, root string) (*Course, []Problem) {
	ld := &loader{fsys: fsys, root: root}
	return ld.load()
}

type loader struct {
	fsys  fs.FS
	root  string
	probs []Problem
}

func (ld *loader) display(rel string) string {
	if ld.root == "" {
		return rel
	}
	return ld.root + "/" + rel
}

func (ld *loader) problem(rel string, line, col int, sev Severity, format string, args ...any) {
	ld.probs = append(ld.probs, Problem{Path: ld.display(rel), Line: line, Col: col, Severity: sev, Message: fmt.Sprintf(format, args...)})
}

func (ld *loader) load() (*Course, []Problem) {
	c := &Course{Display: ld.root}
	cf, hasCourseFile := ld.readCourseFile()
	files := ld.lessonFiles()

	// Group files by module folder.
	byDir := map[string][]string{}
	for _, f := range files {
		byDir[moduleDir(f)] = append(byDir[moduleDir(f)], f)
	}
	var dirs []string
	for d := range byDir {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)

	var plans []modulePlan
	if hasCourseFile && len(cf.Modules) > 0 {
		c.Title = cf.Title
		used := map[string]bool{}
		for _, me := range cf.Modules {
			dir := path.Clean(me.Path)
			if me.Path == "" || me.Path == "." {
				dir = "."
			}
			present := byDir[dir]
			if present == nil && !ld.isDir(dir) {
				ld.problem("course.yaml", me.line, me.col, Error, "module path %q does not exist: create the folder or fix the path", me.Path)
				continue
			}
			if used[dir] {
				ld.problem("course.yaml", me.line, me.col, Error, "module path %q is listed twice: remove one of the entries", me.Path)
				continue
			}
			used[dir] = true
			pl := modulePlan{id: moduleID(dir), title: me.Title, summary: me.Summary}
			if pl.title == "" {
				pl.title = titleFromName(dir)
			}
			listed := map[string]bool{}
			for _, name := range me.Lessons {
				f := path.Clean(path.Join(dir, name))
				at := me.at[name]
				if !contains(present, f) {
					ld.problem("course.yaml", at[0], at[1], Error, "lesson file %q does not exist in %s: create it or remove it from the list", name, dir)
					continue
				}
				if listed[f] {
					ld.problem("course.yaml", at[0], at[1], Error, "lesson file %q is listed twice in module %q: remove one", name, me.Path)
					continue
				}
				listed[f] = true
				pl.files = append(pl.files, f)
			}
			if len(me.Lessons) > 0 {
				for _, f := range present {
					if !listed[f] {
						ld.problem("course.yaml", me.line, me.col, Warning, "lesson file %s is not listed in module %q: add it to its lessons (it is shown last until then)", f, me.Path)
						pl.files = append(pl.files, f)
					}
				}
			} else {
				pl.files = present
			}
			plans = append(plans, pl)
		}
		for _, d := range dirs {
			if !used[d] {
				ld.problem("course.yaml", 1, 1, Warning, "folder %s has lessons but is not a module in course.yaml: add it under modules (it is shown last until then)", d)
				plans = append(plans, modulePlan{id: moduleID(d), title: titleFromName(d), files: byDir[d]})
			}
		}
	} else {
		if hasCourseFile {
			c.Title = cf.Title
		}
		for _, d := range dirs {
			plans = append(plans, modulePlan{id: moduleID(d), title: titleFromName(d), files: byDir[d]})
		}
	}
	if c.Title == "" {
		c.Title = "serverside"
	}

	// Parse lessons, then check what spans lessons.
	var allFiles []string
	for _, pl := range plans {
		allFiles = append(allFiles, pl.files...)
	}
	parsed := ld.parseAll(allFiles)
	ids := map[string]string{} // lesson id -> path
	next := 0
	for _, pl := range plans {
		m := &Module{ID: pl.id, Title: pl.title, Summary: pl.summary}
		if m.Title == "" {
			m.Title = c.Title
		}
		for _, f := range pl.files {
			r := parsed[next]
			next++
			broken := func(err error) {
				var ps []Problem
				for _, p := range ld.probs {
					if p.Path == ld.display(f) {
						ps = append(ps, p)
					}
				}
				SortProblems(ps)
				c.Broken = append(c.Broken, BrokenLesson{Path: f, Module: m.ID, Err: err, Problems: ps, at: len(m.Lessons)})
			}
			if r.err != nil {
				ld.problem(f, 1, 1, Error, "cannot read lesson: %v", r.err)
				broken(r.err)
				continue
			}
			l := r.lesson
			ld.probs = append(ld.probs, r.probs...)
			if l == nil || Blocking(r.probs) {
				broken(firstError(r.probs))
				continue
			}
			if other, dup := ids[l.ID]; dup {
				ld.problem(f, l.idLine, l.idCol, Error, "lesson id %q is already used by %s: lesson ids must be unique in the course", l.ID, ld.display(other))
				broken(fmt.Errorf("lesson id %q is already used by %s", l.ID, other))
				continue
			}
			ids[l.ID] = f
			l.Module = m.ID
			m.Lessons = append(m.Lessons, l)
		}
		if len(m.Lessons) > 0 || len(pl.files) > 0 {
			c.Modules = append(c.Modules, m)
		}
	}
	ld.checkRefs(c, files)
	SortProblems(ld.probs)
	return c, ld.probs
}

// checkRefs checks every lesson's links and images against the course's
// files: a link or image that leads to nothing is an error (the lesson is
// still shown: only that link is broken), a #fragment that no heading of
// the target has is a warning.
func (ld *loader) checkRefs(c *Course, files []string) {
	isLesson := map[string]bool{}
	for _, f := range files {
		isLesson[f] = true
	}
	byPath := map[string]*Lesson{}
	anchorAt := map[string]string{} // anchor -> first lesson path that has it
	for _, l := range c.Lessons() {
		byPath[l.Path] = l
		for _, a := range l.anchors {
			if _, ok := anchorAt[a]; !ok {
				anchorAt[a] = l.Path
			}
		}
	}
	exists := func(p string) bool {
		if isLesson[p] || p == "." {
			return true
		}
		_, err := fs.Stat(ld.fsys, p)
		return err == nil
	}
	for _, l := range c.Lessons() {
		for _, r := range l.refs {
			// A link to a page folder (../cookies/) leads to its index.md.
			if index := r.Path + "/index.md"; !r.image && !isLesson[r.Path] && byPath[index] != nil {
				r.Path = index
				l.Links = append(l.Links, r.Link)
			}
			if !exists(r.Path) {
				if r.image {
					ld.problem(l.Path, r.Line, r.Col, Error, "image %q does not exist (looked for %s): fix the path or add the file", r.Target, r.Path)
				} else {
					ld.problem(l.Path, r.Line, r.Col, Error, "link %q leads to a file that does not exist (looked for %s): fix the path or create the file", r.Target, r.Path)
				}
				ld.probs[len(ld.probs)-1].Shown = true
				continue
			}
			target := byPath[r.Path]
			if r.fragment == "" || r.image || target == nil || slices.Contains(target.anchors, r.fragment) {
				continue
			}
			elsewhere, found := anchorAt[r.fragment]
			switch {
			case found && r.Path == l.Path:
				ld.problem(l.Path, r.Line, r.Col, Warning, "link %q: this lesson has no heading with that anchor; %s has one: link to %s", r.Target, ld.display(elsewhere), relLink(l.Path, elsewhere)+"#"+r.fragment)
			case found:
				ld.problem(l.Path, r.Line, r.Col, Warning, "link %q: %s has no heading with that anchor; %s has one: link to %s", r.Target, ld.display(r.Path), ld.display(elsewhere), relLink(l.Path, elsewhere)+"#"+r.fragment)
			case r.Path == l.Path:
				ld.problem(l.Path, r.Line, r.Col, Warning, "link %q: this lesson has no heading with that anchor", r.Target)
			default:
				ld.problem(l.Path, r.Line, r.Col, Warning, "link %q: %s has no heading with that anchor", r.Target, ld.display(r.Path))
			}
		}
	}
}

// relLink is the relative link from the lesson at from to the file at to.
func relLink(from, to string) string {
	rel, err := filepath.Rel(filepath.FromSlash(path.Dir(from)), filepath.FromSlash(to))
	if err != nil {
		return to
	}
	return filepath.ToSlash(rel)
}

// modulePlan is a module as course.yaml (or the folder layout) lays it
// out, before its lessons are parsed.
type modulePlan struct {
	id, title, summary string
	files              []string
}

// parsedLesson is one lesson file's result, parsed off the main goroutine.
type parsedLesson struct {
	lesson *Lesson
	probs  []Problem
	err    error // the file could not be read
}

// parseAll reads files in order on this goroutine (an fs.FS need not be
// safe for concurrent use) and parses them on every core: parsing a
// lesson is pure, and it is nearly all of the time a course takes to load.
func (ld *loader) parseAll(files []string) []parsedLesson {
	out := make([]parsedLesson, len(files))
	type job struct {
		i   int
		src []byte
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(files))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				f := files[j.i]
				l, probs := ParseLesson(ld.display(f), f, j.src)
				out[j.i] = parsedLesson{lesson: l, probs: probs}
			}
		}()
	}
	for i, f := range files {
		src, err := readBounded(ld.fsys, f)
		if err != nil {
			out[i] = parsedLesson{err: err}
			continue
		}
		jobs <- job{i, src}
	}
	close(jobs)
	wg.Wait()
	return out
}

func firstError(ps []Problem) error {
	for _, p := range ps {
		if p.Severity == Error {
			return errors.New(p.String())
		}
	}
	return errors.New("lesson has no id or title")
}

func (ld *loader) isDir(dir string) bool {
	st, err := fs.Stat(ld.fsys, dir)
	return err == nil && st.IsDir()
}

// lessonFiles lists the course's markdown files: those at the top, those
// one folder down (a module), and a page folder's index.md inside a module
// (documentation sites lay out one folder per page: http/cookies/index.md).
// README.md files are documentation, not lessons. Folders holding no
// markdown (images/) are the lessons' material and need no mention.
func (ld *loader) lessonFiles() []string {
	var out []string
	for _, d := range ld.readDir(".") {
		name := d.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if !d.IsDir() {
			if isLessonName(name) {
				out = append(out, name)
			}
			continue
		}
		for _, e := range ld.readDir(name) {
			p := name + "/" + e.Name()
			if strings.HasPrefix(e.Name(), ".") {
				continue
			}
			if !e.IsDir() {
				if isLessonName(e.Name()) {
					out = append(out, p)
				}
				continue
			}
			if index := ld.indexFile(p); index != "" {
				out = append(out, p+"/"+index)
			} else if ld.hasMarkdown(p) {
				ld.problem(p, 1, 1, Warning, "folders inside a module are ignored: move its lessons up into %s", name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// isLessonName reports whether a markdown file is a lesson. The files a
// repository keeps for its people (README.md and its translations such as
// README-ja.md, CONTRIBUTING.md, CHANGELOG.md, LICENSE.md, ...) are not:
// courses are often repositories, and lessons link to these.
func isLessonName(name string) bool {
	if !strings.HasSuffix(name, ".md") || strings.HasPrefix(name, ".") {
		return false
	}
	base := strings.ToUpper(strings.TrimSuffix(name, ".md"))
	if base == "README" || strings.HasPrefix(base, "README-") || strings.HasPrefix(base, "README.") {
		return false
	}
	switch base {
	case "CONTRIBUTING", "CHANGELOG", "CHANGES", "LICENSE", "LICENCE", "CODE_OF_CONDUCT", "SECURITY", "AUTHORS", "CONTRIBUTORS", "NOTICE", "SUPPORT":
		return false
	}
	return true
}

func (ld *loader) readDir(dir string) []fs.DirEntry {
	entries, err := fs.ReadDir(ld.fsys, dir)
	if err != nil {
		ld.problem(dir, 1, 1, Error, "cannot read: %v", err)
	}
	return entries
}

// indexFile is the name of a page folder's index.md, or "".
func (ld *loader) indexFile(dir string) string {
	entries, _ := fs.ReadDir(ld.fsys, dir)
	for _, e := range entries {
		if !e.IsDir() && strings.EqualFold(e.Name(), "index.md") {
			return e.Name()
		}
	}
	return ""
}

// hasMarkdown reports whether a folder, or one below it, holds a markdown
// file other than a README: lessons an author may expect to see.
func (ld *loader) hasMarkdown(dir string) bool {
	found := false
	_ = fs.WalkDir(ld.fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || found {
			return fs.SkipDir
		}
		if d.IsDir() && p != dir && strings.HasPrefix(d.Name(), ".") {
			return fs.SkipDir
		}
		if !d.IsDir() && isLessonName(d.Name()) {
			found = true
			return fs.SkipAll
		}
		return nil
	})
	return found
}

// moduleDir is the module folder a lesson file belongs to: its first
// folder, or "." for a file at the top.
func moduleDir(f string) string {
	if i := strings.IndexByte(f, '/'); i >= 0 {
		return f[:i]
	}
	return "."
}

func (ld *loader) readCourseFile() (courseFile, bool) {
	var cf courseFile
	src, err := readBounded(ld.fsys, "course.yaml")
	if errors.Is(err, fs.ErrNotExist) {
		return cf, false
	}
	if err != nil {
		ld.problem("course.yaml", 1, 1, Error, "cannot read: %v", err)
		return cf, false
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		line, msg := yamlErrorLine(err)
		ld.problem("course.yaml", line, 1, Error, "not valid YAML: %s", msg)
		return cf, false
	}
	if len(doc.Content) == 0 {
		return cf, true
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		ld.problem("course.yaml", top.Line, top.Column, Error, "course.yaml must be a mapping with title and modules")
		return cf, false
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		switch k.Value {
		case "title":
			cf.Title = Sanitize(scalar(v))
		case "modules":
			if v.Kind != yaml.SequenceNode {
				ld.problem("course.yaml", v.Line, v.Column, Error, "modules must be a list of entries with path, title and lessons")
				continue
			}
			for _, mn := range v.Content {
				cf.Modules = append(cf.Modules, ld.moduleEntry(mn))
			}
		default:
			ld.unknown("course.yaml", k, courseKeys)
		}
	}
	return cf, true
}

func (ld *loader) moduleEntry(n *yaml.Node) moduleEntry {
	me := moduleEntry{line: n.Line, col: n.Column, at: map[string][2]int{}}
	if n.Kind == yaml.ScalarNode {
		me.Path = n.Value
		return me
	}
	if n.Kind != yaml.MappingNode {
		ld.problem("course.yaml", n.Line, n.Column, Error, "a module entry is 'path: folder' with optional title, summary and lessons")
		return me
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "path":
			me.Path = scalar(v)
		case "title":
			me.Title = Sanitize(scalar(v))
		case "summary":
			me.Summary = Sanitize(scalar(v))
		case "lessons":
			if v.Kind != yaml.SequenceNode {
				ld.problem("course.yaml", v.Line, v.Column, Error, "lessons must be a list of file names")
				continue
			}
			for _, item := range v.Content {
				me.Lessons = append(me.Lessons, item.Value)
				me.at[item.Value] = [2]int{item.Line, item.Column}
			}
		default:
			ld.unknown("course.yaml", k, moduleKeys)
		}
	}
	if me.Path == "" {
		ld.problem("course.yaml", n.Line, n.Column, Error, "module entry has no path: add 'path: folder-name'")
	}
	return me
}

func (ld *loader) unknown(rel string, k *yaml.Node, known []string) {
	if s := closest(k.Value, known); s != "" {
		ld.problem(rel, k.Line, k.Column, Error, "unknown key %q: did you mean %q?", k.Value, s)
		return
	}
	ld.problem(rel, k.Line, k.Column, Error, "unknown key %q (known keys: %s)", k.Value, strings.Join(known, ", "))
}

func moduleID(dir string) string {
	if dir == "." {
		return ""
	}
	return dir
}

// titleFromName makes "01-how-backends-work" read "How backends work",
// keeping the words that are acronyms in capitals: "02-http" is "HTTP", and
// "connection_management_in_http_1.x" is "Connection management in HTTP/1.x".
func titleFromName(dir string) string {
	if dir == "." || dir == "" {
		return ""
	}
	name := path.Base(dir)
	if i := strings.IndexAny(name, "-_ "); i > 0 && strings.Trim(name[:i], "0123456789") == "" {
		name = name[i+1:]
	}
	words := strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' || r == ' ' })
	if len(words) == 0 {
		return dir
	}
	var out []string
	for i, w := range words {
		if a, ok := acronyms[strings.ToLower(w)]; ok {
			w = a
		} else if i == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		// A protocol's version joins it: "http 2" is "HTTP/2".
		if n := len(out); n > 0 && protocolNames[out[n-1]] && versionPattern().MatchString(w) {
			out[n-1] += "/" + w
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// acronyms are the words folder names of backend courses write in lower
// case that a title writes otherwise.
var acronyms = map[string]string{
	"api": "API", "apis": "APIs", "cdn": "CDN", "cdns": "CDNs", "cli": "CLI", "cors": "CORS", "csrf": "CSRF",
	"css": "CSS", "db": "DB", "dns": "DNS", "faq": "FAQ", "grpc": "gRPC", "html": "HTML", "http": "HTTP",
	"https": "HTTPS", "io": "I/O", "ip": "IP", "json": "JSON", "jwt": "JWT", "mdn": "MDN", "oauth": "OAuth",
	"orm": "ORM", "rest": "REST", "rpc": "RPC", "sql": "SQL", "ssh": "SSH", "ssl": "SSL", "tcp": "TCP",
	"tls": "TLS", "ttl": "TTL", "udp": "UDP", "uri": "URI", "url": "URL", "urls": "URLs", "xml": "XML",
	"xss": "XSS", "acid": "ACID", "cap": "CAP", "crud": "CRUD", "nosql": "NoSQL", "rdbms": "RDBMS",
	"cpu": "CPU", "tdd": "TDD", "ci": "CI", "aws": "AWS", "mvc": "MVC", "websocket": "WebSocket",
	"websockets": "WebSockets", "graphql": "GraphQL", "sse": "SSE",
}

// protocolNames take a version after a slash (HTTP/2; TLS 1.3 takes a space).
var protocolNames = map[string]bool{"HTTP": true}

var versionPattern = lazyRegexp(`^[0-9]+(\.[0-9a-z]+)*$`)

// DisplayPath names a file of the course as problems do.
func (c *Course) DisplayPath(rel string) string {
	if c.Display == "" {
		return rel
	}
	return c.Display + "/" + rel
}

// Lessons lists every lesson in course order.
func (c *Course) Lessons() []*Lesson {
	var out []*Lesson
	for _, m := range c.Modules {
		out = append(out, m.Lessons...)
	}
	return out
}

// Lesson finds a lesson by id.
func (c *Course) Lesson(id string) *Lesson {
	for _, m := range c.Modules {
		for _, l := range m.Lessons {
			if l.ID == id {
				return l
			}
		}
	}
	return nil
}

// LessonAt finds the lesson stored at a slash path relative to the root.
func (c *Course) LessonAt(p string) *Lesson {
	for _, l := range c.Lessons() {
		if l.Path == p {
			return l
		}
	}
	return nil
}

// Module finds a module by id.
func (c *Course) Module(id string) *Module {
	for _, m := range c.Modules {
		if m.ID == id {
			return m
		}
	}
	return nil
}

// Next returns the lesson after id in course order, or nil at the end.
func (c *Course) Next(id string) *Lesson {
	all := c.Lessons()
	for i, l := range all {
		if l.ID == id && i+1 < len(all) {
			return all[i+1]
		}
	}
	return nil
}

// Question finds a question of the lesson by id.
func (l *Lesson) Question(id string) *Question {
	for _, q := range l.Questions {
		if q.ID == id {
			return q
		}
	}
	return nil
}
