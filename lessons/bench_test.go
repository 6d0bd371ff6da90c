package lessons

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// generatedLesson is a realistic lesson: prose, a code block, links to its
// neighbours, headings and one question of every type.
func generatedLesson(mod, n, lessonsPerModule int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\nid: m%02d-lesson-%03d\ntitle: Lesson %d of module %d\nsummary: A generated lesson for benchmarks.\nminutes: 10\n---\n\n", mod, n, n, mod)
	fmt.Fprintf(&b, "# Lesson %d\n\n", n)
	for s := 0; s < 4; s++ {
		fmt.Fprintf(&b, "## Section %d\n\n", s)
		for p := 0; p < 3; p++ {
			b.WriteString("A server accepts a connection, reads a request, routes it to a handler and writes a response. ")
			b.WriteString("Timeouts bound every step, and a *pool* of connections keeps the **database** busy but not drowned. ")
			b.WriteString("See `net/http` for the details.\n\n")
		}
		b.WriteString("```go\nfunc handler(w http.ResponseWriter, r *http.Request) {\n\tfmt.Fprintln(w, \"hello\")\n}\n```\n\n")
	}
	if n > 1 {
		fmt.Fprintf(&b, "Back to [the previous lesson](%03d.md).\n\n", n-1)
	}
	if n < lessonsPerModule {
		fmt.Fprintf(&b, "On to [the next lesson](%03d.md).\n\n", n+1)
	}
	b.WriteString(everyTypeQuizzes)
	return b.String()
}

const everyTypeQuizzes = "```quiz\nid: pick-one\ntype: single\nprompt: Which method is safe?\nchoices: [GET, POST, DELETE]\nanswer: GET\nexplain: GET is read-only by contract.\nhints:\n  - Think about which one only reads.\nrefs:\n  - https://www.rfc-editor.org/rfc/rfc9110#section-9.2.1\n```\n\n" +
	"```quiz\nid: pick-many\ntype: multi\nprompt: Which are idempotent?\nchoices: [PUT, DELETE, POST]\nanswer: [PUT, DELETE]\nexplain: Repeating PUT or DELETE leaves the same state.\n```\n\n" +
	"```quiz\nid: yes-no\ntype: truefalse\nprompt: HEAD is safe.\nanswer: true\nexplain: HEAD is GET without the body.\n```\n\n" +
	"```quiz\nid: code\ntype: short\nprompt: Which status answers a matching conditional GET?\nanswer: [\"304\", \"Not Modified\"]\npattern: '^304\\b'\nexplain: 304 tells the client its copy is fresh.\n```\n\n" +
	"```quiz\nid: rtt\ntype: numeric\nprompt: Round trips for a TCP handshake before data?\nanswer: 1.5\ntolerance: 10%\nunit: RTT\nexplain: SYN, SYN-ACK, ACK.\n```\n\n" +
	"```quiz\nid: steps\ntype: order\nprompt: Order the steps.\nitems:\n  - DNS\n  - TCP\n  - TLS\n  - HTTP\nexplain: Each needs the one before.\n```\n\nThe end.\n"

// generatedCourse is a course of modules×perModule lessons with a
// course.yaml listing them.
func generatedCourse(modules, perModule int) fstest.MapFS {
	fsys := fstest.MapFS{}
	var cy strings.Builder
	cy.WriteString("title: Generated\nmodules:\n")
	for m := 1; m <= modules; m++ {
		dir := fmt.Sprintf("%02d-module", m)
		fmt.Fprintf(&cy, "  - path: %s\n    title: Module %d\n    lessons:\n", dir, m)
		for n := 1; n <= perModule; n++ {
			name := fmt.Sprintf("%03d.md", n)
			fmt.Fprintf(&cy, "      - %s\n", name)
			fsys[dir+"/"+name] = &fstest.MapFile{Data: []byte(generatedLesson(m, n, perModule)), Mode: 0o644}
		}
	}
	fsys["course.yaml"] = &fstest.MapFile{Data: []byte(cy.String()), Mode: 0o644}
	return fsys
}

func TestGeneratedCourseIsClean(t *testing.T) {
	c, probs := Load(generatedCourse(3, 5), "gen")
	if len(probs) != 0 {
		t.Fatalf("generated course has problems: %v", probs)
	}
	if len(c.Lessons()) != 15 || len(c.Lessons()[0].Questions) != 6 || len(c.Lessons()[1].Links) != 2 {
		t.Fatalf("generated course: %d lessons", len(c.Lessons()))
	}
}

func BenchmarkLoadCourse300(b *testing.B) {
	fsys := generatedCourse(10, 30)
	size := 0
	for _, f := range fsys {
		size += len(f.Data)
	}
	b.SetBytes(int64(size))
	cpu := startCPU(b)
	for b.Loop() {
		c, _ := Load(fsys, "gen")
		if len(c.Lessons()) != 300 {
			b.Fatalf("loaded %d lessons", len(c.Lessons()))
		}
	}
	cpu.report(b)
}

// BenchmarkLint300 is what `serverside lint DIR` does: read a course of 300
// lessons from disk, run every lesson-level and course-level check and
// format the problems. One lesson in ten carries mistakes, so the problem
// paths are measured too.
func BenchmarkLint300(b *testing.B) {
	fsys := generatedCourse(10, 30)
	for name, f := range fsys {
		if strings.HasSuffix(name, "0.md") {
			f.Data = []byte(strings.Replace(string(f.Data), "answer: GET", "answer: HEAD", 1))
		}
	}
	dir := b.TempDir()
	if err := os.CopyFS(dir, fsys); err != nil {
		b.Fatal(err)
	}
	cpu := startCPU(b)
	for b.Loop() {
		c, probs, err := LoadDir(dir)
		if err != nil {
			b.Fatal(err)
		}
		var out strings.Builder
		for _, p := range probs {
			out.WriteString(p.String())
			out.WriteByte('\n')
		}
		if len(c.Broken) != 30 || len(probs) != 30 {
			b.Fatalf("want 30 broken lessons, got %d (%d problems)", len(c.Broken), len(probs))
		}
	}
	cpu.report(b)
}

func BenchmarkParse1MB(b *testing.B) {
	var src strings.Builder
	n := 0
	for src.Len() < 1<<20 {
		n++
		// Each chunk carries its own questions with distinct ids, so the
		// lesson has many blocks and many headings, the parser's worst case.
		chunk := generatedLesson(1, n, 1<<30)
		_, body, _, _ := splitFrontMatter([]byte(chunk))
		if n == 1 {
			src.WriteString(chunk[:len(chunk)-len(body)])
		}
		src.WriteString(strings.ReplaceAll(string(body), "id: ", fmt.Sprintf("id: c%d-", n)))
	}
	data := []byte(src.String())
	b.SetBytes(int64(len(data)))
	cpu := startCPU(b)
	for b.Loop() {
		// A megabyte lesson is past what a lesson may show (lint says so
		// at its line); parsing it whole is what is measured.
		if l, probs := ParseLesson("big.md", "big.md", data); l == nil {
			b.Fatalf("no lesson: %v", probs)
		}
	}
	cpu.report(b)
}

// cpuMeter reports CPU time per op: both cores' worth, since loading
// parses lessons in parallel.
type cpuMeter struct{ start time.Duration }

func startCPU(b *testing.B) cpuMeter {
	b.ResetTimer()
	return cpuMeter{start: processCPU()}
}

func (m cpuMeter) report(b *testing.B) {
	b.ReportMetric(float64(processCPU()-m.start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}
