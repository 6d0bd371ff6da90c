package progress

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckNameSaysWhatIsWrong(t *testing.T) {
	for name, want := range map[string]string{
		"":                         "the name is empty: type a name, such as your login",
		"   ":                      "the name is empty",
		" ada":                     "starts or ends with a space",
		"ada ":                     "starts or ends with a space",
		strings.Repeat("a", 65):    "longer than 64 characters",
		"ada\xff":                  "not valid UTF-8",
		"alice\u200b":              `holds an invisible formatting character (U+200B) after "alice": type the name without it`,
		"\ufeffalice":              "(U+FEFF) at its start",
		"al\u202eice":              "invisible formatting character (U+202E)",
		"al\u2066ice":              "invisible formatting character (U+2066)",
		"al\u2063ice":              "invisible formatting character (U+2063)",
		"alice\u3164":              "filler character that shows as blank (U+3164)",
		"alice\uffa0":              "filler character",
		"al\u2028ice":              "line or paragraph separator",
		"al\u00a0ice":              `a space other than a plain space (U+00A0) after "al": type a plain space instead`,
		"al\u2003ice":              "a space other than a plain space",
		"al\tice":                  "a tab",
		"ada\x1b[2J":               "a control character (U+001B)",
		"ada\u0085":                "a control character",
		"ada\ue000":                "private-use character",
		"jose\u0301":               "accent typed as a separate mark",
		"ali\U000e0041ce":          "invisible formatting character (U+E0041)",
		"ali\u00adce":              "invisible formatting character (U+00AD)",
		"\u115falice":              "filler character",
		"alice" + "\u2800":         "filler character",
		"ok" + string(rune(0x378)): "does not define",
	} {
		err := CheckName(name)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckName(%q) = %v, want it to say %q", name, err, want)
		}
	}
	for _, name := range []string{"ada", "Ada Lovelace", "José", "Zoë", "Алиса", "李雷", "o'brien", "ada-2", "a  b", "bob🙂", "👍🏽"} {
		if err := CheckName(name); err != nil {
			t.Errorf("CheckName(%q) = %v, want it accepted", name, err)
		}
	}
}

func TestLooksLike(t *testing.T) {
	class := []string{"alice", "Bob", "ivan", "zoë", "ann marie"}
	for name, want := range map[string]string{
		"alice":              "alice",
		"ALICE":              "alice",
		"\u0430lice":         "alice", // Cyrillic а
		"\u0391LICE":         "alice", // Greek Α
		"\uff41lice":         "alice", // fullwidth a
		"\U0001d41alice":     "alice", // mathematical bold a
		"aIice":              "alice", // capital I for l
		"a1ice":              "alice",
		"alice\ufe0f":        "alice",
		"bob":                "Bob",
		"b\u043eb":           "Bob",  // Cyrillic о
		"\u0412\u03bfb":      "Bob",  // Cyrillic В, Greek ο
		"Ivan":               "ivan", // case, though I is also l
		"\u0456van":          "ivan", // Cyrillic і
		"ZO\u0401":           "zoë",  // Cyrillic Ё is Е and a diaeresis
		"ann  marie":         "ann marie",
		"\u0455\u0445\u0443": "", // Cyrillic ѕху looks like sxy, nobody's name
	} {
		got, ok := LooksLike(name, class)
		if got != want || ok != (want != "") {
			t.Errorf("LooksLike(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
	for _, name := range []string{"alicia", "alice2", "lvan", "zoe", "Алиса", "bobby", "annmarie", "al ice"} {
		if got, ok := LooksLike(name, class); ok {
			t.Errorf("LooksLike(%q) = %q: a plainly different name matched", name, got)
		}
	}
}

func TestNameTaken(t *testing.T) {
	if err := NameTaken("alice", []string{"bob", "alice"}); err != ErrNameTaken {
		t.Errorf("exact name: %v", err)
	}
	err := NameTaken("Alice", []string{"bob", "alice"})
	if !errors.Is(err, ErrNameTaken) || !strings.Contains(err.Error(), `"Alice" looks like "alice"`) {
		t.Errorf("look-alike name: %v", err)
	}
	if err := NameTaken("carol", []string{"bob", "alice"}); err != nil {
		t.Errorf("a free name: %v", err)
	}
}
