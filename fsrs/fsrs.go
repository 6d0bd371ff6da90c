// Package fsrs schedules spaced review with FSRS-6, the Free Spaced
// Repetition Scheduler: from a card's memory state (stability, difficulty)
// and a rating it works out the next state and when the card is due again.
//
// It follows the reference implementation (open-spaced-repetition/py-fsrs,
// FSRS-6, 21 parameters) with its published default parameters, learning
// steps (1m, 10m), relearning step (10m), desired retention 0.9 and maximum
// interval 36500 days. Two documented differences: intervals are never
// fuzzed (scheduling is deterministic, which keeps reviews reproducible and
// testable), and whole-day intervals round half away from zero where Python
// rounds half to even; the two differ only when an interval is exactly x.5
// days.
//
// The package is pure: no clock, no storage. Callers pass the review time.
package fsrs

import (
	"fmt"
	"math"
	"time"
)

// Rating is how well the learner recalled a card.
type Rating int

// The four ratings, numbered as in FSRS (the formulas use the number).
const (
	Again Rating = 1 // forgot
	Hard  Rating = 2 // recalled with serious difficulty
	Good  Rating = 3 // recalled
	Easy  Rating = 4 // recalled easily
)

func (r Rating) String() string {
	switch r {
	case Again:
		return "again"
	case Hard:
		return "hard"
	case Good:
		return "good"
	case Easy:
		return "easy"
	}
	return fmt.Sprintf("Rating(%d)", int(r))
}

// Valid reports whether r is one of the four ratings.
func (r Rating) Valid() bool { return r >= Again && r <= Easy }

// State is where a card stands in its life.
type State int

// A card starts New, goes through the learning steps (Learning), then is
// scheduled in days (Review); a lapse in Review sends it through the
// relearning steps (Relearning) and back to Review.
const (
	New State = iota
	Learning
	Review
	Relearning
)

