package progress

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// Bounds on what an imported export may hold. Nothing this program writes
// comes near them; an export can come from anyone, and values past them
// wrapped (reps 2^63-1 became -2^63 on the next review), broke scheduling
// (stability 1e308), or made a database that a later export could not
// read back (one 100 MB answer).
const (
	maxImportID      = 200        // bytes of a lesson, question, lab or task id
	maxImportAnswer  = 64 << 10   // bytes of one recorded answer
	maxImportHash    = 128        // bytes of a question hash
	maxImportHints   = 1000       // hints used on one answer
	maxImportCount   = 1_000_000  // reps, lapses
	maxImportStep    = 100        // a card's learning step
	maxImportStable  = 1e6        // days of stability (FSRS intervals stop at 36,500)
	maxImportSeconds = 1e9        // seconds spent in one lesson (about 30 years)
	maxImportScroll  = 10_000_000 // reading position, in lines
	maxImportPrev    = 64 << 10   // bytes of a card's previous state
)

// checkBounds refuses a value past the bounds above, naming the record
// (its section, index and ids) and the field.
func (f exportFile) checkBounds() error {
	id := func(field, v string) error {
		if len(v) > maxImportID {
			return fmt.Errorf("%s is %d bytes, at most %d", field, len(v), maxImportID)
		}
		return nil
	}
	in := func(field string, v, lo, hi int) error {
		if v < lo || v > hi {
			return fmt.Errorf("%s %d is out of range (%d to %d)", field, v, lo, hi)
		}
		return nil
	}
	size := func(field, v string, limit int) error {
		if len(v) > limit {
			return fmt.Errorf("%s is %d bytes, at most %d", field, len(v), limit)
		}
		return nil
	}
	first := func(errs ...error) error {
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		return nil
	}
	question := func(section string, i int, lesson, q string) string {
		return fmt.Sprintf("%s[%d] (lesson %q, question %q)", section, i, clip(lesson), clip(q))
	}
	for i, a := range f.Attempts {
		if err := first(id("lesson_id", a.LessonID), id("question_id", a.QuestionID),
			size("question_hash", a.QuestionHash, maxImportHash), size("answer", a.Answer, maxImportAnswer),
			in("hints_used", a.HintsUsed, 0, maxImportHints)); err != nil {
			return fmt.Errorf("%s: %w", question("attempts", i, a.LessonID, a.QuestionID), err)
		}
	}
	for i, l := range f.LessonStates {
		if err := first(id("lesson_id", l.LessonID), in("scroll", l.Scroll, 0, maxImportScroll),
			in("seconds", l.Seconds, 0, maxImportSeconds)); err != nil {
			return fmt.Errorf("lesson_states[%d] (lesson %q): %w", i, clip(l.LessonID), err)
		}
	}
	for i, c := range f.Cards {
		err := first(id("lesson_id", c.LessonID), id("question_id", c.QuestionID),
			in("reps", c.Reps, 0, maxImportCount), in("lapses", c.Lapses, 0, maxImportCount),
			in("step", c.Step, 0, maxImportStep), size("last_day", c.LastDay, len("2006-01-02")),
			size("prev", c.Prev, maxImportPrev))
		if err == nil && c.Stability > maxImportStable {
			err = fmt.Errorf("stability %g is out of range (more than 0, at most %g days)", c.Stability, float64(maxImportStable))
		}
		if err != nil {
			return fmt.Errorf("%s: %w", question("cards", i, c.LessonID, c.QuestionID), err)
		}
	}
	for i, fl := range f.Flags {
		err := first(id("lesson_id", fl.LessonID), id("question_id", fl.QuestionID))
		if n := utf8.RuneCountInString(fl.Comment); err == nil && n > MaxCommentLen {
			err = fmt.Errorf("comment is %d characters, at most %d", n, MaxCommentLen)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", question("flags", i, fl.LessonID, fl.QuestionID), err)
		}
	}
	for i, lt := range f.LabTasks {
		if err := first(id("lesson_id", lt.LessonID), id("lab_id", lt.LabID), id("task_id", lt.TaskID)); err != nil {
			return fmt.Errorf("lab_tasks[%d] (lesson %q, lab %q): %w", i, clip(lt.LessonID), clip(lt.LabID), err)
		}
	}
	return nil
}

// clip keeps an id short enough to name in a message.
func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	for i := 40; i > 0; i-- {
		if utf8.RuneStart(s[i]) {
			return s[:i] + "…"
		}
	}
	return "…"
}

// maxImportBytes bounds the file Import reads: one learner's export is a
// few megabytes at most, and the decoder holds all of it.
const maxImportBytes = 256 << 20

// boundedReader fails a read past n bytes, so an endless or huge input
// stops with a clear error instead of filling memory.
type boundedReader struct {
	r io.Reader
	n int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.n <= 0 {
		return 0, fmt.Errorf("the file is larger than %d MB, far more than any export of one learner: is it the right file?", maxImportBytes>>20)
	}
	if int64(len(p)) > b.n {
		p = p[:b.n]
	}
	n, err := b.r.Read(p)
	b.n -= int64(n)
	return n, err
}
