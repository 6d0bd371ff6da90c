package termsafe

import "io"

// Writer passes everything written to it through Styled (or Text) before
// it reaches w: the last line of defence for a command's output, whatever
// a caller forgot. Each Write is filtered on its own, so a sequence split
// across two writes loses its ESC and shows as inert text. Write reports
// len(p) written when w took the filtered bytes.
type Writer struct {
	w      io.Writer
	styled bool
}

// NewWriter wraps w. With styled, SGR and OSC 8 survive (for output the
// program styled itself); without, no escape sequence does.
func NewWriter(w io.Writer, styled bool) *Writer {
	if sw, ok := w.(*Writer); ok {
		return &Writer{w: sw.w, styled: styled && sw.styled}
	}
	return &Writer{w: w, styled: styled}
}

func (sw *Writer) Write(p []byte) (int, error) {
	s := string(p)
	if !Clean(s) {
		s = filter(s, sw.styled)
	}
	if _, err := io.WriteString(sw.w, s); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Unwrap is the writer underneath, for callers that need its file
// descriptor (to ask whether it is a terminal).
func (sw *Writer) Unwrap() io.Writer { return sw.w }
