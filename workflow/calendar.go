package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"qingdan/apperr"
	"qingdan/calendar"
	"qingdan/models"
)

// CalendarYear is a region's calendar of one year.
type CalendarYear struct {
	Special  []calendar.Day // holidays and 调休 working days, in date order
	Workdays int
	National bool // the year's national notice is known; without it only weekends count
}

// checkRegion: "" (the whole country) or an existing region.
func (s *Service) checkRegion(ctx context.Context, region string) error {
	if region == "" {
		return nil
	}
	if !calendar.ValidRegion(region) {
		return fieldError("region", "区划代码应为 6 位数字，收到 %q", region)
	}
	_, err := s.store.Region(ctx, region)
	return err
}

// Year returns a region's calendar of a year.
func (s *Service) Year(ctx context.Context, region string, year int) (CalendarYear, error) {
	if year < calendar.MinYear || year > calendar.MaxYear {
		return CalendarYear{}, fieldError("year", "年份应在 %d 至 %d 之间", calendar.MinYear, calendar.MaxYear)
	}
	if err := s.checkRegion(ctx, region); err != nil {
		return CalendarYear{}, err
	}
	days, err := s.calendarDays(ctx, region)
	if err != nil {
		return CalendarYear{}, err
	}
	special, n := calendar.New(region, days).Year(year)
	return CalendarYear{Special: special, Workdays: n, National: calendar.HasNational(days, year)}, nil
}

// AddWorkdays is the n-th working day after from in a region's calendar.
func (s *Service) AddWorkdays(ctx context.Context, region, from string, n int) (string, error) {
	d, err := calendar.ParseDate(from)
	if err != nil {
		return "", fieldError("from", "%s", err.Error())
	}
	if n < 0 || n > 1000 {
		return "", fieldError("add", "工作日数应在 0 至 1000 之间，收到 %d", n)
	}
	if err := s.checkRegion(ctx, region); err != nil {
		return "", err
	}
	cal, err := s.Calendar(ctx, region)
	if err != nil {
		return "", err
	}
	return calendar.Format(cal.Add(d, n)), nil
}

// CalendarEntry is what an administrator enters: a run of days off or
// worked, nationally (Region "") or for a region and the regions under it.
type CalendarEntry struct {
	Region string
	From   string
	To     string // "" for one day
	Kind   string
	Name   string
	Basis  string
}

func mustAdmin(u *models.User, what string) error {
	if u.Role != models.RoleAdmin {
		return apperr.New(apperr.Forbidden, "只有系统管理员可以%s", what)
	}
	return nil
}

// AddCalendarDays stores an entry, a day at a time, and audits it.
func (s *Service) AddCalendarDays(ctx context.Context, u *models.User, in CalendarEntry) ([]calendar.Day, error) {
	if err := mustAdmin(u, "设置节假日"); err != nil {
		return nil, err
	}
	in.Name, in.Basis = strings.TrimSpace(in.Name), strings.TrimSpace(in.Basis)
	from, err := calendar.ParseDate(in.From)
	if err != nil {
		return nil, fieldError("from", "%s", err.Error())
	}
	to := from
	if in.To != "" {
		if to, err = calendar.ParseDate(in.To); err != nil {
			return nil, fieldError("to", "%s", err.Error())
		}
	}
	switch {
	case to.Before(from):
		return nil, fieldError("to", "结束日期不能早于开始日期")
	case to.Sub(from).Hours() > 30*24:
		return nil, fieldError("to", "一次最多录入 31 天")
	case in.Kind != calendar.Holiday && in.Kind != calendar.Workday:
		return nil, fieldError("kind", "类别应为 holiday（放假）或 workday（调休上班），收到 %q", in.Kind)
	case in.Name == "":
		return nil, fieldError("name", "请填写节日名称，例如“春节”")
	case utf8.RuneCountInString(in.Name) > 50:
		return nil, fieldError("name", "节日名称不能超过 50 字")
	case utf8.RuneCountInString(in.Basis) > 200:
		return nil, fieldError("basis", "依据不能超过 200 字")
	}
	if err := s.checkRegion(ctx, in.Region); err != nil {
		return nil, err
	}
	var out []calendar.Day
	err = s.store.Transaction(ctx, func(tx *models.Store) error {
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			day := models.CalendarDay{RegionCode: in.Region, Day: calendar.Format(d), Kind: in.Kind, Name: in.Name,
				Basis: in.Basis, CreatedBy: &u.ID, CreatedAt: s.Now()}
			if err := tx.CreateCalendarDay(ctx, &day); err != nil {
				return err
			}
			out = append(out, calendar.Day{Date: d, Kind: in.Kind, Region: in.Region, Name: in.Name, Basis: in.Basis, ID: day.ID})
		}
		return tx.AppendAudit(ctx, models.AuditEntry{ActorID: &u.ID, Actor: u.Username, Action: "calendar_add",
			TargetType: "calendar", TargetID: in.Region, RegionCode: in.Region,
			After: map[string]any{"from": in.From, "to": calendar.Format(to), "kind": in.Kind, "name": in.Name, "basis": in.Basis}})
	})
	return out, err
}

