package lessons

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

var commonQuestionKeys = []string{"id", "type", "prompt", "explain", "hints", "refs"}

// keysByType lists the keys each question type accepts beyond the common ones.
var keysByType = map[QuestionType][]string{
	Single:    {"choices", "answer"},
	Multi:     {"choices", "answer"},
	TrueFalse: {"answer"},
	Short:     {"answer", "pattern"},
	Numeric:   {"answer", "tolerance", "unit"},
	Order:     {"items"},
}

var questionTypes = []string{string(Single), string(Multi), string(TrueFalse), string(Short), string(Numeric), string(Order)}

func allQuestionKeys() []string {
	seen := map[string]bool{}
	out := append([]string{}, commonQuestionKeys...)
	for _, t := range questionTypes {
		for _, k := range keysByType[QuestionType(t)] {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}

// parseQuestion decodes a quiz block; fence is the file line of its opening
// fence, so YAML line n is file line fence+n. It returns nil when the block
// is too broken to ask.
func (p *lessonParser) parseQuestion(content []byte, fence int) *Question {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(Sanitize(string(content))), &doc); err != nil {
		line, msg := yamlErrorLine(err)
		p.errorf(fence+line, 1, "quiz block is not valid YAML: %s", msg)
		return nil
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		p.errorf(fence+1, 1, "quiz block must be YAML 'key: value' lines with at least id, type, prompt and explain")
		return nil
	}
	m := doc.Content[0]
	keys := map[string][2]*yaml.Node{}
	var order []string
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if _, dup := keys[k.Value]; dup {
			p.errorf(fence+k.Line, k.Column, "quiz key %q appears twice", k.Value)
		}
		keys[k.Value] = [2]*yaml.Node{k, v}
		order = append(order, k.Value)
	}
	at := func(n *yaml.Node) (int, int) { return fence + n.Line, n.Column }
	q := &Question{Line: fence}
	ok := true

	if kv, has := keys["id"]; !has {
		p.errorf(fence+1, 1, "question has no id: add 'id: …' (lowercase, dashes, unique in the lesson)")
		ok = false
	} else {
		q.ID = scalar(kv[1])
		if !idPattern().MatchString(q.ID) {
			l, c := at(kv[1])
			p.errorf(l, c, "question id %q must be lowercase letters, digits and dashes, e.g. %q", q.ID, suggestID(q.ID))
			ok = false
		}
	}
	typeKnown := false
	if kv, has := keys["type"]; !has {
		p.errorf(fence+1, 1, "question %q has no type: add 'type:' with one of %s", q.ID, strings.Join(questionTypes, ", "))
		ok = false
	} else {
		q.Type = QuestionType(scalar(kv[1]))
		if _, known := keysByType[q.Type]; !known {
			l, c := at(kv[1])
			if s := closest(string(q.Type), questionTypes); s != "" {
				p.errorf(l, c, "unknown question type %q: did you mean %q?", q.Type, s)
			} else {
				p.errorf(l, c, "unknown question type %q: use one of %s", q.Type, strings.Join(questionTypes, ", "))
			}
			ok = false
		} else {
			typeKnown = true
		}
	}
	// Unknown keys: a key of another type is an error that says so.
	if typeKnown {
		allowed := append(append([]string{}, commonQuestionKeys...), keysByType[q.Type]...)
		for _, name := range order {
			if contains(allowed, name) {
				continue
			}
			l, c := at(keys[name][0])
			if contains(allQuestionKeys(), name) {
				p.errorf(l, c, "key %q does not apply to a %s question (it takes %s)", name, q.Type, strings.Join(allowed, ", "))
			} else {
				p.unknownKey(l, c, "quiz", name, allowed)
			}
			ok = false
		}
	}
	if kv, has := keys["prompt"]; !has || strings.TrimSpace(scalar(kv[1])) == "" {
		p.errorf(fence+1, 1, "question %q has no prompt: add 'prompt: …' with the question to ask", q.ID)
		ok = false
	} else {
		q.Prompt = Sanitize(strings.TrimSpace(scalar(kv[1])))
	}
	if kv, has := keys["explain"]; !has || strings.TrimSpace(scalar(kv[1])) == "" {
		p.errorf(fence+1, 1, "question %q has no explain: add 'explain: …' saying why the answer is right (learners see it after answering)", q.ID)
		ok = false
	} else {
		q.Explain = Sanitize(strings.TrimSpace(scalar(kv[1])))
	}
	if kv, has := keys["hints"]; has {
		q.Hints = p.stringList(kv[1], fence, "hints")
	}
	if kv, has := keys["refs"]; has {
		q.Refs = p.stringList(kv[1], fence, "refs")
	}
	if !typeKnown {
		return nil
	}
	if !p.decodeAnswer(q, keys, fence) {
		ok = false
	}
	if !ok {
		return nil
	}
	q.Hash = hashQuestion(q)
	return q
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// stringList reads a YAML list of strings (or a single string) for key.
func (p *lessonParser) stringList(n *yaml.Node, fence int, key string) []string {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return nil
		}
		return []string{Sanitize(strings.TrimSpace(n.Value))}
	case yaml.SequenceNode:
		var out []string
		for _, item := range n.Content {
			if item.Kind != yaml.ScalarNode {
				p.errorf(fence+item.Line, item.Column, "each entry of %s must be plain text", key)
				continue
			}
			out = append(out, Sanitize(strings.TrimSpace(item.Value)))
		}
		return out
	}
	p.errorf(fence+n.Line, n.Column, "%s must be a list of text entries", key)
	return nil
}