func (s State) String() string {
	switch s {
	case New:
		return "new"
	case Learning:
		return "learning"
	case Review:
		return "review"
	case Relearning:
		return "relearning"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Card is the memory state of one question for one learner. The zero value
// is a new card that has never been reviewed.
type Card struct {
	State State
	// Step is the index into the learning or relearning steps while the card
	// is in Learning or Relearning; 0 otherwise.
	Step       int
	Stability  float64 // days for retrievability to fall from 1 to 0.9
	Difficulty float64 // 1 (easy) .. 10 (hard)
	Due        time.Time
	LastReview time.Time
	Reps       int // reviews so far
	Lapses     int // times the card was forgotten in Review
}

// DefaultParameters are FSRS-6's published default weights w0..w20.
var DefaultParameters = [21]float64{
	0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001,
	1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014,
	1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
}

const (
	minStability  = 0.001
	minDifficulty = 1.0
	maxDifficulty = 10.0
)

// Scheduler holds the parameters of the algorithm. Build one with
// NewScheduler; it is a value and safe for concurrent use.
type Scheduler struct {
	Parameters       [21]float64
	DesiredRetention float64 // probability of recall at the due time, 0 < r < 1
	LearningSteps    []time.Duration
	RelearningSteps  []time.Duration
	MaximumInterval  int // days
}

// NewScheduler returns a scheduler with the reference defaults.
func NewScheduler() Scheduler {
	return Scheduler{
		Parameters:       DefaultParameters,
		DesiredRetention: 0.9,
		LearningSteps:    []time.Duration{time.Minute, 10 * time.Minute},
		RelearningSteps:  []time.Duration{10 * time.Minute},
		MaximumInterval:  36500,
	}
}

func (s Scheduler) decay() float64  { return -s.Parameters[20] }
func (s Scheduler) factor() float64 { return math.Pow(0.9, 1/s.decay()) - 1 }

// Retrievability is the predicted probability of recalling a card after
// elapsedDays whole days at the given stability:
// R = (1 + factor·t/S)^decay with decay = -w20 and factor = 0.9^(1/decay) - 1,
// so that R = 0.9 when t = S.
func (s Scheduler) Retrievability(stability, elapsedDays float64) float64 {
	if stability <= 0 {
		return 0
	}
	return math.Pow(1+s.factor()*elapsedDays/stability, s.decay())
}

// CardRetrievability is the card's probability of recall at now (0 for a
// card never reviewed). Elapsed time counts whole days, as the reference does.
func (s Scheduler) CardRetrievability(c Card, now time.Time) float64 {
	if c.State == New || c.LastReview.IsZero() {
		return 0
	}
	return s.Retrievability(c.Stability, float64(elapsedDays(c.LastReview, now)))
}

// Interval is the number of whole days until retrievability falls to the
// desired retention: t = S/factor · (r^(1/decay) - 1), rounded, at least 1
// day and at most MaximumInterval.
func (s Scheduler) Interval(stability float64) int {
	t := stability / s.factor() * (math.Pow(s.DesiredRetention, 1/s.decay()) - 1)
	days := int(math.Round(t))
	if days < 1 {
		days = 1
	}
	if s.MaximumInterval > 0 && days > s.MaximumInterval {
		days = s.MaximumInterval
	}
	return days
}

// InitialStability is S0(G) = w[G-1].
func (s Scheduler) InitialStability(r Rating) float64 {
	return math.Max(s.Parameters[r-1], minStability)
}

// InitialDifficulty is D0(G) = w4 - e^(w5·(G-1)) + 1, clamped to [1, 10].
func (s Scheduler) InitialDifficulty(r Rating) float64 {
	return clampDifficulty(s.initialDifficulty(r))
}

func (s Scheduler) initialDifficulty(r Rating) float64 {
	w := s.Parameters
	return w[4] - math.Exp(w[5]*float64(r-1)) + 1
}

// NextDifficulty applies linear damping and mean reversion towards D0(Easy):
// D1 = D + (10-D)·ΔD/9 with ΔD = -w6·(G-3), then D2 = w7·D0(4) + (1-w7)·D1.
func (s Scheduler) NextDifficulty(d float64, r Rating) float64 {
	w := s.Parameters
	delta := -w[6] * float64(r-3)
	damped := d + (10-d)*delta/9
	return clampDifficulty(w[7]*s.initialDifficulty(Easy) + (1-w[7])*damped)
}

// RecallStability is the stability after a successful review (Hard, Good,
// Easy) at retrievability rr:
// S' = S·(1 + e^w8·(11-D)·S^-w9·(e^(w10·(1-R)) - 1)·penalty·bonus)
// with penalty w15 for Hard and bonus w16 for Easy.
func (s Scheduler) RecallStability(d, st, rr float64, r Rating) float64 {
	w := s.Parameters
	hardPenalty, easyBonus := 1.0, 1.0
	if r == Hard {
		hardPenalty = w[15]
	}
	if r == Easy {
		easyBonus = w[16]
	}
	next := st * (1 + math.Exp(w[8])*(11-d)*math.Pow(st, -w[9])*(math.Exp(w[10]*(1-rr))-1)*hardPenalty*easyBonus)
	return math.Max(next, minStability)
}

// ForgetStability is the stability after a lapse (Again) at retrievability
// rr: min(w11·D^-w12·((S+1)^w13 - 1)·e^(w14·(1-R)), S/e^(w17·w18)).
func (s Scheduler) ForgetStability(d, st, rr float64) float64 {
	w := s.Parameters
	long := w[11] * math.Pow(d, -w[12]) * (math.Pow(st+1, w[13]) - 1) * math.Exp(w[14]*(1-rr))
	short := st / math.Exp(w[17]*w[18])
	return math.Max(math.Min(long, short), minStability)
}

// ShortTermStability is the stability after a review on the same day as the
// previous one: S' = S·e^(w17·(G-3+w18))·S^-w19, never decreasing for Good
// or Easy.
func (s Scheduler) ShortTermStability(st float64, r Rating) float64 {
	w := s.Parameters
	inc := math.Exp(w[17]*(float64(r)-3+w[18])) * math.Pow(st, -w[19])
	if r >= Good {
		inc = math.Max(inc, 1)
	}
	return math.Max(st*inc, minStability)
}

// Review returns the card after a review with rating r at now. It does not
// modify c. An invalid rating is an error.
func (s Scheduler) Review(c Card, r Rating, now time.Time) (Card, error) {
	if !r.Valid() {
		return c, fmt.Errorf("fsrs: rating %d is not one of again (1), hard (2), good (3), easy (4)", int(r))
	}
	next := c
	sameDay := !c.LastReview.IsZero() && elapsedDays(c.LastReview, now) < 1

	// Memory state.
	switch {
	case c.State == New:
		next.Stability = s.InitialStability(r)
		next.Difficulty = s.InitialDifficulty(r)
		next.State = Learning
		next.Step = 0
	case sameDay:
		next.Stability = s.ShortTermStability(c.Stability, r)
		next.Difficulty = s.NextDifficulty(c.Difficulty, r)
	default:
		rr := s.CardRetrievability(c, now)
		if r == Again {
			next.Stability = s.ForgetStability(c.Difficulty, c.Stability, rr)
		} else {
			next.Stability = s.RecallStability(c.Difficulty, c.Stability, rr, r)
		}
		next.Difficulty = s.NextDifficulty(c.Difficulty, r)
	}

	// Next interval and state.
	var wait time.Duration
	days := func() time.Duration { return time.Duration(s.Interval(next.Stability)) * 24 * time.Hour }
	switch next.State {
	case Learning, Relearning:
		steps := s.LearningSteps
		if next.State == Relearning {
			steps = s.RelearningSteps
		}
		if len(steps) == 0 || (next.Step >= len(steps) && r != Again) {
			next.State, next.Step, wait = Review, 0, days()
			break
		}
		switch r {
		case Again:
			next.Step = 0
			wait = steps[0]
		case Hard:
			switch {
			case next.Step == 0 && len(steps) == 1:
				wait = steps[0] * 3 / 2
			case next.Step == 0:
				wait = (steps[0] + steps[1]) / 2
			default:
				wait = steps[next.Step]
			}
		case Good:
			if next.Step+1 >= len(steps) {
				next.State, next.Step, wait = Review, 0, days()
			} else {
				next.Step++
				wait = steps[next.Step]
			}
		case Easy:
			next.State, next.Step, wait = Review, 0, days()
		}
	case Review:
		if r == Again {
			next.Lapses++
			if len(s.RelearningSteps) > 0 {
				next.State, next.Step, wait = Relearning, 0, s.RelearningSteps[0]
				break
			}
		}
		wait = days()
	}
	next.Reps++
	next.LastReview = now
	next.Due = now.Add(wait)
	return next, nil
}

// elapsedDays counts whole days between two instants, never negative.
func elapsedDays(from, to time.Time) int {
	d := int(to.Sub(from) / (24 * time.Hour))
	if d < 0 {
		return 0
	}
	return d
}

func clampDifficulty(d float64) float64 {
	return math.Min(math.Max(d, minDifficulty), maxDifficulty)
}