// DeleteCalendarDay removes an entered day (shipped days are overridden, not deleted).
func (s *Service) DeleteCalendarDay(ctx context.Context, u *models.User, id int64) error {
	if err := mustAdmin(u, "设置节假日"); err != nil {
		return err
	}
	return s.store.Transaction(ctx, func(tx *models.Store) error {
		d, err := tx.DeleteCalendarDay(ctx, id)
		if err != nil {
			return err
		}
		return tx.AppendAudit(ctx, models.AuditEntry{ActorID: &u.ID, Actor: u.Username, Action: "calendar_delete",
			TargetType: "calendar", TargetID: d.RegionCode, RegionCode: d.RegionCode,
			Before: map[string]any{"id": d.ID, "day": d.Day, "kind": d.Kind, "name": d.Name}})
	})
}

// checkLimits refuses a limit out of range, naming it.
func checkLimits(l Limits) error {
	for _, f := range []struct {
		name string
		v    int
		min  int
	}{{"apply", l.Apply, 1}, {"review", l.Review, 1}, {"approval", l.Approval, 0}, {"publish", l.Publish, 1}} {
		if f.v < f.min || f.v > MaxLimit {
			return fieldError("limits."+f.name, "时限应在 %d 至 %d 个工作日之间，收到 %d", f.min, MaxLimit, f.v)
		}
	}
	return nil
}

// SetLimits stores a region's working-day limits in its process setting,
// keeping the rest of the setting as it was (a region without a setting of
// its own keeps the process it inherits), and audits the change.
func (s *Service) SetLimits(ctx context.Context, u *models.User, region string, l Limits) error {
	if err := mustAdmin(u, "设置办理时限"); err != nil {
		return err
	}
	if err := checkLimits(l); err != nil {
		return err
	}
	if !calendar.ValidRegion(region) {
		return fieldError("region", "区划代码应为 6 位数字，收到 %q", region)
	}
	if err := s.checkRegion(ctx, region); err != nil {
		return err
	}
	return s.store.Transaction(ctx, func(tx *models.Store) error {
		rows, err := tx.RegionProcesses(ctx, []string{region})
		if err != nil {
			return err
		}
		eff, err := effectiveProcess(ctx, tx, region)
		if err != nil {
			return err
		}
		setting := map[string]json.RawMessage{}
		switch {
		case len(rows) == 1:
			err = json.Unmarshal([]byte(rows[0].Setting), &setting)
		case eff.From != "": // inherited: the region's own setting starts from it
			doc, _ := json.Marshal(eff.Process)
			err = json.Unmarshal(doc, &setting)
		}
		if err != nil {
			return fmt.Errorf("process setting of %s: %w", region, err)
		}
		raw, _ := json.Marshal(l)
		setting["limits"] = raw
		doc, _ := json.Marshal(setting)
		if err := tx.SaveRegionProcess(ctx, models.RegionProcess{RegionCode: region, Setting: string(doc), UpdatedBy: &u.ID, UpdatedAt: s.Now()}); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, models.AuditEntry{ActorID: &u.ID, Actor: u.Username, Action: "limits_set",
			TargetType: "region", TargetID: region, RegionCode: region, Before: eff.Process.Limits, After: l})
	})
}
