package progress

import (
	"testing"
	"time"

	"serverside/fsrs"
)

// "Today" is the learner's day, wherever the server runs: 23:30 UTC is
// already tomorrow in Tokyo, so a card answered then in Tokyo is on a new
// day there and due-ness follows Tokyo's midnight.
func TestRulesUseTheLearnersDay(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	at := time.Date(2026, 3, 2, 23, 30, 0, 0, time.UTC)
	if got := Day(at, time.UTC); got != "2026-03-02" {
		t.Errorf("UTC day: %s", got)
	}
	if got := Day(at, tokyo); got != "2026-03-03" {
		t.Errorf("Tokyo day: %s", got)
	}
	if got, want := NextDay(at, tokyo), time.Date(2026, 3, 4, 0, 0, 0, 0, tokyo); !got.Equal(want) {
		t.Errorf("Tokyo's next day starts %v, want %v", got, want)
	}
	s := Scheduler()
	first, save, err := ScheduleAnswer(s, CardRecord{}, false, Attempt{Correct: true, At: at}, tokyo)
	if err != nil || !save || first.LastDay != "2026-03-03" || first.LastRating != fsrs.Good {
		t.Fatalf("first answer: %+v %v %v", first, save, err)
	}
	// An hour later it is still the same Tokyo day: no second change.
	if _, save, _ := ScheduleAnswer(s, first, true, Attempt{Correct: false, At: at.Add(time.Hour)}, tokyo); save {
		t.Error("a second answer on the learner's same day changed the schedule")
	}
}

func TestPickDueCapsNewCardsPerDay(t *testing.T) {
	card := func(id string, reps int) Card {
		return Card{QuestionID: id, Card: fsrs.Card{Reps: reps}}
	}
	due := []Card{card("new1", 1), card("old1", 3), card("new2", 1), card("new3", 1), card("old2", 5)}
	ids := func(cs []Card) (out []string) {
		for _, c := range cs {
			out = append(out, c.QuestionID)
		}
		return out
	}
	for _, tc := range []struct {
		introduced, cap int
		want            []string
	}{
		{0, -1, []string{"old1", "old2", "new1", "new2", "new3"}},
		{0, 2, []string{"old1", "old2", "new1", "new2"}},
		{1, 2, []string{"old1", "old2", "new1"}},
		{5, 2, []string{"old1", "old2"}},
	} {
		got := ids(PickDue(due, tc.introduced, tc.cap))
		if len(got) != len(tc.want) {
			t.Errorf("introduced %d cap %d: %v, want %v", tc.introduced, tc.cap, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("introduced %d cap %d: %v, want %v", tc.introduced, tc.cap, got, tc.want)
				break
			}
		}
	}
}

func TestStreakAndForecast(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		days      []string
		n         int
		practiced bool
	}{
		{[]string{"2026-03-10", "2026-03-09", "2026-03-08", "2026-03-06"}, 3, true},
		{[]string{"2026-03-09", "2026-03-08"}, 2, false},
		{[]string{"2026-03-08"}, 0, false},
		{[]string{"2026-03-12", "2026-03-10"}, 1, true}, // a day after today is ignored
		{nil, 0, false},
	} {
		n, practiced := Streak(tc.days, now, time.UTC)
		if n != tc.n || practiced != tc.practiced {
			t.Errorf("Streak(%v) = %d, %v; want %d, %v", tc.days, n, practiced, tc.n, tc.practiced)
		}
	}
	ends := ForecastDays(now, 3, time.UTC)
	dues := []time.Time{now.Add(-48 * time.Hour), now, now.Add(20 * time.Hour), now.Add(40 * time.Hour), now.Add(100 * time.Hour)}
	got := Forecast(dues, ends)
	if len(got) != 3 || got[0] != 2 || got[1] != 1 || got[2] != 1 {
		t.Errorf("forecast %v, want [2 1 1] (today and overdue, tomorrow 05:00, the day after 01:00)", got)
	}
}
