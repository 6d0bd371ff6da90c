package render

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// plainAndStyled renders md in the plain theme and in the dark one with
// its escapes stripped: the two must say the same things.
func plainAndStyled(t *testing.T, md string, o Options) (plain, styled string) {
	t.Helper()
	o.Theme = Plain
	p, err := Render(md, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Theme = Dark
	s, err := Render(md, o)
	if err != nil {
		t.Fatal(err)
	}
	return p, ansi.Strip(s)
}

func TestListItemsReflowWithHangingIndent(t *testing.T) {
	md := "- Only one server holds the truth, not one per browser.\n  If two people\n  buy the last teapot, the server decides who gets it.\n"
	plain, styled := plainAndStyled(t, md, Options{Width: 40})
	want := "• Only one server holds the truth, not\n  one per browser. If two people buy the\n  last teapot, the server decides who\n  gets it.\n"
	if plain != want {
		t.Errorf("plain:\n%s\nwant:\n%s", plain, want)
	}
	if !strings.Contains(styled, "  • Only one server holds the truth, not\n    one per browser. If two people buy\n") {
		t.Errorf("styled:\n%s", styled)
	}
}

func TestCodeIsNeverWrapped(t *testing.T) {
	long := "    curl -s -H 'Accept: application/json' https://shop.example/products/42?with=reviews-and-ratings\n"
	md := "Run:\n\n```sh\n" + strings.TrimPrefix(long, "    ") + "```\n\nA URL https://shop.example/a-very-long-path/with.dots-and-dashes/in-it/42 in prose.\n"
	plain, styled := plainAndStyled(t, md, Options{Width: 40})
	for name, out := range map[string]string{"plain": plain, "styled": styled} {
		if !strings.Contains(out, "curl -s -H 'Accept: application/json' https://shop.example/products/42?with=reviews-and-ratings\n") {
			t.Errorf("%s: the code line was wrapped:\n%s", name, out)
		}
		if !strings.Contains(out, "https://shop.example/a-very-long-path/with.dots-and-dashes/in-it/42") {
			t.Errorf("%s: the URL was broken:\n%s", name, out)
		}
	}
	// Where a line can't run on, it is cut with a marker, keeping its
	// indentation.
	cut, err := Render("```\n    indented and far too long for the width of this view\n```\n", Options{Width: 30, Theme: Dark, CutWide: true})
	if err != nil {
		t.Fatal(err)
	}
	cut = ansi.Strip(cut)
	if !strings.Contains(cut, "        indented and far too …\n") {
		t.Errorf("cut code:\n%q", cut)
	}
	for _, l := range strings.Split(cut, "\n") {
		if ansi.StringWidth(l) > 30 {
			t.Errorf("line wider than 30: %q", l)
		}
	}
}

func TestCodeInListItemPlain(t *testing.T) {
	md := "1. Send it:\n\n   ```\n   GET / HTTP/1.1\n\n   Host: x\n   ```\n\n   Then read.\n"
	plain, _ := plainAndStyled(t, md, Options{Width: 60})
	want := "1. Send it:\n\n     GET / HTTP/1.1\n\n     Host: x\n\n   Then read.\n"
	if plain != want {
		t.Errorf("plain:\n%q\nwant:\n%q", plain, want)
	}
}

func TestLinksResolve(t *testing.T) {
	links := func(dest string, image bool) (Target, bool) {
		switch dest {
		case "02-next.md", "02-next.md#part":
			return Target{Lesson: "(→ The next lesson)"}, true
		case "img/x.png":
			return Target{Path: "course/01/img/x.png"}, true
		}
		return Target{}, false
	}
	md := "See [next](02-next.md), [part][r], [again](<02-next.md>) and ![a diagram](img/x.png).\n" +
		"Not in code: `[next](02-next.md)`. Out: [Go](https://go.dev/).\n\n[r]: 02-next.md#part\n"
	plain, styled := plainAndStyled(t, md, Options{Width: 200, Links: links})
	for name, out := range map[string]string{"plain": plain, "styled": styled} {
		for _, want := range []string{"next (→ The next lesson)", "part (→ The next lesson)", "again (→ The next lesson)",
			"Image: a diagram → course/01/img/x.png", "[next](02-next.md)", "Go https://go.dev/"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q:\n%s", name, want, out)
			}
		}
		if strings.Contains(out, "/02-") {
			t.Errorf("%s shows a bogus path:\n%s", name, out)
		}
	}
}

func TestCalloutsAndHTMLImages(t *testing.T) {
	md := "> [!NOTE]\n> Caches may serve stale copies.\n\n> [!WARNING]\n> Never retry a POST.\n\n" +
		"<p align=\"center\">\n  <img src=\"images/lb.png\" alt=\"Load balancer\">\n  <br/>\n  <i>Source: a talk</i>\n</p>\n\n" +
		"<picture><source srcset=\"d.png\"><img src=\"l.png\" alt=\"Cache tiers\"></picture>\n\nNext paragraph.\n"
	plain, styled := plainAndStyled(t, md, Options{Width: 60})
	for name, out := range map[string]string{"plain": plain, "styled": styled} {
		for _, want := range []string{"│ Note\n", "│ Caches may serve stale copies.", "│ Warning\n", "│ Never retry a POST.",
			"Image: Load balancer → images/lb.png\n", "Source: a talk\n", "Image: Cache tiers → l.png\n"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q:\n%s", name, want, out)
			}
		}
		if strings.Contains(out, "[!NOTE]") || strings.Contains(out, "<img") {
			t.Errorf("%s shows raw markup:\n%s", name, out)
		}
	}
}

// Nesting deeper than the renderer follows still shows its text, and
// doesn't exhaust the stack.
func TestDeepNestingShowsText(t *testing.T) {
	md := strings.Repeat("> ", 200) + "deep text\n\n" + strings.Repeat("*", 300) + "x" + strings.Repeat("*", 300) + "\n"
	out, err := Render(md, Options{Width: 80, Theme: Plain})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "deep text") {
		t.Errorf("deep text lost:\n%.300s", out)
	}
}

// A narrow table wraps its cells at spaces and keeps words whole while
// the columns' longest words fit: the column of short words gives up its
// room first.
func TestNarrowTableKeepsWords(t *testing.T) {
	md := "| Notes | Header |\n|---|---|\n| a b c d e f g h i j k l m n o | Authorization |\n"
	out, err := Render(md, Options{Width: 23, Theme: Plain})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Authorization") {
		t.Errorf("a word was cut:\n%s", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if ansi.StringWidth(l) > 23 {
			t.Errorf("line wider than 23: %q", l)
		}
	}
}

// A table with more columns than fit even narrowed shows one record per
// row instead of cells a letter or two wide.
func TestTooWideTableShowsRecords(t *testing.T) {
	md := "| order | customer | city | product | price | qty |\n|---|---|---|---|---|---|\n| 1 | Ada | London | Teapot | 12.50 | 2 |\n| 2 | Bob | Paris | Cup | 3.00 | 6 |\n"
	out, err := Render(md, Options{Width: 30, Theme: Plain})
	if err != nil {
		t.Fatal(err)
	}
	want := "order: 1\ncustomer: Ada\ncity: London\nproduct: Teapot\nprice: 12.50\nqty: 2\n\norder: 2\ncustomer: Bob\ncity: Paris\nproduct: Cup\nprice: 3.00\nqty: 6\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}
