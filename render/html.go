package render

import (
	"html"
	"regexp"
	"strings"
	"sync"
)

// htmlPart is a piece of an HTML block worth showing: an image, or text.
type htmlPart struct {
	image    bool
	alt, src string
	text     string
}

// lazyRegexp compiles pattern the first time it is asked for: compiled at
// package init, this package's regexps were paid for by every start of the
// binary, most of which render nothing.
func lazyRegexp(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}

var (
	htmlComment = lazyRegexp(`(?s)<!--.*?-->`)
	htmlTag     = lazyRegexp(`(?s)<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>`)
	attrRE      = map[string]func() *regexp.Regexp{
		"alt": lazyRegexp(`(?is)\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))`),
		"src": lazyRegexp(`(?is)\b(?:src|srcset)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))`),
	}
)

// htmlAttr is the value of attribute name ("alt" or "src") in a tag.
func htmlAttr(tag, name string) string {
	re := attrRE[name]()
	m := re.FindStringSubmatch(tag)
	if m == nil {
		return ""
	}
	v := m[1] + m[2] + m[3]
	if name == "src" {
		v, _, _ = strings.Cut(strings.TrimSpace(v), " ") // the first of a srcset
	}
	return html.UnescapeString(v)
}

// htmlParts reads an HTML block for what a terminal can show: each <img>
// (a <picture>'s own <img> carries its alt text) and the text between
// tags, a paragraph per run of text. Block-level closing tags and <br>
// end a paragraph, so a caption doesn't run into the text after it.
func htmlParts(s string) []htmlPart {
	s = htmlComment().ReplaceAllString(s, "")
	var parts []htmlPart
	var text strings.Builder
	flush := func() {
		t := strings.Join(strings.Fields(html.UnescapeString(text.String())), " ")
		if t != "" {
			parts = append(parts, htmlPart{text: t})
		}
		text.Reset()
	}
	prev := 0
	for _, m := range htmlTag().FindAllStringSubmatchIndex(s, -1) {
		text.WriteString(s[prev:m[0]])
		prev = m[1]
		closing := m[3] > m[2]
		name := strings.ToLower(s[m[4]:m[5]])
		switch name {
		case "img":
			flush()
			tag := s[m[0]:m[1]]
			parts = append(parts, htmlPart{image: true, alt: htmlAttr(tag, "alt"), src: htmlAttr(tag, "src")})
		case "picture", "source":
			// A <picture>'s <source>s only offer other files for its
			// <img>, which carries the alt text.
		case "br", "p", "div", "figure", "figcaption", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "details", "summary", "table", "ul", "ol", "blockquote":
			flush()
		case "script", "style":
			if !closing {
				// Their contents are not text for a reader.
				end := strings.Index(strings.ToLower(s[prev:]), "</"+name)
				if end < 0 {
					prev = len(s)
				} else {
					prev += end
				}
			}
		}
	}
	text.WriteString(s[prev:])
	flush()
	return parts
}
