package progress

import (
	"encoding/json"
	"fmt"
	"io"
)

// The export file's layout, for backends other than the SQLite store: the
// same JSON, read and written by every backend, is what moves a learner
// between them.
type (
	ExportFile        = exportFile
	ExportUser        = exportUser
	ExportAttempt     = exportAttempt
	ExportLessonState = exportLessonState
	ExportCard        = exportCard
	ExportFlag        = exportFlag
	ExportLabTask     = exportLabTask
)

// DecodeExport reads and checks an export file (its layout, ids and
// bounds), saying what is wrong with it; every backend's Import starts
// here, and nothing is written anywhere.
func DecodeExport(r io.Reader) (ExportFile, error) {
	var f exportFile
	dec := json.NewDecoder(&boundedReader{r: r, n: maxImportBytes})
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return f, fmt.Errorf("import: not a serverside progress export (%w); export one with `serverside progress export`", err)
	}
	if err := f.validate(); err != nil {
		return f, fmt.Errorf("import: %w", err)
	}
	if err := f.checkBounds(); err != nil {
		return f, fmt.Errorf("import: %w", err)
	}
	return f, nil
}

// StatusName is a lesson status as the export file spells it.
func StatusName(s LessonStatus) string { return statusNames[s] }

// StatusByName is the lesson status an export file's name stands for.
func StatusByName(name string) (LessonStatus, bool) { return statusByName(name) }
