package api_test

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"gorm.io/gorm"

	"qingdan/dbtest"
)

// metricValue reads one sample of /metrics, 0 when absent.
func metricValue(t *testing.T, h http.Handler, sample string) float64 {
	t.Helper()
	r := call(t, h, "GET", "/metrics", nil, "")
	sc := bufio.NewScanner(bytes.NewReader(r.Body))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), sample+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", sample, err)
			}
			return f
		}
	}
	return 0
}

// TestMetricsCountCommittedTransitions: every committed transition counts
// under its event and a publication is timed; a refused one counts nothing.
func TestMetricsCountCommittedTransitions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		events := []string{"submit", "pass", "approve", "publish"}
		sample := func(event string) string { return fmt.Sprintf(`qingdan_transitions_total{event=%q}`, event) }
		const published = "qingdan_publication_duration_seconds_count"
		before := map[string]float64{published: metricValue(t, e.h, published)}
		for _, ev := range events {
			before[ev] = metricValue(t, e.h, sample(ev))
		}
		_, items := e.items(t, e.hsb, "")
		id := e.toState(t, e.hsb, "published", map[string]any{"op": "remove", "item_id": items[0].ID})
		e.must(t, http.StatusConflict, "hsb-gov", "POST", fmt.Sprintf("/api/v1/change-requests/%d/transitions", id),
			map[string]string{"event": "publish"})
		for _, ev := range events {
			if got := metricValue(t, e.h, sample(ev)) - before[ev]; got != 1 {
				t.Errorf("%s counted %g times, want 1", ev, got)
			}
		}
		if got := metricValue(t, e.h, published) - before[published]; got != 1 {
			t.Errorf("%g publications timed, want 1", got)
		}
	})
}
