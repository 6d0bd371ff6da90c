package progress

import (
	"fmt"

	"serverside/termsafe"
)

// checkIDs refuses an export whose lesson, question, lab or task ids hold
// control characters, bidi controls or invalid UTF-8: an export can come
// from anyone, and `report` prints its ids. (Their length is one of the
// bounds checkBounds holds them to.)
func (f exportFile) checkIDs() error {
	check := func(where string, i int, ids ...string) error {
		for _, id := range ids {
			if !termsafe.Clean(id) || id != termsafe.Line(id) {
				return fmt.Errorf("%s[%d]: id %q holds control characters: ids are names from a course, letters, digits and dashes", where, i, termsafe.Line(clip(id)))
			}
		}
		return nil
	}
	for i, a := range f.Attempts {
		if err := check("attempts", i, a.LessonID, a.QuestionID); err != nil {
			return err
		}
	}
	for i, l := range f.LessonStates {
		if err := check("lesson_states", i, l.LessonID); err != nil {
			return err
		}
	}
	for i, c := range f.Cards {
		if err := check("cards", i, c.LessonID, c.QuestionID); err != nil {
			return err
		}
	}
	for i, fl := range f.Flags {
		if err := check("flags", i, fl.LessonID, fl.QuestionID); err != nil {
			return err
		}
	}
	for i, lt := range f.LabTasks {
		if err := check("lab_tasks", i, lt.LessonID, lt.LabID, lt.TaskID); err != nil {
			return err
		}
	}
	return nil
}
