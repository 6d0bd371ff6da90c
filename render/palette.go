package render

import (
	"strconv"
	"strings"
)

// style is how a piece of text looks: colours and attributes, turned into
// one SGR sequence when written. The zero style writes nothing.
type style struct {
	fg, bg                                 string // SGR colour parameters, e.g. "38;5;252" or "38;2;196;196;196"
	bold, italic, underline, strike, faint bool
	mark                                   Mark // what the text is, for Text's painter
}

// Mark says what a run of text is, for a caller that styles it itself
// (see Text). Marks combine: bold code is Strong|Code.
type Mark uint8

const (
	Code Mark = 1 << iota
	Emph
	Strong
	Link
	Strike
	Heading
	Quote
	Rule // rules, table borders and markers a reader may skip
)

// over returns s with every attribute o sets laid over it.
func (s style) over(o style) style {
	if o.fg != "" {
		s.fg = o.fg
	}
	if o.bg != "" {
		s.bg = o.bg
	}
	s.bold = s.bold || o.bold
	s.italic = s.italic || o.italic
	s.underline = s.underline || o.underline
	s.strike = s.strike || o.strike
	s.faint = s.faint || o.faint
	s.mark |= o.mark
	s.mark |= o.mark
	return s
}

// sgr is the sequence that sets s from a reset state ("" when s is plain).
func (s style) sgr() string {
	var p []string
	if s.bold {
		p = append(p, "1")
	}
	if s.faint {
		p = append(p, "2")
	}
	if s.italic {
		p = append(p, "3")
	}
	if s.underline {
		p = append(p, "4")
	}
	if s.strike {
		p = append(p, "9")
	}
	if s.fg != "" {
		p = append(p, s.fg)
	}
	if s.bg != "" {
		p = append(p, s.bg)
	}
	if len(p) == 0 {
		return ""
	}
	return "\x1b[" + strings.Join(p, ";") + "m"
}

// fg256 and bg256 are 256-colour palette entries; rgb is a "#rrggbb" colour.
func fg256(n int) string { return "38;5;" + strconv.Itoa(n) }
func bg256(n int) string { return "48;5;" + strconv.Itoa(n) }

func rgb(hex string, background bool) string {
	v, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	if err != nil {
		return ""
	}
	kind := "38;2;"
	if background {
		kind = "48;2;"
	}
	return kind + strconv.Itoa(int(v>>16&0xff)) + ";" + strconv.Itoa(int(v>>8&0xff)) + ";" + strconv.Itoa(int(v&0xff))
}

// palette is a theme's look, element by element. The colours are those of
// glamour's dark and light styles, which the lessons were first shown in.
type palette struct {
	plain                      bool
	text, h1, heading          style
	link, linkText, image      style
	imageText, code, codeBlock style
	emph, strong, strike, rule style
	quote, tableBorder, term   style
	callout                    map[string]style // by kind: note, tip, important, warning, caution
	chroma                     map[string]style // by chroma token class, see code.go
	h1Pad                      bool             // the level-1 heading is a bar with a space either side
	margin                     int              // columns left of the text
}

func paletteFor(t Theme) *palette {
	switch t {
	case Plain:
		return plainPalette
	case Light:
		return lightPalette
	case Contrast:
		return contrastPalette
	}
	return darkPalette
}

var plainPalette = &palette{plain: true}

// markPalette marks what text is instead of colouring it: Text's caller
// paints it in its own styles. Like plainPalette it leaves out the
// padding and bars that only make sense in colour.
var markPalette = &palette{
	plain: true, code: style{mark: Code}, codeBlock: style{mark: Code},
	emph: style{mark: Emph}, strong: style{mark: Strong}, strike: style{mark: Strike},
	link: style{mark: Link}, image: style{mark: Link}, h1: style{mark: Heading}, heading: style{mark: Heading},
	quote: style{mark: Quote}, rule: style{mark: Rule}, tableBorder: style{mark: Rule}, term: style{mark: Strong},
	callout: map[string]style{"note": {mark: Strong}, "tip": {mark: Strong}, "important": {mark: Strong}, "warning": {mark: Strong}, "caution": {mark: Strong}},
}

