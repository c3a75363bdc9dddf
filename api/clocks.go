package api

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"qingdan/calendar"
	"qingdan/export"
	"qingdan/models"
	"qingdan/notify"
	"qingdan/workflow"
)

// Working-day calendars, step limits, clocks, 督办 and the message centre.

type clockJSON struct {
	Step     string  `json:"step"`
	StepName string  `json:"step_name"`
	Started  string  `json:"started"`   // YYYY-MM-DD, Beijing time
	Due      *string `json:"due"`       // null when the step has no limit
	DaysLeft *int    `json:"days_left"` // working days; negative when overdue
	Overdue  bool    `json:"overdue"`
	Limit    int     `json:"limit"` // working days; 0 for none
}

func toClockJSON(c *workflow.Clock) *clockJSON {
	if c == nil {
		return nil
	}
	out := &clockJSON{Step: c.Step, StepName: workflow.StepLabel(c.Step), Started: calendar.Format(c.Started),
		DaysLeft: c.DaysLeft, Overdue: c.Overdue, Limit: c.Limit}
	if c.Due != nil {
		d := calendar.Format(*c.Due)
		out.Due = &d
	}
	return out
}

// withClocks answers requests with their clocks.
func (s *Server) withClocks(c *gin.Context, rows []models.ChangeRequestRow) ([]changeRequestJSON, error) {
	clocks, err := s.flow.Clocks(c.Request.Context(), rows)
	if err != nil {
		return nil, err
	}
	out := make([]changeRequestJSON, 0, len(rows))
	for _, r := range rows {
		j := toChangeRequestJSON(r)
		j.Clock = toClockJSON(clocks[r.ID])
		out = append(out, j)
	}
	return out, nil
}

// workdayJSON is the date a number of working days after another.
type workdayJSON struct {
	Date string `json:"date"`
}

func (s *Server) workdays(c *gin.Context) {
	n, err := strconv.Atoi(c.Query("add"))
	if err != nil {
		invalid(c, "参数 add 应为工作日数（整数），收到 %q", c.Query("add"))
		return
	}
	d, err := s.flow.AddWorkdays(c.Request.Context(), c.Query("region"), c.Query("from"), n)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, workdayJSON{Date: d})
}

type calendarDayJSON struct {
	ID       int64  `json:"id"` // 0 for a day shipped with Qingdan
	Date     string `json:"date"`
	Kind     string `json:"kind" ts:"CalendarDayKind"`
	KindName string `json:"kind_name"`
	Region   string `json:"region"` // "" nationwide
	Name     string `json:"name"`
	Basis    string `json:"basis"`
}

var calendarKindNames = map[string]string{calendar.Holiday: "放假", calendar.Workday: "调休上班"}

func toCalendarDaysJSON(days []calendar.Day) []calendarDayJSON {
	out := make([]calendarDayJSON, 0, len(days))
	for _, d := range days {
		out = append(out, calendarDayJSON{ID: d.ID, Date: calendar.Format(d.Date), Kind: d.Kind, KindName: calendarKindNames[d.Kind],
			Region: d.Region, Name: d.Name, Basis: d.Basis})
	}
	return out
}

func (s *Server) getCalendar(c *gin.Context) {
	year, err := strconv.Atoi(c.Query("year"))
	if err != nil {
		invalid(c, "参数 year 应为年份，收到 %q", c.Query("year"))
		return
	}
	region := c.Query("region")
	y, err := s.flow.Year(c.Request.Context(), region, year)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, calendarYearJSON{Year: year, Region: region, Workdays: y.Workdays, NationalNotice: y.National,
		Days: toCalendarDaysJSON(y.Special)})
}

// calendarYearJSON is a region's working-day calendar of one year: its
// days off and extra workdays.
type calendarYearJSON struct {
	Year           int               `json:"year"`
	Region         string            `json:"region"`
	Workdays       int               `json:"workdays"`
	NationalNotice bool              `json:"national_notice"` // the State Council's notice for the year is in
	Days           []calendarDayJSON `json:"days"`
}

type calendarEntryBody struct {
	Region string `json:"region"`
	From   string `json:"from"`
	To     string `json:"to"`
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Basis  string `json:"basis"`
}

type calendarDaysJSON struct {
	Days []calendarDayJSON `json:"days"`
}

func (s *Server) addCalendarDays(c *gin.Context) {
	var b calendarEntryBody
	if !bindBody(c, &b, `{"region","from","to","kind","name","basis"}`) {
		return
	}
	days, err := s.flow.AddCalendarDays(c.Request.Context(), currentUser(c), workflow.CalendarEntry(b))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, calendarDaysJSON{Days: toCalendarDaysJSON(days)})
}

func (s *Server) deleteCalendarDay(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.flow.DeleteCalendarDay(c.Request.Context(), currentUser(c), id); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// regionLimitsJSON is a region's time limits and Qingdan's defaults beside them.
type regionLimitsJSON struct {
	Region   string          `json:"region"`
	Limits   workflow.Limits `json:"limits"`
	Defaults workflow.Limits `json:"defaults"`
}

func (s *Server) getLimits(c *gin.Context) {
	code := c.Param("code")
	if _, err := s.store.Region(c.Request.Context(), code); err != nil {
		fail(c, err)
		return
	}
	l, err := s.flow.Limits(c.Request.Context(), code)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, regionLimitsJSON{Region: code, Limits: l, Defaults: workflow.DefaultLimits})
}

