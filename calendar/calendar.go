// Package calendar counts working days (工作日) as Chinese administrative
// deadlines are counted: weekends off, the national holidays and the weekend
// working days (调休) of the State Council's yearly notices, and the days a
// region adds (the ethnic holidays of an autonomous region, a county's own
// notice). A region's day applies to every region under it: 650000 is all of
// Xinjiang. The start day is not counted (民法典 art. 201).
package calendar

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Kinds of special day.
const (
	Holiday = "holiday" // a weekday off
	Workday = "workday" // a weekend day worked (调休上班)
)

// Day is a day that is not what its weekday says, or a holiday on a weekend
// (kept so the calendar names it).
type Day struct {
	Date   time.Time // midnight UTC of the day
	Kind   string
	Region string // "" for the whole country, else the region code it applies under
	Name   string
	Basis  string // the notice it comes from
	ID     int64  // the stored row of a day an administrator entered; 0 for shipped days
}

// Date is the day y-m-d as the calendar keys it.
func Date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// China keeps one time zone.
var china = time.FixedZone("CST", 8*3600)

// On is the day (Beijing time) of an instant.
func On(t time.Time) time.Time {
	b := t.In(china)
	return Date(b.Year(), b.Month(), b.Day())
}

// Format writes a day as YYYY-MM-DD.
func Format(d time.Time) string { return d.Format(time.DateOnly) }

// MinYear and MaxYear bound the days the calendar accepts.
const (
	MinYear = 2000
	MaxYear = 2100
)

// ParsePastDate reads the day something happened as a user gives it (a
// 公布日期): YYYY-MM-DD, not after today in Beijing at now.
func ParsePastDate(s string, now time.Time) (time.Time, error) {
	d, err := ParseDate(s)
	if err != nil {
		return d, err
	}
	if today := On(now); d.After(today) {
		return d, fmt.Errorf("不能晚于今天（%s），收到 %s", Format(today), s)
	}
	return d, nil
}

// ParseDate reads YYYY-MM-DD within the calendar's years.
func ParseDate(s string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("日期应为 YYYY-MM-DD，收到 %q", s)
	}
	if d.Year() < MinYear || d.Year() > MaxYear {
		return time.Time{}, fmt.Errorf("日期应在 %d 至 %d 年之间，收到 %q", MinYear, MaxYear, s)
	}
	return d, nil
}

//go:embed data/holidays.tsv
var shippedTSV string

// Shipped are the days of the notices that come with Qingdan (data/holidays.tsv).
var Shipped = mustParse(shippedTSV)

func mustParse(s string) []Day {
	days, err := Parse(strings.NewReader(s))
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return days
}

// Parse reads the holiday file: after # comments and a header, one range a
// line — from, to (inclusive), kind, region, name, basis — tab-separated.
func Parse(r io.Reader) ([]Day, error) {
	var out []Day
	sc := bufio.NewScanner(r)
	line, header := 0, false
	for sc.Scan() {
		line++
		text := sc.Text()
		if strings.HasPrefix(text, "#") || strings.TrimSpace(text) == "" {
			continue
		}
		if !header {
			header = true
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != 6 {
			return nil, fmt.Errorf("holidays line %d: %d fields, want 6", line, len(f))
		}
		from, err := ParseDate(f[0])
		if err != nil {
			return nil, fmt.Errorf("holidays line %d: %w", line, err)
		}
		to, err := ParseDate(f[1])
		if err != nil || to.Before(from) || to.Sub(from) > 31*24*time.Hour {
			return nil, fmt.Errorf("holidays line %d: bad end %q", line, f[1])
		}
		if f[2] != Holiday && f[2] != Workday {
			return nil, fmt.Errorf("holidays line %d: kind %q", line, f[2])
		}
		if f[3] != "" && !ValidRegion(f[3]) {
			return nil, fmt.Errorf("holidays line %d: region %q", line, f[3])
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			out = append(out, Day{Date: d, Kind: f[2], Region: f[3], Name: f[4], Basis: f[5]})
		}
	}
	return out, sc.Err()
}

// ValidRegion: a six-digit GB/T 2260 code.
func ValidRegion(code string) bool {
	if len(code) != 6 {
		return false
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Scope lists the layers whose days apply to a region, widest first: the
// country (""), then the province, prefecture and county the code names.
func Scope(region string) []string {
	out := []string{""}
	if !ValidRegion(region) {
		return out
	}
	for _, c := range []string{region[:2] + "0000", region[:4] + "00", region} {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// Calendar is the working-day calendar of one region.
type Calendar struct {
	days map[time.Time]Day
}

// New resolves the days that apply to region: a narrower layer overrides a
// wider one on the same date, and within a layer a later day an earlier one
// (so what an administrator enters wins over what was shipped).
func New(region string, days []Day) *Calendar {
	c := &Calendar{days: map[time.Time]Day{}}
	for _, layer := range Scope(region) {
		for _, d := range days {
			if d.Region == layer {
				c.days[d.Date] = d
			}
		}
	}
	return c
}

// Special returns the day's entry, if the calendar has one.
func (c *Calendar) Special(d time.Time) (Day, bool) {
	x, ok := c.days[d]
	return x, ok
}

// IsWorkday says whether d is a working day.
func (c *Calendar) IsWorkday(d time.Time) bool {
	if x, ok := c.days[d]; ok {
		return x.Kind == Workday
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Add returns the n-th working day after from (from not counted); n = 0 is from.
func (c *Calendar) Add(from time.Time, n int) time.Time {
	d := from
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// Count is the number of working days after from up to and including to;
// negative, counted the same way back, when to is before from.
func (c *Calendar) Count(from, to time.Time) int {
	sign := 1
	if to.Before(from) {
		from, to, sign = to, from, -1
	}
	n := 0
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return sign * n
}

// Year lists the special days of a year in date order, and its working days.
func (c *Calendar) Year(y int) (special []Day, workdays int) {
	for d := Date(y, 1, 1); d.Year() == y; d = d.AddDate(0, 0, 1) {
		if x, ok := c.days[d]; ok {
			special = append(special, x)
		}
		if c.IsWorkday(d) {
			workdays++
		}
	}
	return special, workdays
}

// HasNational says whether the national notice of a year is known: without
// it the calendar of that year knows only weekends.
func HasNational(days []Day, y int) bool {
	for _, d := range days {
		if d.Region == "" && d.Date.Year() == y {
			return true
		}
	}
	return false
}
