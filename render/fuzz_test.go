package render

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"serverside/internal/hostile"
	"serverside/lessons"
)

// allowed is what a render may write besides text: SGR and OSC 8.
var allowed = regexp.MustCompile("\x1b\\[[0-9;:]*m|\x1b\\]8;[^\x07\x1b]*(\x07|\x1b\\\\)")

// FuzzRenderLesson takes a lesson file through the parser and the
// renderer, as `read` and the TUI do, and holds each input to a time and
// heap bound: no input may make the renderer run away, and nothing but
// SGR and OSC 8 may reach the terminal.
func FuzzRenderLesson(f *testing.F) {
	for _, glob := range []string{"../lessons/testdata/*/*.md", "../lessons/course/*/*.md", "../cli/testdata/hostile/*.md"} {
		files, _ := filepath.Glob(glob)
		for _, name := range files {
			src, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src, uint8(80), uint8(0))
		}
	}
	for _, c := range hostile.Cases() {
		src := hostile.Lesson(c)
		f.Add([]byte(src[:min(len(src), 4096)]), uint8(100), uint8(1))
	}
	themes := []Theme{Dark, Light, Contrast, Plain}
	f.Fuzz(func(t *testing.T, src []byte, width, theme uint8) {
		l, _ := lessons.ParseLesson("f.md", "f.md", src)
		if l == nil {
			return
		}
		th := themes[int(theme)%len(themes)]
		var out string
		var err error
		hostile.WithinBounds(t, "render", 10*time.Second, 512<<20, func() {
			out, err = Markdown(l.Body, int(width)*2, th)
		})
		if err != nil {
			t.Fatal(err)
		}
		rest := allowed.ReplaceAllString(out, "")
		for i, r := range rest {
			if lessons.IsControl(r) {
				t.Fatalf("control character %U at %d reached the output: %q", r, i, rest[max(0, i-20):min(len(rest), i+20)])
			}
		}
	})
}
