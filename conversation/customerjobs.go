package conversation

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// JobsResult says what one run of the daily customer jobs did for a shop.
type JobsResult struct {
	Expired int // customers erased past the retention period
	Held    int // customers past it kept until the owner confirms (more than maxRetentionPercent)
	Lapsed  int // consents withdrawn after an unanswered renewal question
	Asked   int // customers asked to renew their consent
}

// CustomerJobs runs the daily customer jobs (RunCustomerJobs) for every
// shop that has not had them on its current shop-local day.
func (e *Engine) CustomerJobs(ctx context.Context, now time.Time) error {
	shops, err := e.store.Shops(ctx)
	if err != nil {
		return fmt.Errorf("conversation: customer jobs: %w", err)
	}
	var errs []error
	for _, shop := range shops {
		day := shop.Today(now).String()
		done, err := e.store.ShopSetting(ctx, shop.ID, crm.SettingJobsDay)
		if err != nil {
			errs = append(errs, fmt.Errorf("conversation: customer jobs: %w", err))
			continue
		}
		if done == day {
			continue
		}
		res, err := e.RunCustomerJobs(ctx, shop, now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if res != (JobsResult{}) {
			e.log.Info("customer jobs", "shop", shop.ID, "expired", res.Expired, "held", res.Held, "lapsed", res.Lapsed, "asked", res.Asked)
		}
		if err := e.store.SetShopSetting(ctx, shop.ID, crm.SettingJobsDay, day); err != nil {
			errs = append(errs, fmt.Errorf("conversation: customer jobs: %w", err))
		}
	}
	return errors.Join(errs...)
}

// RunCustomerJobs does the shop's daily customer work at now:
//
//   - retention: customers with no visit and no contact for the shop's
//     retention period (crm.DefaultRetention months unless set) are erased,
//     leaving the anonymous erasure line; the next digest says how many.
//     When that would be more than maxRetentionPercent of the shop's
//     customers, nobody is erased: the owners are asked (at most once every
//     retentionAskDays) and a button erases them;
//   - renewal: consent whose renewal question went unanswered for
//     crm.RenewalAnswerDays lapses (withdrawn, channel "renewal"), and
//     customers whose latest grant is crm.ConsentRenewYears old are asked,
//     once, whether to keep receiving messages.
func (e *Engine) RunCustomerJobs(ctx context.Context, shop crm.Shop, now time.Time) (JobsResult, error) {
	var res JobsResult
	day, cutoff := crm.RetentionCutoff(now, shop.Location(), e.retention(ctx, shop.ID))
	expiring, total, err := e.store.CountExpiring(ctx, shop.ID, day, cutoff)
	if err != nil {
		return res, fmt.Errorf("conversation: retention: %w", err)
	}
	switch {
	case expiring*100 > total*maxRetentionPercent:
		// Too many at once to be routine (a ledger with wrong years, a
		// clock gone wrong): nothing goes until the owner says so.
		res.Held = expiring
		if err := e.askRetention(ctx, shop, now, cutoff, expiring, total); err != nil {
			return res, err
		}
	case expiring > 0:
		n, err := e.store.ExpireCustomers(ctx, shop.ID, day, cutoff, now)
		if err != nil {
			return res, fmt.Errorf("conversation: retention: %w", err)
		}
		res.Expired = n
	}
	lapsed, err := e.store.RenewalLapsed(ctx, shop.ID, now)
	if err != nil {
		return res, fmt.Errorf("conversation: renewal: %w", err)
	}
	for _, l := range lapsed {
		set := map[crm.Purpose]bool{}
		for _, p := range crm.ConsentPurposes {
			set[p] = false
		}
		if _, err := e.store.ChangeConsent(ctx, crm.ConsentChange{ShopID: shop.ID, CustomerID: l.CustomerID, Set: set,
			Channel: "renewal", Notice: notice("renew", l.Lang), At: now}); err != nil {
			return res, fmt.Errorf("conversation: renewal lapse: %w", err)
		}
		res.Lapsed++
	}
	due, err := e.store.RenewalDue(ctx, shop.ID, now)
	if err != nil {
		return res, fmt.Errorf("conversation: renewal: %w", err)
	}
	for _, l := range due {
		data := map[string]any{"Shop": shop.Name, "Days": crm.RenewalAnswerDays}
		_, _, err := e.store.QueueMessage(ctx, crm.OutboxInput{ShopID: shop.ID, CustomerID: l.CustomerID,
			Purpose: crm.PurposeConsent, Text: e.cat.T(l.Lang, "customer.renew.ask", data), At: now, AskRenewal: true,
			Buttons: []crm.OutboxButton{
				{Label: e.cat.T(l.Lang, "button.keep", nil), Action: fmt.Sprintf("c:renew:%d", shop.ID)},
				{Label: e.cat.T(l.Lang, "button.stop", nil), Action: fmt.Sprintf("c:stop:%d", shop.ID)},
			}})
		if err != nil {
			return res, fmt.Errorf("conversation: renewal ask: %w", err)
		}
		res.Asked++
	}
	if res.Asked > 0 {
		e.wakeOutbox()
	}
	return res, nil
}

// The retention safeguard: one run never erases more than
// maxRetentionPercent of a shop's customers without the owner's
// confirmation, asked at most once every retentionAskDays.
const (
	maxRetentionPercent   = 10
	retentionAskDays      = 7
	settingRetentionAsked = "customers.retention_asked" // the shop-local day the owners were last asked
)

// askRetention asks the shop's owners whether to erase the customers
// past the retention period, unless they were asked lately.
func (e *Engine) askRetention(ctx context.Context, shop crm.Shop, now, cutoff time.Time, expiring, total int) error {
	today := shop.Today(now)
	asked, err := e.store.ShopSetting(ctx, shop.ID, settingRetentionAsked)
	if err != nil {
		return fmt.Errorf("conversation: retention: %w", err)
	}
	if d, err := crm.ParseDate(asked); err == nil && today.DaysSince(d) < retentionAskDays {
		return nil
	}
	members, err := e.store.Members(ctx, shop.ID)
	if err != nil {
		return fmt.Errorf("conversation: retention: %w", err)
	}
	lang := shop.Lang
	data := map[string]any{"Count": expiring, "Total": total, "Months": e.retention(ctx, shop.ID),
		"Percent": expiring * 100 / max(total, 1), "Days": retentionAskDays}
	var notices []crm.Notice
	for _, m := range members {
		if m.Role != crm.RoleOwner {
			continue
		}
		notices = append(notices, crm.Notice{ShopID: shop.ID, Platform: m.Platform, UserID: m.UserID, At: now,
			Text: e.cat.N(lang, "retention.ask", expiring, data),
			Buttons: []crm.OutboxButton{
				{Label: e.cat.N(lang, "retention.button.erase", expiring, nil), Action: fmt.Sprintf("retention:erase:%d", cutoff.Unix())},
				{Label: e.cat.T(lang, "retention.button.keep", nil), Action: "retention:keep"},
			}})
	}
	if len(notices) > 0 {
		if err := e.store.QueueNotices(ctx, notices...); err != nil {
			return fmt.Errorf("conversation: retention: %w", err)
		}
		e.wakeOutbox()
	}
	if err := e.store.SetShopSetting(ctx, shop.ID, settingRetentionAsked, today.String()); err != nil {
		return fmt.Errorf("conversation: retention: %w", err)
	}
	return nil
}

// retentionPress answers the owner's choice about a large retention
// erasure: erase those past the period as of when they were asked, or keep
// them for now.
func (e *Engine) retentionPress(ctx context.Context, s *session, arg string) ([]Reply, error) {
	if !s.isOwner() {
		return e.ownerOnly(s), nil
	}
	verb, at, _ := strings.Cut(arg, ":")
	switch verb {
	case "keep":
		return []Reply{{Text: e.cat.T(s.lang, "retention.kept", map[string]any{"Days": retentionAskDays}), Edit: true}}, nil
	case "erase":
		unix, err := strconv.ParseInt(at, 10, 64)
		if err != nil {
			break
		}
		cutoff := time.Unix(unix, 0)
		n, err := e.store.ExpireCustomers(ctx, s.shop.ID, crm.DateOf(cutoff, s.shop.Location()), cutoff, s.now)
		if err != nil {
			return e.fail(s.lang, fmt.Errorf("conversation: retention: %w", err))
		}
		return []Reply{{Text: e.cat.N(s.lang, "retention.erased", n, nil), Edit: true}}, nil
	}
	return []Reply{{Text: e.cat.T(s.lang, "action.stale", nil), Edit: true}}, nil
}
