package conversation

import (
	"strconv"
	"time"

	"github.com/dangol/dangol/crm"
)

// shortDate writes a day the way people write it on a phone: "11/26 (목)",
// "Thu 26 Nov".
func (e *Engine) shortDate(lang string, d crm.Date) string {
	return e.cat.T(lang, "date.short", map[string]any{
		"Month": int(d.Month), "Day": d.Day, "Weekday": e.weekdayShort(lang, d.Weekday()),
		"Mon": e.cat.T(lang, "month."+strconv.Itoa(int(d.Month)), nil),
	})
}

// monthDay writes a birthday: "3/14", "14 Mar".
func (e *Engine) monthDay(lang string, md crm.MonthDay) string {
	return e.cat.T(lang, "date.month_day", map[string]any{
		"Month": int(md.Month), "Day": md.Day, "Mon": e.cat.T(lang, "month."+strconv.Itoa(int(md.Month)), nil),
	})
}

func (e *Engine) weekday(lang string, wd time.Weekday) string {
	return e.cat.T(lang, "weekday."+strconv.Itoa(int(wd)), nil)
}

func (e *Engine) weekdayShort(lang string, wd time.Weekday) string {
	return e.cat.T(lang, "weekday.short."+strconv.Itoa(int(wd)), nil)
}
