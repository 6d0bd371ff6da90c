package fsrs

import (
	"math"
	"testing"
	"time"
)

// The expected values below were worked out from the published FSRS-6
// formulas and default parameters by hand (a calculator session), not by
// running this package.

const eps = 1e-6

func near(a, b float64) bool { return math.Abs(a-b) < eps }

func TestInitialStability(t *testing.T) {
	s := NewScheduler()
	for _, tc := range []struct {
		r    Rating
		want float64
	}{{Again, 0.212}, {Hard, 1.2931}, {Good, 2.3065}, {Easy, 8.2956}} {
		if got := s.InitialStability(tc.r); !near(got, tc.want) {
			t.Errorf("S0(%v) = %v, want w[%d] = %v", tc.r, got, tc.r-1, tc.want)
		}
	}
}

func TestInitialDifficulty(t *testing.T) {
	s := NewScheduler()
	// D0(G) = w4 - e^(w5(G-1)) + 1 = 7.4133 - e^(0.8334(G-1)), clamped to [1, 10].
	for _, tc := range []struct {
		r    Rating
		want float64
	}{
		{Again, 6.4133},
		{Hard, 7.4133 - 2.301129294}, // e^0.8334
		{Good, 7.4133 - 5.295196030}, // e^1.6668
		{Easy, 1},                    // 7.4133 - e^2.5002 = -4.77 -> clamped
	} {
		if got := s.InitialDifficulty(tc.r); math.Abs(got-tc.want) > 1e-5 {
			t.Errorf("D0(%v) = %v, want %v", tc.r, got, tc.want)
		}
	}
}

func TestRetrievability(t *testing.T) {
	s := NewScheduler()
	for _, tc := range []struct {
		stability, days, want float64
	}{
		{10, 0, 1},
		{10, 10, 0.9}, // R = 0.9 when t = S, by construction of factor
		{10, 20, 0.8458846},
		{2.3065, 2, 0.9094933},
		{5, -1, 1}, // CardRetrievability never passes negative days; the formula at 0 is 1
	} {
		days := math.Max(tc.days, 0)
		if got := s.Retrievability(tc.stability, days); math.Abs(got-tc.want) > 1e-6 {
			t.Errorf("R(S=%v, t=%v) = %v, want %v", tc.stability, tc.days, got, tc.want)
		}
	}
	if got := s.Retrievability(0, 3); got != 0 {
		t.Errorf("R with zero stability = %v, want 0", got)
	}
}

func TestInterval(t *testing.T) {
	for _, tc := range []struct {
		stability, retention float64
		want                 int
	}{
		{2.3065, 0.9, 2}, // at r = 0.9 the interval is S itself
		{10, 0.9, 10},
		{10.964332, 0.9, 11},
		{10, 0.8, 33},   // 10/0.98035 * (0.8^(-1/0.1542) - 1) = 33.16
		{100, 0.95, 40}, // 40.26
		{0.212, 0.9, 1}, // never less than a day
		{1e6, 0.9, 36500},
	} {
		s := NewScheduler()
		s.DesiredRetention = tc.retention
		if got := s.Interval(tc.stability); got != tc.want {
			t.Errorf("Interval(S=%v, r=%v) = %d, want %d", tc.stability, tc.retention, got, tc.want)
		}
	}
}

func TestStabilityAfterReview(t *testing.T) {
	s := NewScheduler()
	d := 2.118103970459015  // D0(Good)
	r := 0.9094932559773545 // R two days after S0(Good)
	for _, tc := range []struct {
		name   string
		rating Rating
		wantS  float64
		wantD  float64
	}{
		{"again", Again, 0.6075801, 7.3945027},
		{"hard", Hard, 7.5133204, 4.7528585},
		{"good", Good, 10.9643323, 2.1112142},
		{"easy", Easy, 18.5217542, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got float64
			if tc.rating == Again {
				got = s.ForgetStability(d, 2.3065, r)
			} else {
				got = s.RecallStability(d, 2.3065, r, tc.rating)
			}
			if math.Abs(got-tc.wantS) > 1e-6 {
				t.Errorf("stability = %v, want %v", got, tc.wantS)
			}
			if gotD := s.NextDifficulty(d, tc.rating); math.Abs(gotD-tc.wantD) > 1e-6 {
				t.Errorf("difficulty = %v, want %v", gotD, tc.wantD)
			}
		})
	}
}

func TestShortTermStability(t *testing.T) {
	s := NewScheduler()
	for _, tc := range []struct {
		r    Rating
		want float64
	}{
		{Again, 0.7750840},
		{Hard, 1.3333787},
		{Good, 2.3065}, // the increase is below 1 and Good never lowers stability
		{Easy, 3.9460541},
	} {
		if got := s.ShortTermStability(2.3065, tc.r); math.Abs(got-tc.want) > 1e-6 {
			t.Errorf("short-term S(%v) = %v, want %v", tc.r, got, tc.want)
		}
	}
}