func (p *lessonParser) decodeAnswer(q *Question, keys map[string][2]*yaml.Node, fence int) bool {
	get := func(k string) *yaml.Node {
		if kv, has := keys[k]; has {
			return kv[1]
		}
		return nil
	}
	at := func(n *yaml.Node) (int, int) { return fence + n.Line, n.Column }
	need := func(k, what string) *yaml.Node {
		n := get(k)
		if n == nil {
			p.errorf(fence+1, 1, "%s question %q has no %s: add '%s:' with %s", q.Type, q.ID, k, k, what)
		}
		return n
	}
	switch q.Type {
	case Single, Multi:
		cn := need("choices", "a list of at least two choices")
		an := need("answer", "the text of the right choice")
		if cn == nil || an == nil {
			return false
		}
		if cn.Kind != yaml.SequenceNode {
			l, c := at(cn)
			p.errorf(l, c, "choices must be a list ('- …' lines)")
			return false
		}
		ok := true
		index := map[string]int{}
		for i, item := range cn.Content {
			if item.Kind != yaml.ScalarNode {
				l, c := at(item)
				p.errorf(l, c, "each choice must be plain text")
				ok = false
				continue
			}
			text := Sanitize(strings.TrimSpace(item.Value))
			if j, dup := index[norm(text)]; dup {
				l, c := at(item)
				p.errorf(l, c, "choice %q is listed twice (also choice %d)", text, j+1)
				ok = false
			}
			index[norm(text)] = i
			q.Choices = append(q.Choices, text)
		}
		if len(q.Choices) < 2 {
			l, c := at(cn)
			p.errorf(l, c, "a %s question needs at least two choices", q.Type)
			ok = false
		}
		var answers []*yaml.Node
		switch {
		case q.Type == Single && an.Kind == yaml.ScalarNode:
			answers = []*yaml.Node{an}
		case q.Type == Single:
			l, c := at(an)
			p.errorf(l, c, "a single question's answer is the text of one choice, not a list (use type: multi for several)")
			return false
		case an.Kind == yaml.SequenceNode:
			answers = an.Content
		case an.Kind == yaml.ScalarNode:
			answers = []*yaml.Node{an}
		default:
			l, c := at(an)
			p.errorf(l, c, "a multi question's answer is a list of choice texts")
			return false
		}
		if len(answers) == 0 {
			l, c := at(an)
			p.errorf(l, c, "answer is empty: name the right choice")
			return false
		}
		seen := map[int]bool{}
		for _, a := range answers {
			i, found := index[norm(a.Value)]
			if !found {
				l, c := at(a)
				if n, err := strconv.Atoi(a.Value); err == nil && n >= 1 && n <= len(q.Choices) {
					p.errorf(l, c, "answer %q is not among the choices: write the choice's text (%q), not its number", a.Value, q.Choices[n-1])
				} else {
					p.errorf(l, c, "answer %q is not among the choices: copy the right choice's text exactly", a.Value)
				}
				ok = false
				continue
			}
			if !seen[i] {
				seen[i] = true
				q.Correct = append(q.Correct, i)
			}
		}
		return ok
	case TrueFalse:
		an := need("answer", "true or false")
		if an == nil {
			return false
		}
		switch strings.ToLower(an.Value) {
		case "true", "yes":
			q.Bool = true
		case "false", "no":
			q.Bool = false
		default:
			l, c := at(an)
			p.errorf(l, c, "a truefalse question's answer is true or false, not %q", an.Value)
			return false
		}
		return true
	case Short:
		an := get("answer")
		pn := get("pattern")
		if an == nil && pn == nil {
			p.errorf(fence+1, 1, "short question %q has no answer: add 'answer:' with the accepted answers (and/or 'pattern:')", q.ID)
			return false
		}
		ok := true
		if an != nil {
			q.Accepted = p.stringList(an, fence, "answer")
			for _, a := range q.Accepted {
				if strings.TrimSpace(a) == "" {
					l, c := at(an)
					p.errorf(l, c, "an accepted answer is empty")
					ok = false
				}
			}
		}
		if pn != nil {
			q.Pattern = pn.Value
			if _, err := regexp.Compile("(?i)" + q.Pattern); err != nil {
				l, c := at(pn)
				p.errorf(l, c, "pattern %q does not compile: %v", q.Pattern, unwrapRegexpErr(err))
				ok = false
			}
		}
		return ok
	case Numeric:
		an := need("answer", "a number")
		if an == nil {
			return false
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(an.Value), 64)
		if err != nil || an.Kind != yaml.ScalarNode {
			l, c := at(an)
			p.errorf(l, c, "a numeric question's answer must be a number, not %q", an.Value)
			return false
		}
		q.Number = v
		if tn := get("tolerance"); tn != nil {
			t := strings.TrimSpace(tn.Value)
			rel := strings.HasSuffix(t, "%")
			f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(t, "%")), 64)
			if err != nil || f < 0 {
				l, c := at(tn)
				p.errorf(l, c, "tolerance must be a non-negative number (0.5) or a percentage (5%%), not %q", t)
				return false
			}
			if rel {
				f /= 100
			}
			q.Tolerance, q.Relative = f, rel
		}
		if un := get("unit"); un != nil {
			q.Unit = Sanitize(strings.TrimSpace(un.Value))
		}
		return true
	case Order:
		in := need("items", "the items listed in the right order")
		if in == nil {
			return false
		}
		items := p.stringList(in, fence, "items")
		if len(items) < 2 {
			l, c := at(in)
			p.errorf(l, c, "an order question needs at least two items")
			return false
		}
		seen := map[string]bool{}
		for i, it := range items {
			if seen[norm(it)] {
				l, c := at(in.Content[i])
				p.errorf(l, c, "item %q is listed twice: every item must be different", it)
				return false
			}
			seen[norm(it)] = true
		}
		q.Items = items
		return true
	}
	return false
}

