package progresstest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"serverside/progress"
)

const (
	keyAda   = "SHA256:adaAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	keyGrace = "SHA256:graceAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	keyAlan  = "SHA256:alanAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
)

// A key enrols once as a learner with a name nobody has, and is that
// learner from then on; nothing lets a key become another learner.
func testKeys(t *testing.T, open Open) {
	ctx := context.Background()
	b := open(t)
	if _, ok, err := b.KeyLearner(ctx, keyAda); err != nil || ok {
		t.Fatalf("KeyLearner of a new key: ok=%v err=%v, want not found", ok, err)
	}
	u, err := b.EnrolKey(ctx, keyAda, "ada")
	if err != nil || u.Name != "ada" || u.ID == 0 || u.CreatedAt.IsZero() {
		t.Fatalf("EnrolKey: %+v %v", u, err)
	}
	if name, ok, err := b.KeyLearner(ctx, keyAda); err != nil || !ok || name != "ada" {
		t.Errorf("KeyLearner after enrolling: %q ok=%v err=%v, want ada", name, ok, err)
	}

	// The name is taken, by a key or by a learner without one.
	if _, err := b.EnrolKey(ctx, keyGrace, "ada"); !errors.Is(err, progress.ErrNameTaken) {
		t.Errorf("a second key enrolling as ada: %v, want ErrNameTaken", err)
	}
	answer(t, learner(t, b, "alan"), "l", "q", true, 0, day0)
	if _, err := b.EnrolKey(ctx, keyAlan, "alan"); !errors.Is(err, progress.ErrNameTaken) {
		t.Errorf("a key enrolling as an existing learner without a key: %v, want ErrNameTaken", err)
	}
	if _, ok, _ := b.KeyLearner(ctx, keyAlan); ok {
		t.Error("a refused enrolment bound the key")
	}

	// A key enrols once: it cannot become a second learner.
	if _, err := b.EnrolKey(ctx, keyAda, "ada2"); !errors.Is(err, progress.ErrKeyEnrolled) {
		t.Errorf("ada's key enrolling again: %v, want ErrKeyEnrolled", err)
	}
	users, err := b.Users(ctx)
	must(t, err)
	var names []string
	for _, u := range users {
		names = append(names, u.Name)
	}
	if strings.Join(names, ",") != "ada,alan" {
		t.Errorf("learners after refused enrolments: %v, want ada, alan", names)
	}

	for _, bad := range []struct{ fp, name string }{
		{"", "grace"}, {"SHA256:has space", "grace"}, {"SHA256:\x1b[2J", "grace"},
		{strings.Repeat("x", 200), "grace"}, {keyGrace, ""}, {keyGrace, " grace"}, {keyGrace, "gr\x1bace"},
	} {
		if _, err := b.EnrolKey(ctx, bad.fp, bad.name); err == nil {
			t.Errorf("EnrolKey(%q, %q) accepted", bad.fp, bad.name)
		}
	}
	if _, _, err := b.KeyLearner(ctx, ""); err == nil {
		t.Error("KeyLearner accepted an empty fingerprint")
	}

	// The enrolled learner is an ordinary learner: their answers are theirs.
	ada := learner(t, b, "ada")
	answer(t, ada, "l", "q", false, 0, day0)
	latest, err := ada.Latest(ctx, "l")
	must(t, err)
	if len(latest) != 1 {
		t.Errorf("ada's answers: %+v", latest)
	}
}

