package render

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Code is highlighted here rather than by chroma, on purpose: chroma's
// lexer registry took longer to initialise (parsing hundreds of embedded
// lexer definitions at every start, before any lesson is shown) than
// rendering a whole lesson takes, and its regular expressions were a
// quarter of a styled render. Lessons use a dozen languages; a small
// scanner per family colours what a reader needs to see: keywords,
// strings, comments, numbers, calls, and the parts of an HTTP message.

// codeLang describes how a family of languages looks to the scanner.
type codeLang struct {
	keywords     *wordList
	types        *wordList // types, constants and builtins
	lineComments []string
	blockComment [2]string
	quotes       string // characters that open and close a string
	foldCase     bool   // SQL: keywords in any case
	keyColons    bool   // JSON, YAML: "key:" names in the attribute colour
}

// wordList is a set of words, made into a map the first time it is asked:
// built at package init, the languages' sets were most of what this
// package's init cost every start of the binary, for the code blocks of a
// lesson not yet opened.
type wordList struct{ set func() map[string]bool }

func wordSet(list string) *wordList {
	return &wordList{set: sync.OnceValue(func() map[string]bool {
		m := map[string]bool{}
		for _, w := range strings.Fields(list) {
			m[w] = true
		}
		return m
	})}
}

func (w *wordList) has(word string) bool { return w != nil && w.set()[word] }

var (
	goLang = &codeLang{
		keywords:     wordSet("break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var"),
		types:        wordSet("bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr any true false nil iota append cap close copy delete len make new panic print println recover max min clear"),
		lineComments: []string{"//"},
		blockComment: [2]string{"/*", "*/"},
		quotes:       "\"'`",
	}
	cLike = &codeLang{ // JavaScript, TypeScript, Java, C, proto, GraphQL
		keywords:     wordSet("async await break case catch class const continue default delete do else enum export extends finally for from function if import in instanceof let new of return static switch this throw try typeof var void while yield package message service rpc returns option repeated optional required syntax oneof map query mutation subscription fragment on type schema input interface union extend implements public private protected"),
		types:        wordSet("true false null undefined NaN Infinity int32 int64 uint32 uint64 string bool bytes double float number boolean object void String Int Float Boolean ID"),
		lineComments: []string{"//"},
		blockComment: [2]string{"/*", "*/"},
		quotes:       "\"'`",
	}
	shLang = &codeLang{
		keywords:     wordSet("if then else elif fi for while until do done case esac in function return export local set unset exit"),
		types:        wordSet("true false"),
		lineComments: []string{"#"},
		quotes:       "\"'",
	}
	pyLang = &codeLang{
		keywords:     wordSet("and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield"),
		types:        wordSet("True False None int str float bool list dict set tuple bytes print len range"),
		lineComments: []string{"#"},
		quotes:       "\"'",
	}
	sqlLang = &codeLang{
		keywords: wordSet("select from where and or not insert into values update set delete create table index unique primary key foreign references on join left right inner outer full cross group by order having limit offset as distinct union all begin commit rollback transaction if exists drop alter add column default null is in like between case when then else end with returning conflict do nothing explain analyze asc desc constraint check cascade view trigger match merge return"),
		types:    wordSet("integer int bigint smallint text varchar char boolean bool real double precision numeric decimal timestamp timestamptz date time blob serial bigserial uuid jsonb json true false count sum avg min max now coalesce"),
		// SQL's comments; Cypher's too.
		lineComments: []string{"--", "//"},
		blockComment: [2]string{"/*", "*/"},
		quotes:       "'\"",
		foldCase:     true,
	}
	jsonLang = &codeLang{
		types:     wordSet("true false null"),
		quotes:    "\"",
		keyColons: true,
	}
	yamlLang = &codeLang{
		types:        wordSet("true false null yes no on off"),
		lineComments: []string{"#"},
		quotes:       "\"'",
		keyColons:    true,
	}
	confLang = &codeLang{ // nginx and other configuration files
		keywords:     wordSet("server location listen server_name root index proxy_pass upstream return include http events worker_processes add_header proxy_set_header try_files ssl_certificate ssl_certificate_key keepalive_timeout"),
		types:        wordSet("on off"),
		lineComments: []string{"#"},
		quotes:       "\"'",
	}
	htmlLang = &codeLang{
		blockComment: [2]string{"<!--", "-->"},
		quotes:       "\"'",
	}
)