func unwrapRegexpErr(err error) string {
	var re *syntax.Error
	if errors.As(err, &re) {
		return fmt.Sprintf("%s in %q", re.Code, strings.TrimPrefix(re.Expr, "(?i)"))
	}
	return err.Error()
}

// parseLab reads the envelope of a lab block: id and kind. The rest belongs
// to the labs package: lint checks it with labs.Validate.
func (p *lessonParser) parseLab(content []byte, fence int) *Lab {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(Sanitize(string(content))), &doc); err != nil {
		line, msg := yamlErrorLine(err)
		p.errorf(fence+line, 1, "lab block is not valid YAML: %s", msg)
		return nil
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		p.errorf(fence+1, 1, "lab block must be YAML 'key: value' lines with at least id and kind")
		return nil
	}
	lab := &Lab{Line: fence, Raw: string(content)}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		switch k.Value {
		case "id":
			lab.ID = scalar(v)
		case "kind":
			lab.Kind = scalar(v)
		case "title":
			lab.Title = Sanitize(scalar(v))
		}
	}
	if !idPattern().MatchString(lab.ID) {
		p.errorf(fence+1, 1, "lab needs an id of lowercase letters, digits and dashes (have %q)", lab.ID)
		return nil
	}
	if lab.Kind == "" {
		p.errorf(fence+1, 1, "lab %q has no kind: add 'kind: http', 'kind: sql' or 'kind: build'", lab.ID)
		return nil
	}
	return lab
}

// norm folds case and whitespace, for comparing answers and choices.
func norm(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