// Many keys racing for one name: exactly one wins and the others leave no
// learner behind; one key racing under many names enrols once.
func testKeysConcurrent(t *testing.T, open Open) {
	ctx := context.Background()
	b := open(t)
	const n = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, taken := 0, 0
	for i := range n {
		wg.Go(func() {
			_, err := b.EnrolKey(ctx, fmt.Sprintf("SHA256:race%02d", i), "same")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case errors.Is(err, progress.ErrNameTaken):
				taken++
			default:
				t.Errorf("enrol %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if won != 1 || taken != n-1 {
		t.Errorf("%d keys racing for one name: %d enrolled, %d refused; want 1 and %d", n, won, taken, n-1)
	}
	won, enrolled := 0, 0
	for i := range n {
		wg.Go(func() {
			_, err := b.EnrolKey(ctx, "SHA256:onekey", fmt.Sprintf("name-%d", i))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case errors.Is(err, progress.ErrKeyEnrolled):
				enrolled++
			default:
				t.Errorf("enrol as name-%d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if won != 1 || enrolled != n-1 {
		t.Errorf("one key racing under %d names: %d enrolled, %d refused; want 1 and %d", n, won, enrolled, n-1)
	}
	users, err := b.Users(ctx)
	must(t, err)
	if len(users) != 2 {
		t.Errorf("learners after the races: %+v, want one per race", users)
	}
}

// A new key cannot pass for an enrolled learner: a name that differs from
// one in the class only by case, by letters from another alphabet that look
// Latin (Cyrillic а, Greek Α), or by an invisible character would look the
// same in the class view, so it is refused. A plainly different name, in
// any alphabet, is welcome.
func testKeyNamesLookAlike(t *testing.T, open Open) {
	ctx := context.Background()
	b := open(t)
	if _, err := b.EnrolKey(ctx, keyAda, "alice"); err != nil {
		t.Fatal(err)
	}
	lookAlikes := map[string]string{
		"capital A":              "Alice",
		"all capitals":           "ALICE",
		"Cyrillic а":             "\u0430lice",
		"Cyrillic е":             "alic\u0435",
		"Cyrillic і":             "al\u0456ce",
		"Greek capital alpha":    "\u0391lice",
		"Cyrillic capitals":      "\u0410LI\u0421\u0415",
		"fullwidth letters":      "\uff41\uff4c\uff49\uff43\uff45",
		"capital I for l":        "aIice",
		"digit 1 for l":          "a1ice",
		"variation selector":     "alice\ufe0f",
		"combining grapheme jn.": "al\u034fice",
	}
	for why, name := range lookAlikes {
		// A key each, so one wrongly accepted name cannot hide the others.
		fp := fmt.Sprintf("SHA256:alike%x", why)
		if _, err := b.EnrolKey(ctx, fp, name); !errors.Is(err, progress.ErrNameTaken) {
			t.Errorf("%s: a new key enrolling as %q beside alice: %v, want ErrNameTaken", why, name, err)
		}
	}
	invisible := map[string]string{
		"zero-width space":        "alice\u200b",
		"zero-width joiner":       "ali\u200dce",
		"left-to-right mark":      "alice\u200e",
		"word joiner":             "alice\u2060",
		"invisible times":         "alice\u2062",
		"byte order mark":         "\ufeffalice",
		"right-to-left override":  "alice\u202e",
		"first-strong isolate":    "alice\u2068",
		"Hangul filler":           "alice\u3164",
		"Hangul choseong filler":  "alice\u115f",
		"Hangul jungseong filler": "alice\u1160",
		"halfwidth Hangul filler": "alice\uffa0",
		"line separator":          "alice\u2028",
		"paragraph separator":     "alice\u2029",
		"no-break space":          "ali\u00a0ce",
		"ideographic space":       "ali\u3000ce",
		"tab":                     "ali\tce",
		"soft hyphen":             "ali\u00adce",
		"decomposed accent (NFD)": "jose\u0301",
	}
	for why, name := range invisible {
		fp := fmt.Sprintf("SHA256:hidden%x", why)
		if _, err := b.EnrolKey(ctx, fp, name); err == nil || errors.Is(err, progress.ErrNameTaken) {
			t.Errorf("%s: EnrolKey(%q): %v, want the name refused for what it holds", why, name, err)
		}
		if _, err := b.Learner(name); err == nil {
			t.Errorf("%s: Learner(%q) accepted", why, name)
		}
		if _, err := b.EnsureUser(ctx, name); err == nil {
			t.Errorf("%s: EnsureUser(%q) accepted", why, name)
		}
	}
	users, err := b.Users(ctx)
	must(t, err)
	if len(users) != 1 {
		t.Errorf("learners after the refused enrolments: %q, want alice alone", userNames(users))
	}

	// A local profile (EnsureUser) is not an enrolment: names it made
	// keep working, and a key cannot pass for one either.
	if _, err := b.EnsureUser(ctx, "Bob"); err != nil {
		t.Fatal(err)
	}
	if again, err := b.EnsureUser(ctx, "Bob"); err != nil || again.Name != "Bob" {
		t.Errorf("EnsureUser of an existing profile: %+v %v", again, err)
	}
	if _, err := b.EnrolKey(ctx, keyGrace, "b\u043eb"); !errors.Is(err, progress.ErrNameTaken) {
		t.Errorf("a key enrolling as bob with a Cyrillic о beside the profile Bob: %v, want ErrNameTaken", err)
	}

	for i, name := range []string{"alicia", "Zoë", "Алиса", "José", "ali ce"} {
		u, err := b.EnrolKey(ctx, fmt.Sprintf("SHA256:distinct%02d", i), name)
		if err != nil || u.Name != name {
			t.Errorf("EnrolKey(%q), a name nobody's looks like: %+v %v, want it enrolled", name, u, err)
		}
	}
	users, err = b.Users(ctx)
	must(t, err)
	if len(users) != 7 {
		t.Errorf("learners: %q, want alice, Bob and the five distinct names", userNames(users))
	}
}

// Keys racing for names that look the same: exactly one is enrolled, even
// though no two of the names are equal byte for byte. Several rounds, so
// the later ones race on connections already open.
func testKeyNamesLookAlikeConcurrent(t *testing.T, open Open) {
	ctx := context.Background()
	b := open(t)
	words := []string{"same", "space", "peace", "scope", "aces", "copy"}
	for round, word := range words {
		names := lookAlikes(word)
		start := make(chan struct{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		won, taken := 0, 0
		for i, name := range names {
			wg.Go(func() {
				<-start
				_, err := b.EnrolKey(ctx, fmt.Sprintf("SHA256:alike%02d%02d", round, i), name)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won++
				case errors.Is(err, progress.ErrNameTaken):
					taken++
				default:
					t.Errorf("enrol as %q: %v", name, err)
				}
			})
		}
		close(start)
		wg.Wait()
		if won != 1 || taken != len(names)-1 {
			t.Errorf("%d keys racing for names that look like %q: %d enrolled, %d refused; want 1 and %d", len(names), word, won, taken, len(names)-1)
		}
	}
	users, err := b.Users(ctx)
	must(t, err)
	if len(users) != len(words) {
		t.Errorf("learners after the races: %q, want one per word of %q", userNames(users), words)
	}
}

// lookAlikes is word (small letters, most of them from a c e o p s y)
// spelled up to eight ways that look the same: cased three ways, with its
// Cyrillic-looking letters all Cyrillic or one at a time, and fullwidth.
func lookAlikes(word string) []string {
	cyrillic := strings.NewReplacer("a", "\u0430", "c", "\u0441", "e", "\u0435", "o", "\u043e", "p", "\u0440", "s", "\u0455", "y", "\u0443")
	names := []string{word, strings.ToUpper(word[:1]) + word[1:], strings.ToUpper(word), cyrillic.Replace(word)}
	for i := 0; i < len(word) && len(names) < 7; i++ {
		if c := cyrillic.Replace(word[i : i+1]); c != word[i:i+1] {
			names = append(names, word[:i]+c+word[i+1:])
		}
	}
	wide := []rune(word)
	for i, r := range wide {
		wide[i] = r - 'a' + '\uff41'
	}
	return append(names, string(wide))
}

func userNames(users []progress.User) []string {
	names := make([]string, len(users))
	for i, u := range users {
		names[i] = u.Name
	}
	return names
}
