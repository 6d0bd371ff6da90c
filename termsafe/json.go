package termsafe

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// JSONWriter writes JSON (as encoding/json makes it) with every unsafe
// rune it leaves raw (DEL, the C1 controls, the bidi controls) escaped as
// \uXXXX. Those runes only occur inside strings, where the escape means
// the same rune, so the JSON decodes to exactly the same values, while a
// terminal showing it sees nothing to obey. encoding/json already escapes
// the C0 controls.
type JSONWriter struct{ w io.Writer }

// NewJSONWriter wraps w.
func NewJSONWriter(w io.Writer) *JSONWriter { return &JSONWriter{w: w} }

func (jw *JSONWriter) Write(p []byte) (int, error) {
	s := string(p)
	if Clean(s) {
		if _, err := io.WriteString(jw.w, s); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteString(`\ufffd`)
		case r >= 0x7f && Unsafe(r), r < 0x20 && r != '\n' && r != '\t':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	if _, err := io.WriteString(jw.w, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}
