package calendar

import (
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Real dates across the 调休 of the 2025 and 2026 notices and the Xinjiang
// regional days: N working days after from, from not counted.
func TestAdd(t *testing.T) {
	const yutian, hongsibu = "653226", "640303"
	cases := []struct {
		name   string
		region string
		from   string
		n      int
		want   string
	}{
		{"zero is the day itself", "", "2025-01-28", 0, "2025-01-28"},
		{"an ordinary week", "", "2025-03-03", 5, "2025-03-10"},
		{"2025 春节: the Sunday before is worked", "", "2025-01-24", 1, "2025-01-26"},
		{"2025 春节: eight days off", "", "2025-01-27", 1, "2025-02-05"},
		{"2025 春节: the Saturday after is worked", "", "2025-01-27", 4, "2025-02-08"},
		{"2025 春节: then the next Monday", "", "2025-01-27", 5, "2025-02-10"},
		{"2025 国庆: Sunday 9-28 is worked", "", "2025-09-26", 1, "2025-09-28"},
		{"2025 国庆: off until 10-8", "", "2025-09-30", 1, "2025-10-09"},
		{"2025 国庆: Saturday 10-11 is worked", "", "2025-09-30", 3, "2025-10-11"},
		{"2025 国庆: a 15-day review across the holiday", "", "2025-09-22", 15, "2025-10-17"},
		{"2026 春节: Saturday 2-14 is worked", "", "2026-02-13", 1, "2026-02-14"},
		{"2026 春节: nine days off", "", "2026-02-14", 1, "2026-02-24"},
		{"2026 春节: a 20-day application across it", "", "2026-02-13", 20, "2026-03-19"},
		{"2026 国庆: Sunday 9-20 is worked", "", "2026-09-18", 1, "2026-09-20"},
		{"2026 中秋: Friday 9-25 off", "", "2026-09-24", 1, "2026-09-28"},
		{"2026 国庆: off until 10-7", "", "2026-09-30", 1, "2026-10-08"},
		{"2026 国庆: Saturday 10-10 is worked", "", "2026-09-30", 3, "2026-10-10"},
		{"2026 元旦: Sunday 1-4 is worked", "", "2025-12-31", 1, "2026-01-04"},
		{"肉孜节 2025: nationally 3-31 is a Monday like any", hongsibu, "2025-03-28", 1, "2025-03-31"},
		{"肉孜节 2025: off in 于田县 (under 650000)", yutian, "2025-03-28", 1, "2025-04-01"},
		{"古尔邦节 2025: 6-6 to 6-10 off in Xinjiang", yutian, "2025-06-05", 1, "2025-06-11"},
		{"古尔邦节 2025: 宁夏 works 6-6", hongsibu, "2025-06-05", 1, "2025-06-06"},
		{"a year without a notice counts weekends only", "", "2027-09-30", 1, "2027-10-01"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := New(c.region, Shipped).Add(day(c.from), c.n)
			if Format(got) != c.want {
				t.Errorf("Add(%s, %d) in %q = %s, want %s", c.from, c.n, c.region, Format(got), c.want)
			}
		})
	}
}

func TestCount(t *testing.T) {
	cal := New("", Shipped)
	cases := []struct {
		from, to string
		want     int
	}{
		{"2025-09-30", "2025-10-11", 3},
		{"2025-10-11", "2025-09-30", -3},
		{"2025-10-09", "2025-10-09", 0},
		{"2026-02-13", "2026-03-19", 20},
		{"2026-02-15", "2026-02-23", 0},
	}
	for _, c := range cases {
		if got := cal.Count(day(c.from), day(c.to)); got != c.want {
			t.Errorf("Count(%s, %s) = %d, want %d", c.from, c.to, got, c.want)
		}
	}
}

// The notices' own totals: 248 national working days in both years, 244 in
// Xinjiang in 2025.
func TestWorkdaysPerYear(t *testing.T) {
	cases := []struct {
		region string
		year   int
		want   int
	}{
		{"", 2025, 248}, {"", 2026, 248}, {"653226", 2025, 244}, {"650000", 2025, 244}, {"640303", 2025, 248},
	}
	for _, c := range cases {
		if _, n := New(c.region, Shipped).Year(c.year); n != c.want {
			t.Errorf("%d in %q: %d working days, want %d", c.year, c.region, n, c.want)
		}
	}
}

// A narrower layer wins over a wider one; a province's day reaches its
// counties and no other province's.
func TestLayers(t *testing.T) {
	days := append([]Day{}, Shipped...)
	days = append(days,
		Day{Date: day("2025-10-08"), Kind: Workday, Region: "640303", Name: "本县调整"},
		Day{Date: day("2025-03-31"), Kind: Holiday, Region: "640000", Name: "开斋节"},
	)
	hsb, yt := New("640303", days), New("653226", days)
	if !hsb.IsWorkday(day("2025-10-08")) || yt.IsWorkday(day("2025-10-08")) {
		t.Error("a county's workday overrides the national holiday there only")
	}
	if hsb.IsWorkday(day("2025-03-31")) || !New("", days).IsWorkday(day("2025-03-31")) {
		t.Error("640000's holiday applies to 640303 and not nationally")
	}
	if got := Scope("653226"); len(got) != 4 || got[1] != "650000" || got[2] != "653200" {
		t.Errorf("Scope(653226) = %v", got)
	}
	if !HasNational(Shipped, 2026) || HasNational(Shipped, 2027) {
		t.Error("HasNational: 2026 shipped, 2027 not")
	}
}

func TestParseRejects(t *testing.T) {
	for _, bad := range []string{
		"h\n2025-01-01\t2025-01-01\tholiday\t\t元旦\n",      // too few fields
		"h\n2025-01-02\t2025-01-01\tholiday\t\t元旦\tx\n",   // ends before it starts
		"h\n2025-01-01\t2025-01-01\toff\t\t元旦\tx\n",       // unknown kind
		"h\n2025-01-01\t2025-01-01\tholiday\t65\t元旦\tx\n", // bad region
		"h\n2025-13-01\t2025-13-01\tholiday\t\t元旦\tx\n",   // bad date
	} {
		if _, err := Parse(strings.NewReader(bad)); err == nil {
			t.Errorf("Parse accepted %q", bad)
		}
	}
}
