package lessons

import (
	"sort"
	"strings"
)

// Find is the lesson called arg (its id), or at arg (its path in the
// course, "./" allowed); nil when there is none. Similar then suggests
// what was meant: every command that takes a lesson finds it here.
func (c *Course) Find(arg string) *Lesson {
	if l := c.Lesson(arg); l != nil {
		return l
	}
	return c.LessonAt(strings.TrimPrefix(arg, "./"))
}

// Similar suggests up to three lesson ids close to what was typed: ids or
// titles that contain it, then ids a few typing mistakes away, closest
// first.
func (c *Course) Similar(arg string) []string {
	want := strings.ToLower(strings.TrimSpace(arg))
	if len(want) < 3 {
		return nil
	}
	type candidate struct {
		id   string
		dist int
	}
	var found []candidate
	for _, l := range c.Lessons() {
		id := strings.ToLower(l.ID)
		switch d := editDistance(want, id); {
		case strings.Contains(id, want) || strings.Contains(strings.ToLower(l.Title), want):
			found = append(found, candidate{l.ID, 0})
		case d <= max(2, len(want)/3):
			found = append(found, candidate{l.ID, d})
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].dist < found[j].dist })
	var out []string
	for _, f := range found[:min(3, len(found))] {
		out = append(out, f.id)
	}
	return out
}
