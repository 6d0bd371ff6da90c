// Package watch reloads a course from disk whenever its files change, so an
// instructor sees a saved lesson at once. It uses fsnotify on the course
// folder and its module folders and, as a safety net for file systems whose
// events never arrive (network mounts, a Windows drive under WSL), also
// compares file sizes and modification times every second; it polls only
// when fsnotify cannot start or SERVERSIDE_POLL=1. It knows nothing of the
// UI: it hands out Updates through a Hub, to as many readers as there are.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"serverside/lessons"
)

// Options tune a watch. The zero value is what the TUI wants.
type Options struct {
	// Debounce is how long the folder must stay quiet after a change before
	// the course is reloaded: editors save through temporary files and
	// renames, a burst of events that should make one reload. Default 150ms.
	Debounce time.Duration
	// Poll stats the files every PollInterval instead of using fsnotify.
	// SERVERSIDE_POLL=1 in the environment sets it too.
	Poll bool
	// PollInterval is how often the files are stat'ed. Default 1s. Even
	// with fsnotify running they are, as a safety net: on some file systems
	// (a Windows drive under WSL, network mounts) watches start fine and
	// events just never come.
	PollInterval time.Duration

	dropEvents bool // tests: behave like a file system whose events never arrive
}

// Update is the course as it is on disk after a change.
type Update struct {
	// Course is the freshly loaded course, merged with the one before it by
	// lessons.MergeLastGood: a lesson whose file no longer parses is its last
	// good version, with Lesson.Stale saying what is wrong now. Nil when Err
	// is set.
	Course *lessons.Course
	// Problems are every problem found in the files now, as lint reports them.
	Problems []lessons.Problem
	// Changed lists the slash paths, relative to the course folder, of the
	// lesson files whose content changed, appeared or went away since the
	// previous Update, sorted; "course.yaml" stands for a change in the
	// course's title, modules or lesson order. Lessons not listed are
	// exactly as before, so a reader can keep them (and their scroll
	// position) as they are.
	Changed []string
	// Err is set when the course folder cannot be read at all (it was
	// removed or renamed); watching goes on and a later Update brings the
	// course back.
	Err error
	// Polling reports that fsnotify is not running: changes are seen only
	// by looking at the files every PollInterval.
	Polling bool
}

// Start loads the course in dir and watches it until ctx is done. The
// Hub's Current is that initial load (with Changed empty); every later change
// that makes a difference to the course or its problems is published to each
// subscriber as one Update. Saves that change nothing (a touch, an editor's
// swap file) publish nothing.
//
// The error is for a dir that is not a readable directory at the start.
// If fsnotify cannot start (too many watches, an unsupported file system),
// or stops because the course folder went away, the watch polls and tries
// fsnotify again at the next change; Update.Polling says which is running.
func Start(ctx context.Context, dir string, opts Options) (*Hub, error) {
	if opts.Debounce <= 0 {
		opts.Debounce = 150 * time.Millisecond
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = time.Second
	}
	if os.Getenv("SERVERSIDE_POLL") == "1" {
		opts.Poll = true
	}
	w := &watcher{dir: dir, opts: opts, watched: map[string]bool{}}
	// Watch before the first load, so a save between the two is not lost.
	if !opts.Poll {
		if err := w.startNotify(); err != nil {
			w.stopNotify()
		}
	}
	w.snapshot = w.scan()
	course, probs, err := lessons.LoadDir(dir)
	if err != nil {
		w.stopNotify()
		return nil, err
	}
	w.last = course
	w.seen = fingerprintOf(course, probs)
	w.hub = newHub(Update{Course: course, Problems: probs, Polling: w.fsw == nil})
	go w.run(ctx)
	return w.hub, nil
}

// Course is Start for a single reader: first is the initial load and
// updates its subscription, closed when ctx is done.
func Course(ctx context.Context, dir string, opts Options) (first Update, updates <-chan Update, err error) {
	hub, err := Start(ctx, dir, opts)
	if err != nil {
		return Update{}, nil, err
	}
	updates = hub.Subscribe(ctx)
	return hub.Current(), updates, nil
}

