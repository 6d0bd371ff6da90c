package lessons

import "errors"

// MergeLastGood is for live reload: next is a course just reloaded from
// disk, prev the one on screen. Every lesson that parsed in prev but is
// broken in next is put back in its place in next, as the last good
// version, with Stale set to what is wrong with the file now; it leaves
// next.Broken. A lesson that was never good stays broken.
//
// MergeLastGood never modifies prev or its lessons (the UI may be reading
// them): reinstated lessons are copies. It modifies next, which the caller
// owns, and returns it. A nil prev returns next as it is.
func MergeLastGood(prev, next *Course) *Course {
	if prev == nil || next == nil || len(next.Broken) == 0 {
		return next
	}
	ids := map[string]bool{}
	for _, l := range next.Lessons() {
		ids[l.ID] = true
	}
	var still []BrokenLesson
	// Reinstate from the back of each module so earlier insertions don't
	// move the places later ones were recorded at.
	for i := len(next.Broken) - 1; i >= 0; i-- {
		b := next.Broken[i]
		old := prev.LessonAt(b.Path)
		m := next.Module(b.Module)
		if old == nil || m == nil || ids[old.ID] {
			still = append(still, b)
			continue
		}
		keep := *old
		keep.Module = m.ID
		keep.Stale = b.Err
		if keep.Stale == nil {
			keep.Stale = errors.New(b.Path + " no longer parses")
		}
		ids[keep.ID] = true
		at := min(max(b.at, 0), len(m.Lessons))
		m.Lessons = append(m.Lessons[:at], append([]*Lesson{&keep}, m.Lessons[at:]...)...)
	}
	next.Broken = next.Broken[:0]
	for i := len(still) - 1; i >= 0; i-- {
		next.Broken = append(next.Broken, still[i])
	}
	return next
}

// StaleLessons lists the lessons shown in their last good version because
// their file no longer parses.
func (c *Course) StaleLessons() []*Lesson {
	var out []*Lesson
	for _, l := range c.Lessons() {
		if l.Stale != nil {
			out = append(out, l)
		}
	}
	return out
}