// langFor finds the scanner for a fence's language, or nil.
func langFor(lang string) *codeLang {
	switch strings.ToLower(lang) {
	case "go", "golang":
		return goLang
	case "js", "javascript", "ts", "typescript", "java", "c", "cpp", "c++", "rust", "rs", "proto", "protobuf", "graphql", "gql", "kotlin", "swift", "csharp", "cs":
		return cLike
	case "sh", "bash", "shell", "zsh", "console", "shell-session":
		return shLang
	case "py", "python":
		return pyLang
	case "sql", "psql", "postgres", "postgresql", "sqlite", "mysql", "cypher":
		return sqlLang
	case "json", "jsonc":
		return jsonLang
	case "yaml", "yml", "toml", "ini":
		return yamlLang
	case "nginx", "conf", "caddyfile", "dockerfile":
		return confLang
	case "html", "xml", "svg":
		return htmlLang
	}
	return nil
}

// highlight colours code line by line. Unknown or missing languages are
// shown in the code block's one colour.
func (r *renderer) highlight(src, lang string) [][]span {
	p := r.p
	lines := strings.Split(src, "\n")
	rows := make([][]span, len(lines))
	if strings.EqualFold(lang, "http") {
		return r.highlightHTTP(lines)
	}
	l := langFor(lang)
	if l == nil {
		for i, line := range lines {
			rows[i] = []span{{text: line, st: p.codeBlock}}
		}
		return rows
	}
	var sc scanner
	for i, line := range lines {
		rows[i] = sc.line(line, l, p)
	}
	return rows
}

// scanner carries what continues from one line to the next: a block
// comment or a string left open.
type scanner struct {
	inComment bool
	inString  byte
}

func (sc *scanner) line(s string, l *codeLang, p *palette) []span {
	var out []span
	add := func(text, class string) {
		if text == "" {
			return
		}
		st := p.chromaClass(class)
		if n := len(out); n > 0 && out[n-1].st == st {
			out[n-1].text += text
			return
		}
		out = append(out, span{text: text, st: st})
	}
	i := 0
	opened := false // a string opens at s[i]
	for i < len(s) {
		switch {
		case sc.inComment:
			end := strings.Index(s[i:], l.blockComment[1])
			if end < 0 {
				add(s[i:], "comment")
				return out
			}
			add(s[i:i+end+len(l.blockComment[1])], "comment")
			i += end + len(l.blockComment[1])
			sc.inComment = false
			continue
		case sc.inString != 0:
			j := i
			if opened {
				j++ // past the opening quote
				opened = false
			}
			for j < len(s) && s[j] != sc.inString {
				if s[j] == '\\' && sc.inString != '`' {
					j++
				}
				j++
			}
			if j >= len(s) {
				add(s[i:], "string")
				if sc.inString != '`' {
					// Only raw strings run on; an unclosed quote ends
					// with its line.
					sc.inString = 0
				}
				return out
			}
			j++
			class := "string"
			if l.keyColons && strings.HasPrefix(strings.TrimLeft(s[j:], " "), ":") {
				class = "attribute"
			}
			add(s[i:j], class)
			i = j
			sc.inString = 0
			continue
		}
		rest := s[i:]
		if l.blockComment[0] != "" && strings.HasPrefix(rest, l.blockComment[0]) {
			sc.inComment = true
			add(l.blockComment[0], "comment")
			i += len(l.blockComment[0])
			continue
		}
		if lineComment(rest, i, s, l) {
			add(rest, "comment")
			return out
		}
		c := s[i]
		switch {
		case strings.IndexByte(l.quotes, c) >= 0:
			sc.inString, opened = c, true
			continue
		case c >= '0' && c <= '9' && (i == 0 || !isIdent(s[i-1])):
			j := i
			for j < len(s) && (isIdent(s[j]) || s[j] == '.') {
				j++
			}
			add(s[i:j], "number")
			i = j
			continue
		case isIdentStart(c):
			j := i
			for j < len(s) && (isIdent(s[j]) || s[j] == '-' && l == shLang) {
				j++
			}
			w := s[i:j]
			key := w
			if l.foldCase {
				key = strings.ToLower(w)
			}
			switch {
			case l.keywords.has(key):
				add(w, "keyword")
			case l.types.has(key):
				add(w, "type")
			case l.keyColons && strings.HasPrefix(strings.TrimLeft(s[j:], " "), ":"):
				add(w, "attribute")
			case j < len(s) && s[j] == '(':
				add(w, "function")
			default:
				add(w, "text")
			}
			i = j
			continue
		case c == '-' && l == shLang && (i == 0 || s[i-1] == ' '):
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '=' {
				j++
			}
			add(s[i:j], "attribute") // a flag
			i = j
			continue
		case (c == '<' || c == '>' || c == '/') && l == htmlLang:
			add(s[i:i+1], "tag")
		case strings.IndexByte("+-*/%=<>!&|^~:", c) >= 0:
			add(s[i:i+1], "operator")
		case strings.IndexByte("()[]{},;.", c) >= 0:
			add(s[i:i+1], "punctuation")
		default:
			_, n := utf8.DecodeRuneInString(rest)
			add(s[i:i+n], "text")
			i += n
			continue
		}
		i++
	}
	return out
}

