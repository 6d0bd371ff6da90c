package lessons

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Answer is what a learner gave. Which fields matter depends on the
// question's type: Choices for single and multi (indexes into Choices),
// Bool for truefalse, Text for short and numeric, Order for order (indexes
// into Items, in the order the learner put them).
type Answer struct {
	Choices []int  `json:"choices,omitempty"`
	Bool    *bool  `json:"bool,omitempty"`
	Text    string `json:"text,omitempty"`
	Order   []int  `json:"order,omitempty"`
}

// Encode gives the answer as compact JSON, the form progress stores.
func (a Answer) Encode() string {
	b, _ := json.Marshal(a)
	return string(b)
}

// DecodeAnswer reads an answer stored by Encode.
func DecodeAnswer(s string) (Answer, error) {
	var a Answer
	err := json.Unmarshal([]byte(s), &a)
	return a, err
}

// Result is the outcome of grading one answer.
type Result struct {
	Correct bool
	// Given is the learner's answer in words, Expected the right one.
	Given    string
	Expected string
}

// Grade checks an answer. It is pure: the same question and answer always
// give the same result.
func Grade(q *Question, a Answer) Result {
	r := Result{Given: Describe(q, a), Expected: ExpectedAnswer(q)}
	switch q.Type {
	case Single, Multi:
		got := slices.Clone(a.Choices)
		slices.Sort(got)
		got = slices.Compact(got)
		want := slices.Clone(q.Correct)
		slices.Sort(want)
		r.Correct = len(got) > 0 && slices.Equal(got, want)
	case TrueFalse:
		r.Correct = a.Bool != nil && *a.Bool == q.Bool
	case Short:
		r.Correct = shortMatches(q, a.Text)
	case Numeric:
		v, err := ParseNumber(a.Text, q.Unit)
		r.Correct = err == nil && withinTolerance(q, v)
	case Order:
		r.Correct = len(a.Order) == len(q.Items)
		for i, idx := range a.Order {
			if idx != i {
				r.Correct = false
			}
		}
	}
	return r
}

func shortMatches(q *Question, text string) bool {
	given := norm(text)
	if given == "" {
		return false
	}
	for _, acc := range q.Accepted {
		if norm(acc) == given {
			return true
		}
	}
	if q.Pattern != "" {
		re, err := regexp.Compile("(?i)" + q.Pattern)
		if err == nil && re.MatchString(strings.Join(strings.Fields(text), " ")) {
			return true
		}
	}
	return false
}

func withinTolerance(q *Question, v float64) bool {
	tol := q.Tolerance
	if q.Relative {
		tol = math.Abs(q.Number) * q.Tolerance
	}
	// A little slack for decimal fractions that binary floats can't hold.
	return math.Abs(v-q.Number) <= tol+1e-9*math.Max(1, math.Abs(q.Number))
}

// ParseNumber reads a number as a learner types it: "1500", "1,500",
// "1.5e3", "200 ms" when unit is "ms". A unit other than the expected one is
// an error, so "2 s" is not taken for 2 ms.
func ParseNumber(text, unit string) (float64, error) {
	s := strings.TrimSpace(text)
	if unit != "" {
		if rest, ok := cutSuffixFold(s, unit); ok {
			s = strings.TrimSpace(rest)
		}
	}
	s = strings.ReplaceAll(s, ",", "")
	s = strings.ReplaceAll(s, "_", "")
	if s == "" {
		return 0, errors.New("type a number")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		if unit != "" {
			return 0, fmt.Errorf("%q is not a number (in %s)", text, unit)
		}
		return 0, fmt.Errorf("%q is not a number", text)
	}
	return v, nil
}

func cutSuffixFold(s, suffix string) (string, bool) {
	if len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}

