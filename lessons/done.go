package lessons

// DoneRule says in words when a lesson is done. The README, the quiz's
// help and the end-of-lesson card say exactly this, so learners read one
// rule wherever they look.
const DoneRule = "A lesson is done once the latest answer to each of its questions is right, however it was given; a lesson without questions, once it has been read to the end. A later slip in review does not undo it."

// Standing is what a learner has done in one lesson, as the store records
// it: whether each question's latest answer is right (by question ID) and
// whether the end of the lesson has been shown.
type Standing struct {
	LatestRight map[string]bool
	ReadToEnd   bool
}

// Done is the one definition of a finished lesson, shared by every screen
// and command that records answers (the lesson's cards, its quiz, review,
// cram, `quiz --plain`) and so by everything that reports it (the map,
// `list`, `progress`, `report`): every question's latest answer is right
// however it was given; a lesson without questions is done once read to
// its end. Answers to questions no longer in the lesson don't count.
func Done(l *Lesson, s Standing) bool {
	if l == nil {
		return false
	}
	if len(l.Questions) == 0 {
		return s.ReadToEnd
	}
	right, total := RightOf(l, s.LatestRight)
	return right == total
}

// RightOf counts the lesson's questions whose latest answer is right, out
// of all of them: the "n of m" the end-of-lesson card and the summaries
// show.
func RightOf(l *Lesson, latestRight map[string]bool) (right, total int) {
	for _, q := range l.Questions {
		if latestRight[q.ID] {
			right++
		}
	}
	return right, len(l.Questions)
}
