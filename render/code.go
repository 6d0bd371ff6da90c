package render

import (
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// highlight colours code by chroma's lexer for lang, line by line. Unknown
// or missing languages are shown in the code block's one colour.
func (r *renderer) highlight(src, lang string) [][]span {
	p := r.p
	var lexer chroma.Lexer
	if lang != "" {
		lexer = lexers.Get(lang)
	}
	plain := func() [][]span {
		var rows [][]span
		for _, l := range strings.Split(src, "\n") {
			rows = append(rows, []span{{text: l, st: p.codeBlock}})
		}
		return rows
	}
	if lexer == nil {
		return plain()
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, src)
	if err != nil {
		return plain()
	}
	rows := [][]span{nil}
	for tok := it(); tok != chroma.EOF; tok = it() {
		st := p.chromaStyle(tok.Type)
		text := tok.Value
		for {
			i := strings.IndexByte(text, '\n')
			if i < 0 {
				break
			}
			if i > 0 {
				rows[len(rows)-1] = append(rows[len(rows)-1], span{text: text[:i], st: st})
			}
			rows = append(rows, nil)
			text = text[i+1:]
		}
		if text != "" {
			rows[len(rows)-1] = append(rows[len(rows)-1], span{text: text, st: st})
		}
	}
	// The source ends without a newline, but a lexer may add one.
	for len(rows) > 1 && len(rows[len(rows)-1]) == 0 && strings.Count(src, "\n")+1 < len(rows) {
		rows = rows[:len(rows)-1]
	}
	return rows
}

// chromaStyle is the colour of a token type: its own, else its
// subcategory's, else its category's, as chroma's styles cascade.
func (p *palette) chromaStyle(t chroma.TokenType) style {
	for _, tt := range []chroma.TokenType{t, t.SubCategory(), t.Category()} {
		if name, ok := chromaClass[tt]; ok {
			if st, ok := p.chroma[name]; ok {
				return st
			}
		}
	}
	return p.chroma["text"]
}

var chromaClass = map[chroma.TokenType]string{
	chroma.Text:                "text",
	chroma.Error:               "error",
	chroma.Comment:             "comment",
	chroma.CommentPreproc:      "preproc",
	chroma.Keyword:             "keyword",
	chroma.KeywordReserved:     "reserved",
	chroma.KeywordNamespace:    "namespace",
	chroma.KeywordType:         "type",
	chroma.Operator:            "operator",
	chroma.Punctuation:         "punctuation",
	chroma.Name:                "name",
	chroma.NameBuiltin:         "builtin",
	chroma.NameTag:             "tag",
	chroma.NameAttribute:       "attribute",
	chroma.NameClass:           "class",
	chroma.NameDecorator:       "decorator",
	chroma.NameFunction:        "function",
	chroma.LiteralNumber:       "number",
	chroma.LiteralString:       "string",
	chroma.LiteralStringEscape: "escape",
	chroma.GenericDeleted:      "deleted",
	chroma.GenericEmph:         "emph",
	chroma.GenericInserted:     "inserted",
	chroma.GenericStrong:       "strong",
	chroma.GenericSubheading:   "subheading",
}
