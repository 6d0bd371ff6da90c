package progress

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A learner's name is what the instructor's class view and reports show,
// so two learners must never look the same there. Two rules keep them
// apart. CheckName refuses characters that show as nothing, or as a plain
// space, so a name cannot hide a difference; and EnrolKey refuses a name
// that LooksLike a learner's name already in the class.
//
// Names must be in Unicode's composed form (NFC) rather than being
// normalised on the way in: each store keeps and compares a name as the
// exact string it was given, by every method that takes one (the SQLite
// store has dozens, the CLI calls them with --user), so normalising in
// some places and not others would split one learner's progress between
// two spellings of the same name. Terminals and input methods send
// composed text; a decomposed name usually comes from pasting a macOS
// file name, and the message says what to do.

// maxNameLen bounds names so reports stay readable.
const maxNameLen = 64

// CheckName returns a clear error when name cannot be a learner's name:
// empty, longer than 64 characters, not NFC, starting or ending with a
// space, or holding a character that does not show as itself (see
// hiddenRune). The messages are for a person who typed the name, in the
// SSH name prompt or a --user flag.
func CheckName(name string) error { return checkName(name) }

func checkName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return errors.New("the name is empty: type a name, such as your login")
	case !utf8.ValidString(name):
		return fmt.Errorf("the name %q is not valid UTF-8 text: type it again", name)
	case utf8.RuneCountInString(name) > maxNameLen:
		return fmt.Errorf("the name %q is longer than %d characters: type a shorter one", name, maxNameLen)
	case name[0] == ' ' || name[len(name)-1] == ' ':
		return fmt.Errorf("the name %q starts or ends with a space: remove it", name)
	}
	for i, r := range name {
		if what := hiddenRune(r); what != "" {
			where := "at its start"
			if i > 0 {
				where = fmt.Sprintf("after %q", name[:i])
			}
			// %q shows the character as \u200b and the like, so the
			// person sees what is there.
			fix := "type the name without it"
			if strings.Contains(what, "space") || r == '\t' {
				fix = "type a plain space instead"
			}
			return fmt.Errorf("the name %q holds %s (%U) %s: %s", name, what, r, where, fix)
		}
	}
	if !norm.NFC.IsNormalString(name) {
		return fmt.Errorf("the name %q has an accent typed as a separate mark (it is not in Unicode's composed form, NFC): type the accented letter as one character, or leave the accent out", name)
	}
	return nil
}

// hiddenRune says what r is when it cannot be in a name because it shows
// as nothing, as a plain space, or as something other than itself, and ""
// when it can.
func hiddenRune(r rune) string {
	switch {
	case r == ' ':
		return ""
	case r == '\t':
		return "a tab"
	case unicode.Is(unicode.Cc, r):
		return "a control character"
	case r == '\u2028' || r == '\u2029':
		return "a line or paragraph separator"
	case unicode.Is(unicode.Zs, r) || unicode.IsSpace(r):
		return "a space other than a plain space"
	case unicode.Is(unicode.Cf, r):
		// U+200B..U+200F, U+202A..U+202E, U+2060..U+2064,
		// U+2066..U+2069, U+FEFF, the soft hyphen, tag characters.
		return "an invisible formatting character"
	case r == '\u115f' || r == '\u1160' || r == '\u3164' || r == '\uffa0' || r == '\u2800':
		return "a filler character that shows as blank"
	case unicode.Is(unicode.Co, r):
		return "a private-use character"
	case !unicode.IsGraphic(r):
		return "a character this version of Unicode does not define"
	}
	return ""
}

// LooksLike returns the first of names that would pass for name in the
// class view: equal once both are folded by nameKeys (case, compatibility
// forms such as fullwidth letters, letters of other alphabets that look
// Latin, marks that show as nothing). ok is false when none does.
func LooksLike(name string, names []string) (match string, ok bool) {
	k := nameKeys(name)
	for _, other := range names {
		o := nameKeys(other)
		if k[0] == o[0] || k[1] == o[1] {
			return other, true
		}
	}
	return "", false
}