var darkPalette = &palette{
	text:        style{fg: fg256(252)},
	h1:          style{fg: fg256(228), bg: bg256(63), bold: true},
	heading:     style{fg: fg256(39), bold: true},
	link:        style{fg: fg256(30), underline: true},
	linkText:    style{fg: fg256(35), bold: true},
	image:       style{fg: fg256(212), underline: true},
	imageText:   style{fg: fg256(243)},
	code:        style{fg: fg256(203), bg: bg256(236)},
	codeBlock:   style{fg: fg256(244)},
	emph:        style{italic: true},
	strong:      style{bold: true},
	strike:      style{strike: true},
	rule:        style{fg: fg256(240)},
	quote:       style{fg: fg256(244)},
	tableBorder: style{fg: fg256(240)},
	term:        style{bold: true},
	callout: map[string]style{
		"note": {fg: fg256(39), bold: true}, "tip": {fg: fg256(42), bold: true}, "important": {fg: fg256(141), bold: true},
		"warning": {fg: fg256(214), bold: true}, "caution": {fg: fg256(203), bold: true},
	},
	chroma: map[string]style{
		"text": {fg: rgb("#C4C4C4", false)}, "error": {fg: rgb("#F1F1F1", false), bg: rgb("#F05B5B", true)},
		"comment": {fg: rgb("#676767", false)}, "preproc": {fg: rgb("#FF875F", false)},
		"keyword": {fg: rgb("#00AAFF", false)}, "reserved": {fg: rgb("#FF5FD2", false)},
		"namespace": {fg: rgb("#FF5F87", false)}, "type": {fg: rgb("#6E6ED8", false)},
		"operator": {fg: rgb("#EF8080", false)}, "punctuation": {fg: rgb("#E8E8A8", false)},
		"name": {fg: rgb("#C4C4C4", false)}, "builtin": {fg: rgb("#FF8EC7", false)},
		"tag": {fg: rgb("#B083EA", false)}, "attribute": {fg: rgb("#7A7AE6", false)},
		"class": {fg: rgb("#F1F1F1", false), bold: true, underline: true}, "decorator": {fg: rgb("#FFFF87", false)},
		"function": {fg: rgb("#00D787", false)}, "number": {fg: rgb("#6EEFC0", false)},
		"string": {fg: rgb("#C69669", false)}, "escape": {fg: rgb("#AFFFD7", false)},
		"deleted": {fg: rgb("#FD5B5B", false)}, "inserted": {fg: rgb("#00D787", false)},
		"emph": {italic: true}, "strong": {bold: true}, "subheading": {fg: rgb("#777777", false)},
	},
	h1Pad:  true,
	margin: 2,
}

var lightPalette = &palette{
	text:        style{fg: fg256(234)},
	h1:          style{fg: fg256(228), bg: bg256(63), bold: true},
	heading:     style{fg: fg256(27), bold: true},
	link:        style{fg: fg256(36), underline: true},
	linkText:    style{fg: fg256(29), bold: true},
	image:       style{fg: fg256(205), underline: true},
	imageText:   style{fg: fg256(243)},
	code:        style{fg: fg256(203), bg: bg256(254)},
	codeBlock:   style{fg: fg256(242)},
	emph:        style{italic: true},
	strong:      style{bold: true},
	strike:      style{strike: true},
	rule:        style{fg: fg256(249)},
	quote:       style{fg: fg256(242)},
	tableBorder: style{fg: fg256(249)},
	term:        style{bold: true},
	callout: map[string]style{
		"note": {fg: fg256(27), bold: true}, "tip": {fg: fg256(28), bold: true}, "important": {fg: fg256(91), bold: true},
		"warning": {fg: fg256(130), bold: true}, "caution": {fg: fg256(160), bold: true},
	},
	chroma: map[string]style{
		"text": {fg: rgb("#2A2A2A", false)}, "error": {fg: rgb("#F1F1F1", false), bg: rgb("#FF5555", true)},
		"comment": {fg: rgb("#8D8D8D", false)}, "preproc": {fg: rgb("#FF875F", false)},
		"keyword": {fg: rgb("#279EFC", false)}, "reserved": {fg: rgb("#FF5FD2", false)},
		"namespace": {fg: rgb("#FB406F", false)}, "type": {fg: rgb("#7049C2", false)},
		"operator": {fg: rgb("#FF2626", false)}, "punctuation": {fg: rgb("#FA7878", false)},
		"name": {fg: rgb("#2A2A2A", false)}, "builtin": {fg: rgb("#0A1BB1", false)},
		"tag": {fg: rgb("#581290", false)}, "attribute": {fg: rgb("#8362CB", false)},
		"class": {fg: rgb("#212121", false), bold: true, underline: true}, "decorator": {fg: rgb("#A3A322", false)},
		"function": {fg: rgb("#019F57", false)}, "number": {fg: rgb("#22CCAE", false)},
		"string": {fg: rgb("#7E5B38", false)}, "escape": {fg: rgb("#00AEAE", false)},
		"deleted": {fg: rgb("#FD5B5B", false)}, "inserted": {fg: rgb("#00D787", false)},
		"emph": {italic: true}, "strong": {bold: true}, "subheading": {fg: rgb("#777777", false)},
	},
	h1Pad:  true,
	margin: 2,
}

// contrastPalette keeps to the sixteen basic colours, which every terminal
// and every colour scheme shows distinctly, and marks emphasis in bold.
var contrastPalette = func() *palette {
	p := *darkPalette
	white, yellow, cyan := "97", "93", "96"
	p.text = style{fg: white}
	p.h1 = style{fg: yellow, bold: true, underline: true}
	p.heading = style{fg: yellow, bold: true}
	p.link = style{fg: cyan, underline: true}
	p.linkText = style{fg: cyan, bold: true}
	p.image = style{fg: cyan, underline: true}
	p.imageText = style{fg: white}
	p.code = style{fg: yellow}
	p.codeBlock = style{fg: white}
	p.emph = style{fg: cyan, italic: true}
	p.strong = style{fg: white, bold: true}
	p.rule = style{fg: white}
	p.quote = style{fg: white}
	p.tableBorder = style{fg: white}
	p.callout = map[string]style{
		"note": {fg: cyan, bold: true}, "tip": {fg: "92", bold: true}, "important": {fg: "95", bold: true},
		"warning": {fg: yellow, bold: true}, "caution": {fg: "91", bold: true},
	}
	p.chroma = nil // code in one clear colour
	p.h1Pad = false
	return &p
}()
