package conversation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dangol/dangol/crm"
)

// JobsResult says what one run of the daily customer jobs did for a shop.
type JobsResult struct {
	Expired int // customers erased past the retention period
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
			e.log.Info("customer jobs", "shop", shop.ID, "expired", res.Expired, "lapsed", res.Lapsed, "asked", res.Asked)
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
//     leaving the anonymous erasure line; the next digest says how many;
//   - renewal: consent whose renewal question went unanswered for
//     crm.RenewalAnswerDays lapses (withdrawn, channel "renewal"), and
//     customers whose latest grant is crm.ConsentRenewYears old are asked,
//     once, whether to keep receiving messages.
func (e *Engine) RunCustomerJobs(ctx context.Context, shop crm.Shop, now time.Time) (JobsResult, error) {
	var res JobsResult
	day, cutoff := crm.RetentionCutoff(now, shop.Location(), e.retention(ctx, shop.ID))
	n, err := e.store.ExpireCustomers(ctx, shop.ID, day, cutoff, now)
	if err != nil {
		return res, fmt.Errorf("conversation: retention: %w", err)
	}
	res.Expired = n
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