// nameKeys are two fold keys of a name; names whose first keys are equal,
// or whose second keys are, look alike. Both decompose the name (NFKD:
// fullwidth and styled letters become plain ones, ё becomes е and a
// diaeresis), drop what shows as nothing, map look-alike letters of other
// scripts to Latin (latinLookAlikes), fold case (Unicode simple case
// folding) and collapse runs of spaces. The second also takes capital I,
// the digit 1 and | for l, and the digit 0 for O, which sans-serif fonts
// draw alike; it is a separate key so that "Ivan" still matches "ivan".
func nameKeys(name string) [2]string {
	var plain, strict strings.Builder
	space := false
	for _, r := range norm.NFKD.String(name) {
		if r == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		if invisibleInKey(r) {
			continue
		}
		if l, ok := latinLookAlikes[r]; ok {
			r = l
		}
		s := r
		switch r {
		case 'I', '1', '|':
			s = 'l'
		case '0':
			s = 'O'
		}
		plain.WriteRune(foldRune(r))
		strict.WriteRune(foldRune(s))
	}
	return [2]string{norm.NFC.String(plain.String()), norm.NFC.String(strict.String())}
}

// foldRune is r's simple case fold, the same for every member of its case
// orbit (K, k and the Kelvin sign K; σ and ς).
func foldRune(r rune) rune { return unicode.ToLower(unicode.ToUpper(r)) }

// invisibleInKey is what a fold key drops: everything hiddenRune refuses
// but spaces (so a name stored before that check still counts), and the
// marks that are allowed because they shape emoji but show as nothing
// after a letter: variation selectors, the combining grapheme joiner and
// Mongolian free variation selectors.
func invisibleInKey(r rune) bool {
	switch {
	case r == '\u034f', r >= '\ufe00' && r <= '\ufe0f', r >= '\U000e0100' && r <= '\U000e01ef',
		r >= '\u180b' && r <= '\u180d', r == '\u180f':
		return true
	case r == ' ':
		return false
	}
	return hiddenRune(r) != ""
}

// latinLookAlikes maps the Cyrillic and Greek letters (and a few Latin
// ones) that most fonts draw like a Latin letter to that letter, keeping
// case where the look does. It is deliberately small: the letters of
// a c e o p x y i j s h k m t b and their capitals, and a few more that
// are as close (d q w v u z n l g). It is not Unicode's full confusables
// list (UTS #39), which would also catch rarer scripts.
var latinLookAlikes = map[rune]rune{
	// Cyrillic capitals.
	'А': 'A', 'В': 'B', 'Е': 'E', 'Ѕ': 'S', 'І': 'I', 'Ј': 'J', 'К': 'K', 'М': 'M', 'Н': 'H',
	'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T', 'У': 'Y', 'Х': 'X', 'Ү': 'Y', 'Ӏ': 'I', 'Ԛ': 'Q',
	'Ԝ': 'W', 'Ѵ': 'V', 'Ь': 'b',
	// Cyrillic small letters.
	'а': 'a', 'е': 'e', 'ѕ': 's', 'і': 'i', 'ј': 'j', 'к': 'k', 'м': 'm', 'һ': 'h', 'о': 'o',
	'р': 'p', 'с': 'c', 'т': 't', 'у': 'y', 'х': 'x', 'ү': 'y', 'ӏ': 'l', 'ԁ': 'd', 'ԛ': 'q',
	'ԝ': 'w', 'ѵ': 'v', 'ь': 'b',
	// Greek capitals.
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N',
	'Ο': 'O', 'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X', 'Ϲ': 'C', 'Ϳ': 'J',
	// Greek small letters.
	'α': 'a', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x',
	'γ': 'y', 'ϲ': 'c', 'ϳ': 'j',
	// Latin letters drawn like others.
	'ı': 'i', 'ɑ': 'a', 'ɡ': 'g', 'ɩ': 'i',
}
