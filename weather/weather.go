// Package weather holds Dangol's forecast adapters, each a
// crm.WeatherProvider: KMA's short-term forecast (기상청 단기예보, through
// data.go.kr) and Open-Meteo. They fetch one day's highest probability of
// precipitation for a place; nothing else. Weather is off unless a
// provider is configured.
package weather

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// Provider names, as DANGOL_WEATHER takes them.
const (
	ProviderKMA       = "kma"
	ProviderOpenMeteo = "open-meteo"
)

// Config chooses and configures a provider.
type Config struct {
	Provider string // ProviderKMA, ProviderOpenMeteo, or "" for none
	Key      string // KMA: the data.go.kr service key (required); Open-Meteo: a commercial API key (optional)
	BaseURL  string // another endpoint (a test server); "" for the provider's own
	Client   *http.Client
	Now      func() time.Time // KMA picks the latest forecast issued before now
}

// New returns the configured provider, or nil when none is.
func New(c Config) (crm.WeatherProvider, error) {
	if c.Client == nil {
		c.Client = &http.Client{Timeout: 15 * time.Second}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	switch strings.ToLower(strings.TrimSpace(c.Provider)) {
	case "", "off", "none":
		return nil, nil
	case ProviderKMA:
		if c.Key == "" {
			return nil, errors.New("weather: kma needs a data.go.kr service key (DANGOL_WEATHER_KEY)")
		}
		return &KMA{Key: c.Key, BaseURL: c.BaseURL, Client: c.Client, Now: c.Now}, nil
	case ProviderOpenMeteo, "openmeteo":
		return &OpenMeteo{Key: c.Key, BaseURL: c.BaseURL, Client: c.Client}, nil
	}
	return nil, fmt.Errorf("weather: provider %q: want kma or open-meteo", c.Provider)
}

// maxBody bounds what a forecast response may weigh.
const maxBody = 4 << 20

// get fetches url and returns its body; a status other than 200 is an
// error carrying the start of the body.
func get(ctx context.Context, client *http.Client, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return body, fmt.Errorf("http %d: %s", resp.StatusCode, snippet(body))
	}
	return body, nil
}

func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