// ExpectedAnswer says the right answer in words.
func ExpectedAnswer(q *Question) string {
	switch q.Type {
	case Single, Multi:
		var parts []string
		for _, i := range q.Correct {
			parts = append(parts, q.Choices[i])
		}
		return strings.Join(parts, "; ")
	case TrueFalse:
		return boolWord(q.Bool)
	case Short:
		if len(q.Accepted) > 0 {
			return q.Accepted[0]
		}
		return "text matching " + q.Pattern
	case Numeric:
		s := strconv.FormatFloat(q.Number, 'f', -1, 64)
		if q.Tolerance > 0 {
			if q.Relative {
				s += " (± " + strconv.FormatFloat(q.Tolerance*100, 'f', -1, 64) + "%)"
			} else {
				s += " (± " + strconv.FormatFloat(q.Tolerance, 'f', -1, 64) + ")"
			}
		}
		if q.Unit != "" {
			s += " " + q.Unit
		}
		return s
	case Order:
		return strings.Join(q.Items, " → ")
	}
	return ""
}

// Describe says a learner's answer in words.
func Describe(q *Question, a Answer) string {
	switch q.Type {
	case Single, Multi:
		var parts []string
		for _, i := range a.Choices {
			if i >= 0 && i < len(q.Choices) {
				parts = append(parts, q.Choices[i])
			}
		}
		if len(parts) == 0 {
			return "(nothing chosen)"
		}
		return strings.Join(parts, "; ")
	case TrueFalse:
		if a.Bool == nil {
			return "(no answer)"
		}
		return boolWord(*a.Bool)
	case Short, Numeric:
		return strings.TrimSpace(a.Text)
	case Order:
		var parts []string
		for _, i := range a.Order {
			if i >= 0 && i < len(q.Items) {
				parts = append(parts, q.Items[i])
			}
		}
		return strings.Join(parts, " → ")
	}
	return ""
}

func boolWord(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// ParseAnswer reads an answer typed on one line, as `serverside quiz
// --plain` takes them: choice numbers from 1 ("2", "1,3" or "1 3"), t/f,
// free text, a number, or item numbers in order. order is the order in which
// the items were shown (indexes into Items), so "2 1 3" means "the second
// shown, then the first, then the third".
func ParseAnswer(q *Question, line string, shown []int) (Answer, error) {
	line = strings.TrimSpace(line)
	switch q.Type {
	case Single, Multi:
		nums, err := numberList(line, len(q.Choices))
		if err != nil {
			return Answer{}, err
		}
		if q.Type == Single && len(nums) != 1 {
			return Answer{}, fmt.Errorf("choose one number from 1 to %d", len(q.Choices))
		}
		out := make([]int, len(nums))
		for i, n := range nums {
			out[i] = n - 1
		}
		return Answer{Choices: out}, nil
	case TrueFalse:
		switch strings.ToLower(line) {
		case "t", "true", "y", "yes":
			b := true
			return Answer{Bool: &b}, nil
		case "f", "false", "n", "no":
			b := false
			return Answer{Bool: &b}, nil
		}
		return Answer{}, errors.New("answer t (true) or f (false)")
	case Short:
		if line == "" {
			return Answer{}, errors.New("type an answer")
		}
		return Answer{Text: line}, nil
	case Numeric:
		if _, err := ParseNumber(line, q.Unit); err != nil {
			return Answer{}, err
		}
		return Answer{Text: line}, nil
	case Order:
		nums, err := numberList(line, len(q.Items))
		if err != nil {
			return Answer{}, err
		}
		if len(nums) != len(q.Items) {
			return Answer{}, fmt.Errorf("give all %d item numbers, each once, in the right order", len(q.Items))
		}
		seen := map[int]bool{}
		out := make([]int, len(nums))
		for i, n := range nums {
			if seen[n] {
				return Answer{}, fmt.Errorf("item %d appears twice: give each item once", n)
			}
			seen[n] = true
			out[i] = n - 1
			if shown != nil {
				out[i] = shown[n-1]
			}
		}
		return Answer{Order: out}, nil
	}
	return Answer{}, fmt.Errorf("unknown question type %q", q.Type)
}

func numberList(line string, maxN int) ([]int, error) {
	fields := strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if len(fields) == 0 {
		return nil, fmt.Errorf("type a number from 1 to %d", maxN)
	}
	var out []int
	for _, f := range fields {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || n > maxN {
			return nil, fmt.Errorf("%q is not a number from 1 to %d", f, maxN)
		}
		out = append(out, n)
	}
	return out, nil
}
