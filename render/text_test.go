package render

import (
	"strings"
	"testing"
)

// Question text is markdown: quiz --plain shows it with no markers, also
// under NO_COLOR, where Text gets no painter.
func TestTextPlain(t *testing.T) {
	tests := []struct{ name, md, want string }{
		{"code and emphasis", "What does `GET /` do when the *new* **request** arrives?", "What does GET / do when the new request arrives?"},
		{"soft breaks reflow", "prompt line one\ncontinues here", "prompt line one continues here"},
		{"list in a prompt", "Which are safe?\n\n- GET\n- `HEAD`\n", "Which are safe?\n\n• GET\n• HEAD"},
		{"link", "See [RFC 9110](https://www.rfc-editor.org/rfc/rfc9110).", "See RFC 9110 https://www.rfc-editor.org/rfc/rfc9110."},
		{"escaped star", `2 \* 3`, "2 * 3"},
		{"entity", "a &amp; b &lt;c&gt;", "a & b <c>"},
		{"plain words", "HEAD is safe.", "HEAD is safe."},
		{"smuggled escape", "a &#x1b;[31m b", "a \uFFFD[31m b"},
		{"underscore emphasis", "the _idempotent_ ones", "the idempotent ones"},
	}
	for _, tt := range tests {
		if got := Text(tt.md, 0, nil); got != tt.want {
			t.Errorf("%s: Text(%q) = %q, want %q", tt.name, tt.md, got, tt.want)
		}
	}
}

func TestTextWrapsWithHangingIndent(t *testing.T) {
	got := Text("Pick one:\n\n- a first choice that is long enough\n  to wrap onto a second line\n", 24, nil)
	want := "Pick one:\n\n• a first choice that is\n  long enough to wrap\n  onto a second line"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestTextPaintsByMark(t *testing.T) {
	paint := func(m Mark, s string) string {
		var tags []string
		for _, x := range []struct {
			m Mark
			n string
		}{{Code, "code"}, {Emph, "em"}, {Strong, "strong"}, {Link, "link"}} {
			if m&x.m != 0 {
				tags = append(tags, x.n)
			}
		}
		if len(tags) == 0 {
			return s
		}
		return "<" + strings.Join(tags, "+") + ">" + s + "</>"
	}
	got := Text("Send `GET` to *the* **`/api`** [docs](https://x.y/)", 0, paint)
	for _, part := range []string{"<code>GET</>", "<em>the</>", "<code+strong>/api</>", "<link>https://x.y/</>"} {
		if !strings.Contains(got, part) {
			t.Errorf("%q lacks %q", got, part)
		}
	}
	if strings.ContainsAny(got, "`*") {
		t.Errorf("markdown markers left in %q", got)
	}
}