func (s *Server) setLimits(c *gin.Context) {
	var l workflow.Limits
	if !bindBody(c, &l, `{"apply","review","approval","publish"}`) {
		return
	}
	if err := s.flow.SetLimits(c.Request.Context(), currentUser(c), c.Param("code"), l); err != nil {
		fail(c, err)
		return
	}
	s.getLimits(c)
}

type supervisionJSON struct {
	ChangeRequests []changeRequestJSON `json:"change_requests"`
}

// supervision is the 督办 list: ?sort=due|started|agency, ?format=xlsx.
func (s *Server) supervision(c *gin.Context) {
	u := currentUser(c)
	list, err := s.flow.Supervision(c.Request.Context(), u, c.Query("sort"))
	if err != nil {
		fail(c, err)
		return
	}
	if f := c.Query("format"); f != "" {
		if _, err := export.ParseFormat(f, []export.Format{export.XLSX}); err != nil {
			fail(c, err)
			return
		}
		rows := make([]export.SupervisionRow, 0, len(list))
		for _, x := range list {
			r := x.Request
			rows = append(rows, export.SupervisionRow{ID: r.ID, Title: r.Title, Agency: r.AgencyName, List: r.ListTitle,
				State: workflow.StateLabel(r.State), Step: workflow.StepLabel(x.Clock.Step), Started: calendar.Format(x.Clock.Started),
				Due: calendar.Format(*x.Clock.Due), DaysLeft: *x.Clock.DaysLeft, Overdue: x.Clock.Overdue})
		}
		scope := "全部区划"
		if u.Region != nil {
			scope = u.Region.Name
		}
		today := calendar.Format(calendar.On(s.flow.Now()))
		var buf bytes.Buffer
		if err := export.WriteSupervision(&buf, fmt.Sprintf("%s　截至 %s", scope, today), rows); err != nil {
			fail(c, err)
			return
		}
		sendFile(c, export.XLSX, "督办清单-"+today+".xlsx", "qingdan-supervision-"+today+".xlsx", buf.Bytes())
		return
	}
	out := make([]changeRequestJSON, 0, len(list))
	for _, x := range list {
		j := toChangeRequestJSON(x.Request)
		j.Clock = toClockJSON(x.Clock)
		out = append(out, j)
	}
	c.JSON(http.StatusOK, supervisionJSON{ChangeRequests: out})
}

type urgeBody struct {
	Comment string `json:"comment"`
}

func (s *Server) urge(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var b urgeBody
	if !bindBody(c, &b, `{"comment"}`) {
		return
	}
	if err := s.flow.Urge(c.Request.Context(), currentUser(c), id, b.Comment); err != nil {
		fail(c, err)
		return
	}
	s.respondDetail(c, http.StatusOK, id)
}

type notificationJSON struct {
	ID              int64      `json:"id"`
	Kind            string     `json:"kind"`
	KindName        string     `json:"kind_name"`
	ChangeRequestID *int64     `json:"change_request_id"`
	Title           string     `json:"title"`
	Body            string     `json:"body"`
	CreatedAt       time.Time  `json:"created_at"`
	ReadAt          *time.Time `json:"read_at"`
}

func toNotificationJSON(n models.Notification) notificationJSON {
	return notificationJSON{ID: n.ID, Kind: n.Kind, KindName: notify.KindLabels[n.Kind], ChangeRequestID: n.ChangeRequestID,
		Title: n.Title, Body: n.Body, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt}
}

func (s *Server) listNotifications(c *gin.Context) {
	page, size := 1, 20
	for name, dst := range map[string]*int{"page": &page, "page_size": &size} {
		v, err := optionalInt(c, name)
		if err != nil {
			fail(c, err)
			return
		}
		if v != nil {
			*dst = *v
		}
	}
	p, err := s.notify.List(c.Request.Context(), currentUser(c), c.Query("unread") == "1", page, size)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]notificationJSON, 0, len(p.Notifications))
	for _, n := range p.Notifications {
		out = append(out, toNotificationJSON(n))
	}
	c.JSON(http.StatusOK, notificationPageJSON{Notifications: out, Total: p.Total, Unread: p.Unread, Page: page, PageSize: size})
}

type notificationPageJSON struct {
	Notifications []notificationJSON `json:"notifications"`
	Total         int64              `json:"total"`
	Unread        int64              `json:"unread"`
	Page          int                `json:"page"`
	PageSize      int                `json:"page_size"`
}

type unreadJSON struct {
	Unread int64 `json:"unread"`
}

func (s *Server) unreadNotifications(c *gin.Context) {
	n, err := s.notify.Unread(c.Request.Context(), currentUser(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, unreadJSON{Unread: n})
}

func (s *Server) readNotification(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.notify.MarkRead(c.Request.Context(), currentUser(c), id); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) readAllNotifications(c *gin.Context) {
	if err := s.notify.MarkRead(c.Request.Context(), currentUser(c), 0); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type notificationSettingsJSON struct {
	Email       string `json:"email"`
	MailEnabled bool   `json:"mail_enabled"` // whether the server sends mail at all
}

func (s *Server) notificationSettings(c *gin.Context) {
	email, err := s.notify.Email(c.Request.Context(), currentUser(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, notificationSettingsJSON{Email: email, MailEnabled: s.notify.MailEnabled()})
}

type notificationSettingsBody struct {
	Email string `json:"email"`
}

func (s *Server) setNotificationSettings(c *gin.Context) {
	var b notificationSettingsBody
	if !bindBody(c, &b, `{"email"}`) {
		return
	}
	if err := s.notify.SetEmail(c.Request.Context(), currentUser(c), b.Email); err != nil {
		fail(c, err)
		return
	}
	s.notificationSettings(c)
}
