package crm

import "context"

// Shop setting keys kept beside the Shop record, for adapters' own needs.
const (
	// SettingSlackDigestChannel is the Slack channel the digest goes to
	// ("" → the owner's and staff's direct messages).
	SettingSlackDigestChannel = "slack.digest_channel"
)

// SettingStore keeps small per-shop settings by key.
type SettingStore interface {
	// ShopSetting returns the value of key for the shop, "" when unset.
	ShopSetting(ctx context.Context, shopID int64, key string) (string, error)
	// SetShopSetting sets key; an empty value unsets it.
	SetShopSetting(ctx context.Context, shopID int64, key, value string) error
}
