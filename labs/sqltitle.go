package labs

import (
	"strings"
	"unicode/utf8"
)

// maxTaskTitle bounds a title made from a prompt, in characters.
const maxTaskTitle = 72

// DisplayTitle is how the task is named in a lab's task list: its title,
// or else the first sentence of its prompt (markdown marks dropped, cut at
// a word with "…" when long), or else its id with dashes as spaces.
func (t SQLTask) DisplayTitle() string {
	if s := strings.Join(strings.Fields(t.Title), " "); s != "" {
		return s
	}
	p := strings.Join(strings.Fields(strings.NewReplacer("`", "", "**", "", "__", "").Replace(t.Prompt)), " ")
	if p == "" {
		return strings.ReplaceAll(t.ID, "-", " ")
	}
	// The first sentence: up to ". ", "? " or "! " (a question keeps its mark).
	for i := 0; i+1 < len(p); i++ {
		if p[i+1] == ' ' && strings.IndexByte(".?!", p[i]) >= 0 {
			p = p[:i+1]
			break
		}
	}
	p = strings.TrimSuffix(p, ".")
	if utf8.RuneCountInString(p) <= maxTaskTitle {
		return p
	}
	cut := string([]rune(p)[:maxTaskTitle])
	if i := strings.LastIndexByte(cut, ' '); i > maxTaskTitle/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + "…"
}