// lineComment reports whether a line comment starts at s[i:]. A "#" in a
// shell word ("a#b") or a "//" inside a URL-like word is not one.
func lineComment(rest string, i int, s string, l *codeLang) bool {
	for _, lc := range l.lineComments {
		if !strings.HasPrefix(rest, lc) {
			continue
		}
		if lc == "#" && i > 0 && s[i-1] != ' ' && s[i-1] != '\t' {
			continue
		}
		if lc == "//" && i > 0 && s[i-1] == ':' {
			continue
		}
		return true
	}
	return false
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf
}

func isIdent(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

// highlightHTTP colours an HTTP message: the request or status line, the
// header names, and a JSON body.
func (r *renderer) highlightHTTP(lines []string) [][]span {
	p := r.p
	rows := make([][]span, len(lines))
	body := false
	var sc scanner
	for i, line := range lines {
		switch {
		case body:
			rows[i] = sc.line(line, jsonLang, p)
		case strings.TrimSpace(line) == "":
			// A blank line ends the headers of the message above it.
			body = i > 0
		case startLine(line):
			var sp []span
			for j, f := range strings.SplitAfter(line, " ") {
				class := "text"
				switch {
				case j == 0 && strings.HasPrefix(f, "HTTP/"):
					class = "type"
				case j == 0:
					class = "keyword"
				case strings.HasPrefix(strings.TrimSpace(f), "HTTP/"):
					class = "type"
				case j == 1 && strings.HasPrefix(line, "HTTP/"):
					class = "number"
				}
				sp = append(sp, span{text: f, st: p.chromaClass(class)})
			}
			rows[i] = sp
		default:
			name, value, ok := strings.Cut(line, ":")
			if !ok || strings.ContainsAny(name, " \t") {
				rows[i] = []span{{text: line, st: p.chromaClass("text")}}
				continue
			}
			rows[i] = []span{{text: name, st: p.chromaClass("attribute")}, {text: ":", st: p.chromaClass("operator")}, {text: value, st: p.chromaClass("string")}}
		}
		if rows[i] == nil {
			rows[i] = []span{}
		}
	}
	return rows
}

// startLine reports whether line is a request line ("GET / HTTP/1.1") or
// a status line ("HTTP/1.1 200 OK").
func startLine(line string) bool {
	if strings.HasPrefix(line, "HTTP/") {
		return true
	}
	method, rest, ok := strings.Cut(line, " ")
	if !ok || method == "" {
		return false
	}
	for _, r := range method {
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return strings.Contains(rest, "HTTP/") || strings.HasPrefix(rest, "/")
}

// chromaClass is the style of a token class in this palette's code
// colours, falling back to the plain code colour.
func (p *palette) chromaClass(class string) style {
	if st, ok := p.chroma[class]; ok {
		return st
	}
	if st, ok := p.chroma["text"]; ok {
		return st
	}
	return p.codeBlock
}