type watcher struct {
	dir  string
	opts Options
	hub  *Hub

	fsw     *fsnotify.Watcher // nil when polling
	watched map[string]bool   // folders fsw watches

	snapshot map[string]fileStat // sizes and times at the last look

	last *lessons.Course // the course of the last Update, for MergeLastGood
	seen fingerprint     // what the last Update showed
}

func (w *watcher) startNotify() error {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	w.fsw = fsw
	if err := fsw.Add(w.dir); err != nil {
		return err
	}
	w.watched[filepath.Clean(w.dir)] = true
	return w.watchModules()
}

func (w *watcher) stopNotify() {
	if w.fsw != nil {
		_ = w.fsw.Close()
		w.fsw = nil
	}
	clear(w.watched)
}

// watchModules adds every module folder not yet watched: folders appear
// while the course is open, and fsnotify does not watch sub-folders.
func (w *watcher) watchModules() error {
	entries, err := os.ReadDir(w.dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(w.dir, e.Name())
		if w.watched[p] {
			continue
		}
		if err := w.fsw.Add(p); err != nil {
			return err
		}
		w.watched[p] = true
	}
	return nil
}

func (w *watcher) run(ctx context.Context) {
	defer w.hub.stop()
	defer w.stopNotify()

	var (
		timer        = time.NewTimer(time.Hour)
		pending      bool
		pendingSince time.Time
		ticker       = time.NewTicker(w.opts.PollInterval)
	)
	timer.Stop()
	defer timer.Stop()
	defer ticker.Stop()
	startPolling := w.stopNotify
	// A burst of events restarts the quiet period, but never postpones a
	// reload by more than maxWait, so a file written continuously still
	// shows up.
	maxWait := max(10*w.opts.Debounce, 2*time.Second)
	schedule := func() {
		now := time.Now()
		if !pending {
			pending, pendingSince = true, now
		} else if now.Sub(pendingSince) >= maxWait {
			return
		}
		timer.Reset(w.opts.Debounce)
	}

	for {
		var events <-chan fsnotify.Event
		var errs <-chan error
		if w.fsw != nil {
			events, errs = w.fsw.Events, w.fsw.Errors
		}
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				startPolling()
				continue
			}
			if w.opts.dropEvents {
				continue
			}
			if filepath.Clean(ev.Name) == filepath.Clean(w.dir) && ev.Has(fsnotify.Remove|fsnotify.Rename) {
				// The course folder itself went away: no watch can see it
				// come back, polling can.
				startPolling()
				schedule()
				continue
			}
			if w.relevant(ev) {
				schedule()
			}
		case _, ok := <-errs:
			if !ok {
				startPolling()
				continue
			}
			// Usually a queue overflow: events were lost, so look again.
			schedule()
		case <-ticker.C:
			// After an event the reload below takes a fresh snapshot, so
			// this only fires for changes no event reported.
			if !pending {
				if snap := w.scan(); !sameSnapshot(snap, w.snapshot) {
					w.snapshot = snap
					schedule()
				}
			}
		case <-timer.C:
			pending = false
			if w.fsw == nil && !w.opts.Poll {
				// Events stopped (the folder went away, or fsnotify could
				// not start): try again, now that something changed.
				if err := w.startNotify(); err != nil {
					w.stopNotify()
				}
			}
			if w.fsw != nil {
				if err := w.watchModules(); err != nil && !errors.Is(err, fs.ErrNotExist) {
					startPolling()
				}
			}
			w.snapshot = w.scan()
			if u, ok := w.reload(); ok {
				u.Polling = w.fsw == nil
				w.send(u)
			}
		}
	}
}

// relevant says whether an event may change the course: lesson files,
// course.yaml and module folders, not editors' swap and backup files.
func (w *watcher) relevant(ev fsnotify.Event) bool {
	if ev.Op == fsnotify.Chmod {
		return false // a touch or a permission change; content is the same
	}
	base := filepath.Base(ev.Name)
	if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") {
		return false
	}
	if strings.HasSuffix(base, ".md") || base == "course.yaml" {
		return true
	}
	if filepath.Dir(filepath.Clean(ev.Name)) != filepath.Clean(w.dir) {
		return false
	}
	if st, err := os.Stat(ev.Name); err == nil {
		return st.IsDir()
	}
	// Gone: it may have been a module folder.
	if ev.Has(fsnotify.Remove | fsnotify.Rename) {
		delete(w.watched, filepath.Clean(ev.Name))
		return filepath.Ext(base) == ""
	}
	return false
}

