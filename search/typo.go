package search

import (
	"strings"
	"unicode/utf8"
)

// Suggest corrects the query's words that no lesson has, each to the word
// of the course one typo away (a letter missing, extra, wrong or two
// swapped) that the course uses most: "idempotncy" becomes "idempotency".
// ok is false when nothing needed, or could take, a correction. Words
// shorter than four letters are left alone: one typo away from them is
// too many words.
func (ix *Index) Suggest(query string) (string, bool) {
	ts := terms(query)
	if len(ts) == 0 {
		return "", false
	}
	var vocab map[string]int
	changed := false
	for i, t := range ts {
		if utf8.RuneCountInString(t) < 4 || ix.anyHas(t) {
			continue
		}
		if vocab == nil {
			vocab = ix.vocabulary()
		}
		best, bestN := "", 0
		for w, n := range vocab {
			if n > bestN || (n == bestN && w < best) {
				if oneTypo(t, w) {
					best, bestN = w, n
				}
			}
		}
		if best != "" {
			ts[i], changed = best, true
		}
	}
	if !changed {
		return "", false
	}
	return strings.Join(ts, " "), true
}

// anyHas reports whether some lesson has a word starting with t.
func (ix *Index) anyHas(t string) bool {
	var buf []int
	for di := range ix.docs {
		if buf = ix.docs[di].occurrences(t, buf[:0]); len(buf) > 0 {
			return true
		}
	}
	return false
}

// vocabulary counts every word of the course. It is built per call: a
// correction is asked only when a search finds nothing.
func (ix *Index) vocabulary() map[string]int {
	v := map[string]int{}
	for di := range ix.docs {
		d := &ix.docs[di]
		eachWord(d.text, func(start, end int) {
			if end-start >= 3 && end-start <= 40 {
				v[d.text[start:end]]++
			}
		})
	}
	return v
}

// oneTypo reports whether a and b differ by exactly one edit: a rune
// inserted, deleted or replaced, or two neighbours swapped.
func oneTypo(a, b string) bool {
	if a == b {
		return false
	}
	x, y := []rune(a), []rune(b)
	if len(x) > len(y) {
		x, y = y, x
	}
	switch len(y) - len(x) {
	case 0:
		var diff []int
		for i := range x {
			if x[i] != y[i] {
				diff = append(diff, i)
				if len(diff) > 2 {
					return false
				}
			}
		}
		if len(diff) == 1 {
			return true
		}
		i := diff[0]
		return len(diff) == 2 && diff[1] == i+1 && x[i] == y[i+1] && x[i+1] == y[i]
	case 1:
		i := 0
		for i < len(x) && x[i] == y[i] {
			i++
		}
		return string(x[i:]) == string(y[i+1:])
	}
	return false
}
