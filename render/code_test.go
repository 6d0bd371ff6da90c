package render

import (
	"strings"
	"testing"
)

// classes renders code in a palette that names each token's class, so a
// test can read what the scanner saw.
func classes(t *testing.T, lang, src string) string {
	t.Helper()
	p := &palette{chroma: map[string]style{}}
	for _, c := range []string{"text", "comment", "keyword", "type", "string", "number", "function", "attribute", "operator", "punctuation", "tag"} {
		p.chroma[c] = style{fg: c}
	}
	r := &renderer{p: p}
	var b strings.Builder
	for i, row := range r.highlight(src, lang) {
		if i > 0 {
			b.WriteString("\n")
		}
		for _, sp := range row {
			if sp.st.fg == "" || sp.st.fg == "text" || sp.st.fg == "punctuation" || sp.st.fg == "operator" || strings.TrimSpace(sp.text) == "" {
				b.WriteString(sp.text)
				continue
			}
			b.WriteString("<" + sp.st.fg + ">" + sp.text + "</>")
		}
	}
	return b.String()
}

func TestHighlight(t *testing.T) {
	tests := []struct{ lang, src, want string }{
		{"go", "func main() { return \"hi\" } // done", "<keyword>func</> <function>main</>() { <keyword>return</> <string>\"hi\"</> } <comment>// done</>"},
		{"go", "x := `raw\nstill raw` + 42", "x := <string>`raw</>\n<string>still raw`</> + <number>42</>"},
		{"go", "/* a\nb */ nil", "<comment>/* a</>\n<comment>b */</> <type>nil</>"},
		{"sh", "curl -i https://shop.example/a#b # fetch", "curl <attribute>-i</> https://shop.example/a#b <comment># fetch</>"},
		{"sql", "SELECT id FROM notes -- all", "<keyword>SELECT</> id <keyword>FROM</> notes <comment>-- all</>"},
		{"json", `{"id": 42, "ok": true}`, `{<attribute>"id"</>: <number>42</>, <attribute>"ok"</>: <type>true</>}`},
		{"http", "GET /notes HTTP/1.1\nHost: x\n\n{\"a\": 1}", "<keyword>GET </>/notes <type>HTTP/1.1</>\n<attribute>Host</>:<string> x</>\n\n{<attribute>\"a\"</>: <number>1</>}"},
		{"unknown", "plain text", "plain text"},
	}
	for _, tt := range tests {
		if got := classes(t, tt.lang, tt.src); got != tt.want {
			t.Errorf("%s %q:\n got %s\nwant %s", tt.lang, tt.src, got, tt.want)
		}
	}
}