// reload loads the course and reports whether anything a reader can see
// differs from the last Update.
func (w *watcher) reload() (Update, bool) {
	course, probs, err := lessons.LoadDir(w.dir)
	if err != nil {
		fp := fingerprint{err: err.Error()}
		if fp.err == w.seen.err {
			return Update{}, false
		}
		w.seen = fp
		return Update{Err: err}, true
	}
	course = lessons.MergeLastGood(w.last, course)
	fp := fingerprintOf(course, probs)
	changed := w.seen.diff(fp)
	if len(changed) == 0 && slices.Equal(fp.problems, w.seen.problems) && w.seen.err == "" {
		return Update{}, false
	}
	w.last, w.seen = course, fp
	return Update{Course: course, Problems: probs, Changed: changed}, true
}

// send publishes u to every reader.
func (w *watcher) send(u Update) { w.hub.publish(u) }

func joinSorted(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

// fingerprint is what a reader sees of a course: each lesson file's content
// (or why it is broken), the layout, and the problems.
type fingerprint struct {
	files    map[string]string
	layout   string
	problems []string
	err      string
}

func fingerprintOf(c *lessons.Course, probs []lessons.Problem) fingerprint {
	fp := fingerprint{files: map[string]string{}}
	var layout strings.Builder
	fmt.Fprintf(&layout, "%q\n", c.Title)
	for _, m := range c.Modules {
		fmt.Fprintf(&layout, "%q %q %q\n", m.ID, m.Title, m.Summary)
		for _, l := range m.Lessons {
			fmt.Fprintf(&layout, "  %q\n", l.Path)
			stale := ""
			if l.Stale != nil {
				stale = l.Stale.Error()
			}
			fp.files[l.Path] = l.Source + "\x00" + stale
		}
	}
	for _, b := range c.Broken {
		fmt.Fprintf(&layout, "broken %q\n", b.Path)
		fp.files[b.Path] = "\x00broken\x00" + fmt.Sprint(b.Err)
	}
	fp.layout = layout.String()
	for _, p := range probs {
		fp.problems = append(fp.problems, p.String())
	}
	return fp
}

// diff lists the files whose fingerprint differs, and "course.yaml" when
// the layout does.
func (fp fingerprint) diff(next fingerprint) []string {
	var out []string
	for p, s := range next.files {
		if old, ok := fp.files[p]; !ok || old != s {
			out = append(out, p)
		}
	}
	for p := range fp.files {
		if _, ok := next.files[p]; !ok {
			out = append(out, p)
		}
	}
	if fp.layout != next.layout && !slices.Contains(out, "course.yaml") {
		out = append(out, "course.yaml")
	}
	slices.Sort(out)
	return out
}

// fileStat is what polling compares.
type fileStat struct {
	size    int64
	modTime time.Time
	dir     bool
}

// scan stats the course folder, its module folders, their lesson files and
// course.yaml. A folder that cannot be read scans as empty.
func (w *watcher) scan() map[string]fileStat {
	snap := map[string]fileStat{}
	var walk func(dir string, depth int)
	walk = func(dir string, depth int) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			p := filepath.Join(dir, name)
			if e.IsDir() {
				if depth == 0 {
					snap[p] = fileStat{dir: true}
					walk(p, 1)
				}
				continue
			}
			if !strings.HasSuffix(name, ".md") && !(depth == 0 && name == "course.yaml") {
				continue
			}
			if info, err := e.Info(); err == nil {
				snap[p] = fileStat{size: info.Size(), modTime: info.ModTime()}
			}
		}
	}
	walk(w.dir, 0)
	return snap
}

func sameSnapshot(a, b map[string]fileStat) bool {
	if len(a) != len(b) || (a == nil) != (b == nil) {
		return false
	}
	for p, s := range a {
		t, ok := b[p]
		if !ok || s.size != t.size || !s.modTime.Equal(t.modTime) || s.dir != t.dir {
			return false
		}
	}
	return true
}