func TestReviewKnownCase(t *testing.T) {
	s := NewScheduler()
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	c := Card{State: Review, Stability: 2.3065, Difficulty: 2.118103970459015, LastReview: t0, Reps: 1}
	at := t0.Add(48 * time.Hour)
	got, err := s.Review(c, Good, at)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != Review || math.Abs(got.Stability-10.9643323) > 1e-6 || math.Abs(got.Difficulty-2.1112142) > 1e-6 ||
		!got.Due.Equal(at.Add(11*24*time.Hour)) || !got.LastReview.Equal(at) || got.Reps != 2 || got.Lapses != 0 {
		t.Errorf("Review(Good) after 2 days = %+v", got)
	}
	if c.Reps != 1 || c.Stability != 2.3065 {
		t.Errorf("Review modified its argument: %+v", c)
	}
}

func TestReviewStates(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	withSteps := NewScheduler()
	daily := NewScheduler()
	daily.LearningSteps, daily.RelearningSteps = nil, nil
	review := Card{State: Review, Stability: 10, Difficulty: 5, LastReview: t0.Add(-10 * 24 * time.Hour), Reps: 3}

	for _, tc := range []struct {
		name      string
		s         Scheduler
		card      Card
		rating    Rating
		wantState State
		wantStep  int
		wantWait  time.Duration
		wantLapse int
	}{
		{"new again", withSteps, Card{}, Again, Learning, 0, time.Minute, 0},
		{"new hard", withSteps, Card{}, Hard, Learning, 0, 330 * time.Second, 0},
		{"new good", withSteps, Card{}, Good, Learning, 1, 10 * time.Minute, 0},
		{"new easy", withSteps, Card{}, Easy, Review, 0, 8 * 24 * time.Hour, 0},
		{"new good daily", daily, Card{}, Good, Review, 0, 2 * 24 * time.Hour, 0},
		{"new again daily", daily, Card{}, Again, Review, 0, 24 * time.Hour, 0},
		{"review again", withSteps, review, Again, Relearning, 0, 10 * time.Minute, 1},
		{"review again daily", daily, review, Again, Review, 0, 24 * time.Hour, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.s.Review(tc.card, tc.rating, t0)
			if err != nil {
				t.Fatal(err)
			}
			if got.State != tc.wantState || got.Step != tc.wantStep || got.Due.Sub(t0) != tc.wantWait || got.Lapses != tc.wantLapse {
				t.Errorf("got state %v step %d wait %v lapses %d; want %v %d %v %d",
					got.State, got.Step, got.Due.Sub(t0), got.Lapses, tc.wantState, tc.wantStep, tc.wantWait, tc.wantLapse)
			}
		})
	}
}

func TestLearningThenGraduate(t *testing.T) {
	s := NewScheduler()
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	c, _ := s.Review(Card{}, Good, t0)               // step 1, due in 10m
	c, _ = s.Review(c, Good, t0.Add(10*time.Minute)) // last step: graduates
	if c.State != Review || c.Reps != 2 {
		t.Fatalf("after two Goods: %+v, want Review", c)
	}
	// Same-day review: short-term stability of S0(Good) under Good is S0 itself.
	if !near(c.Stability, 2.3065) || !c.Due.Equal(t0.Add(10*time.Minute+2*24*time.Hour)) {
		t.Errorf("graduated card = %+v, want S=2.3065 due in 2 days", c)
	}
	// A lapse in relearning goes back to step 0; Good then graduates.
	c, _ = s.Review(c, Again, c.Due)
	if c.State != Relearning || c.Lapses != 1 {
		t.Fatalf("after lapse: %+v", c)
	}
	c, _ = s.Review(c, Good, c.Due)
	if c.State != Review {
		t.Errorf("after relearning Good: %+v, want Review", c)
	}
}

func TestInvalidRating(t *testing.T) {
	s := NewScheduler()
	for _, r := range []Rating{0, 5, -1} {
		if _, err := s.Review(Card{}, r, time.Now()); err == nil {
			t.Errorf("Review with rating %d succeeded, want an error", r)
		}
	}
}

func TestCardRetrievability(t *testing.T) {
	s := NewScheduler()
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	if got := s.CardRetrievability(Card{}, t0); got != 0 {
		t.Errorf("new card R = %v, want 0", got)
	}
	c := Card{State: Review, Stability: 10, LastReview: t0}
	// 10 days and 23 hours count as 10 whole days.
	if got := s.CardRetrievability(c, t0.Add(10*24*time.Hour+23*time.Hour)); !near(got, 0.9) {
		t.Errorf("R after 10d23h at S=10 = %v, want 0.9", got)
	}
}
