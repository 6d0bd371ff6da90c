// Package lessons turns a course directory of markdown files into Course,
// Lesson and Question values, grades answers, and lints courses for
// instructors. It is pure: it knows nothing of terminals, rendering or
// storage, so every rule here can be tested with plain values.
package lessons

// Course is a whole course: its modules in order, and any lesson files that
// could not be parsed (kept so the UI can show them as broken).
type Course struct {
	Title string
	Root  string // directory the course was loaded from ("" for the embedded one)
	// Display is how problems name the course's files: Display + "/" + a
	// lesson's Path.
	Display string
	Modules []*Module
	Broken  []BrokenLesson
}

// Module is one folder of lessons.
type Module struct {
	ID      string // the folder path relative to the course root ("" for top-level lessons)
	Title   string
	Summary string
	Lessons []*Lesson
}

// BrokenLesson is a lesson file that did not parse; Err says why, and
// Problems are all of its problems as lint reports them.
type BrokenLesson struct {
	Path     string
	Module   string
	Err      error
	Problems []Problem

	at int // index in its module's Lessons where it would stand
}

// Lesson is one markdown file.
type Lesson struct {
	ID      string
	Title   string
	Summary string
	Minutes int
	Module  string // Module.ID
	Path    string // slash path relative to the course root
	// Body is the markdown after the front matter with quiz and lab blocks
	// removed, ready to render.
	Body string
	// Source is the whole file as read, used to hash and to report positions.
	Source    string
	Questions []*Question
	Labs      []*Lab
	// Links are the relative links to other markdown files, for lint and
	// for opening linked lessons.
	Links []Link
	// Headings of the body in order, for a table of contents.
	Headings []Heading
	// Stale is set when the lesson's file changed and no longer parses:
	// this is then the last good version (see MergeLastGood), and Stale
	// says what is wrong with the file now, for a banner.
	Stale error

	idLine, idCol int // where the front matter sets id, for course-level problems
	// refs are the body's links and images within the course, and anchors
	// the #fragments that lead into this lesson, for lint.
	refs    []ref
	anchors []string
}

// QuestionType names the kinds of question a lesson can ask.
type QuestionType string

const (
	Single    QuestionType = "single"
	Multi     QuestionType = "multi"
	TrueFalse QuestionType = "truefalse"
	Short     QuestionType = "short"
	Numeric   QuestionType = "numeric"
	Order     QuestionType = "order"
)

// Question is one quiz block.
type Question struct {
	ID     string
	Type   QuestionType
	Prompt string
	// Choices for single and multi questions, in the author's order.
	Choices []string
	// Answer holds what is right, by type:
	//   single: one index into Choices; multi: the indexes of every right choice;
	//   truefalse: Bool; short: Accepted (and Pattern); numeric: Number,
	//   Tolerance, Relative, Unit; order: Items is the right order.
	Correct   []int
	Bool      bool
	Accepted  []string
	Pattern   string
	Number    float64
	Tolerance float64
	Relative  bool // Tolerance is a fraction of Number, not an absolute amount
	Unit      string
	Items     []string
	Explain   string
	Hints     []string
	Refs      []string
	// Offset is the byte offset in Lesson.Body where the question's block
	// stood, so a reader can place the question where the author put it.
	Offset int
	// Line is the 1-based line of the opening fence in the source file.
	Line int
	// Hash identifies the question's content (type, prompt, choices,
	// answer, explanation), so stored attempts can tell when it changed.
	Hash string
}

// Lab is a lab block: a hands-on exercise the labs package knows how to run.
// lessons only checks its envelope (id and kind); the rest is kept as YAML
// for the labs package to decode.
type Lab struct {
	ID     string
	Kind   string
	Title  string
	Offset int
	Line   int
	// Raw is the block's YAML exactly as written.
	Raw string
}

// Link is a link in a lesson body to another file of the course.
type Link struct {
	Target string // as written
	Path   string // resolved slash path relative to the course root
	Line   int
	Col    int
}

// Heading is a heading of the lesson body.
type Heading struct {
	Level int
	Text  string
	// Offset is the byte offset of the heading in Body.
	Offset int
}
