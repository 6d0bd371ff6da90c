package progress

import (
	"encoding/json"
	"fmt"
	"time"

	"serverside/fsrs"
)

// The scheduling rules, in one place and free of SQL, so every backend
// schedules a learner's reviews the same way: a backend loads a card,
// asks these functions what changes, and stores the answer. "Today" is
// always the learner's calendar day in loc.

// Scheduler is FSRS with day-granular scheduling: no minute learning steps,
// because a question's schedule changes at most once a day (see
// ScheduleAnswer), so a card answered today is next due on a later day.
func Scheduler() fsrs.Scheduler {
	s := fsrs.NewScheduler()
	s.LearningSteps = nil
	s.RelearningSteps = nil
	return s
}

// Day is the learner's calendar day of t in loc, as YYYY-MM-DD.
func Day(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.DateOnly) }

// NextDay is the start of the day after t's in loc. Review is day-granular:
// a card due at any time today is due all day.
func NextDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}

// IsDue says whether a card is due on now's day.
func IsDue(c fsrs.Card, now time.Time, loc *time.Location) bool {
	return c.Due.Before(NextDay(now, loc))
}

// RatingFor derives the review rating of an answer: right without hints is
// Good, right with hints is Hard, wrong is Again. Easy is only ever given by
// the learner (see Rerate).
func RatingFor(a Attempt) fsrs.Rating {
	switch {
	case !a.Correct:
		return fsrs.Again
	case a.HintsUsed > 0:
		return fsrs.Hard
	default:
		return fsrs.Good
	}
}

// CardRecord is a question's stored schedule: the card, the day and rating
// of the review that last changed it, and the card as it was before that
// review (JSON), so the learner can re-rate it without compounding.
type CardRecord struct {
	Card       fsrs.Card
	LastDay    string
	LastRating fsrs.Rating
	Prev       string
	CreatedAt  time.Time
}

// ScheduleAnswer applies the rules documented on Store.RecordAttempt to an
// answer: found says whether the question had a card. It returns the card
// to store, and save=false when the answer leaves the schedule as it is.
func ScheduleAnswer(s fsrs.Scheduler, rec CardRecord, found bool, a Attempt, loc *time.Location) (next CardRecord, save bool, err error) {
	today := Day(a.At, loc)
	if found {
		if rec.LastDay == today {
			return rec, false, nil // a question is reviewed at most once a day
		}
		if !IsDue(rec.Card, a.At, loc) && a.Correct {
			return rec, false, nil // early right answers do not inflate the interval
		}
	}
	rating := RatingFor(a)
	card, err := s.Review(rec.Card, rating, a.At)
	if err != nil {
		return rec, false, err
	}
	prev, err := json.Marshal(rec.Card)
	if err != nil {
		return rec, false, err
	}
	created := rec.CreatedAt
	if !found {
		created = a.At
	}
	return CardRecord{Card: card, LastDay: today, LastRating: rating, Prev: string(prev), CreatedAt: created}, true, nil
}

// Rerate redoes today's review of a card with the learner's own rating,
// from the card as it was before it, at the same review time, so rating
// twice never compounds. When the schedule did not change today, or the
// rating is the one it already has, it changes nothing (save=false).
func Rerate(s fsrs.Scheduler, rec CardRecord, rating fsrs.Rating, now time.Time, loc *time.Location) (next CardRecord, save bool, err error) {
	if !rating.Valid() {
		return rec, false, fmt.Errorf("rating %d is not again (1), hard (2), good (3) or easy (4)", int(rating))
	}
	if rec.LastDay != Day(now, loc) || rec.LastRating == rating {
		return rec, false, nil
	}
	var before fsrs.Card
	if err := json.Unmarshal([]byte(rec.Prev), &before); err != nil {
		return rec, false, fmt.Errorf("card's previous state is unreadable: %w", err)
	}
	card, err := s.Review(before, rating, rec.Card.LastReview)
	if err != nil {
		return rec, false, err
	}
	rec.Card, rec.LastRating = card, rating
	return rec, true, nil
}

// PickDue orders the cards due on a day (given oldest due first): the cards
// reviewed since their first answer come first, then at most newCap cards
// still waiting for their first review, less the introduced ones that got
// their first review today already. A negative newCap means no cap.
func PickDue(due []Card, introducedToday, newCap int) []Card {
	var reviews, fresh []Card
	for _, c := range due {
		if c.Reps <= 1 {
			fresh = append(fresh, c)
		} else {
			reviews = append(reviews, c)
		}
	}
	if newCap >= 0 {
		room := max(newCap-introducedToday, 0)
		fresh = fresh[:min(room, len(fresh))]
	}
	return append(reviews, fresh...)
}

// A card whose first review (after the answer that created it) happened on
// its LastDay has reps 2: backends count such cards for introducedToday.

// Streak counts consecutive practice days ending today or yesterday, from
// the distinct days (YYYY-MM-DD) with an answer, newest first. Days after
// today (a clock that was ahead) are ignored.
func Streak(daysNewestFirst []string, now time.Time, loc *time.Location) (days int, today bool) {
	local := now.In(loc)
	todayStr := local.Format(time.DateOnly)
	want := local
	for _, d := range daysNewestFirst {
		if d > todayStr {
			continue
		}
		if days == 0 && !today && d != todayStr {
			want = local.AddDate(0, 0, -1) // nothing yet today: the streak may end yesterday
		}
		if d != want.Format(time.DateOnly) {
			break
		}
		if d == todayStr {
			today = true
		}
		days++
		want = want.AddDate(0, 0, -1)
	}
	return days, today
}

// ForecastDays returns the start of each of the days after now's, for
// Forecast: a card whose due is before ends[i] falls on day i or earlier.
func ForecastDays(now time.Time, days int, loc *time.Location) (ends []time.Time) {
	end := now
	for range days {
		end = NextDay(end, loc)
		ends = append(ends, end)
	}
	return ends
}

// Forecast counts cards due on each of len(ends) days (see ForecastDays),
// from their due times given in ascending order; index 0 counts today and
// every overdue card.
func Forecast(duesAscending []time.Time, ends []time.Time) []int {
	counts := make([]int, len(ends))
	i := 0
	for _, due := range duesAscending {
		for i < len(ends) && !due.Before(ends[i]) {
			i++
		}
		if i == len(ends) {
			break
		}
		counts[i]++
	}
	return counts
}
