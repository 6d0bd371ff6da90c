package lessons

// checkBounds reports where the body goes past what the reader renders:
// nesting, headings, code lines, table rows or length past
// DefaultLimits. The lesson is still shown, with the excess flattened
// or cut and a marker, so these are errors that do not block it. Headings
// past the limit are shown as text, so they leave the table of contents
// too (which matches each heading against every rendered line).
func (p *lessonParser) checkBounds(l *Lesson, body []byte, bodyLine int) {
	if len(l.Headings) > DefaultLimits.Headings {
		l.Headings = l.Headings[:DefaultLimits.Headings]
	}
	for _, e := range CheckLimits(body, DefaultLimits) {
		p.problem(bodyLine+e.Line-1, e.Col, Error, "%s", e.Message(DefaultLimits))
		p.probs[len(p.probs)-1].Shown = true
	}
}
