package weather

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// OpenMeteo is Open-Meteo's forecast API: the day's
// precipitation_probability_max at a place. The free endpoint is for
// non-commercial use; a shop is commercial, so it needs Open-Meteo's paid
// API key (Key), which selects their customer endpoint.
type OpenMeteo struct {
	Key     string
	BaseURL string // default DefaultOpenMeteoURL, or DefaultOpenMeteoCustomerURL with a key
	Client  *http.Client
}

// Open-Meteo's endpoints.
const (
	DefaultOpenMeteoURL         = "https://api.open-meteo.com"
	DefaultOpenMeteoCustomerURL = "https://customer-api.open-meteo.com"
)

// Name names the provider.
func (o *OpenMeteo) Name() string { return "Open-Meteo" }

// RainChance returns the day's precipitation_probability_max at p, the day
// taken in loc.
func (o *OpenMeteo) RainChance(ctx context.Context, p crm.GeoPoint, day crm.Date, loc *time.Location) (int, error) {
	base := o.baseURL()
	if loc == nil {
		loc = time.UTC
	}
	q := url.Values{}
	q.Set("latitude", strconv.FormatFloat(p.Lat, 'f', 4, 64))
	q.Set("longitude", strconv.FormatFloat(p.Lon, 'f', 4, 64))
	q.Set("daily", "precipitation_probability_max")
	q.Set("timezone", loc.String())
	q.Set("start_date", day.String())
	q.Set("end_date", day.String())
	if o.Key != "" {
		q.Set("apikey", o.Key)
	}
	client := o.Client
	if client == nil {
		client = http.DefaultClient
	}
	body, err := get(ctx, client, strings.TrimRight(base, "/")+"/v1/forecast?"+q.Encode())
	if err != nil {
		if reason, ok := openMeteoError(body); ok {
			return 0, fmt.Errorf("weather: open-meteo: %s: %w", reason, err)
		}
		return 0, fmt.Errorf("weather: open-meteo: %w", err)
	}
	return openMeteoPOP(body, day.String())
}

func (o *OpenMeteo) baseURL() string {
	switch {
	case o.BaseURL != "":
		return o.BaseURL
	case o.Key != "":
		return DefaultOpenMeteoCustomerURL
	}
	return DefaultOpenMeteoURL
}

// openMeteoResponse is the part of the answer read.
type openMeteoResponse struct {
	Error  bool   `json:"error"`
	Reason string `json:"reason"`
	Daily  *struct {
		Time []string   `json:"time"`
		Max  []*float64 `json:"precipitation_probability_max"`
	} `json:"daily"`
}

func openMeteoError(body []byte) (string, bool) {
	var r openMeteoResponse
	if json.Unmarshal(body, &r) != nil || !r.Error {
		return "", false
	}
	return r.Reason, true
}

// openMeteoPOP reads the probability of day (YYYY-MM-DD) from an answer.
func openMeteoPOP(body []byte, day string) (int, error) {
	var r openMeteoResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return 0, fmt.Errorf("weather: open-meteo: unreadable answer %q: %w", snippet(body), err)
	}
	if r.Error {
		return 0, fmt.Errorf("weather: open-meteo: %s", r.Reason)
	}
	if r.Daily == nil {
		return 0, fmt.Errorf("weather: open-meteo: no daily values: %w", crm.ErrNoForecast)
	}
	for i, t := range r.Daily.Time {
		if t != day {
			continue
		}
		if i >= len(r.Daily.Max) || r.Daily.Max[i] == nil {
			return 0, fmt.Errorf("weather: open-meteo: no probability for %s: %w", day, crm.ErrNoForecast)
		}
		v := *r.Daily.Max[i]
		if math.IsNaN(v) || v < 0 || v > 100 {
			return 0, fmt.Errorf("weather: open-meteo: probability %v for %s", v, day)
		}
		return int(math.Round(v)), nil
	}
	return 0, fmt.Errorf("weather: open-meteo: %s not in the answer: %w", day, crm.ErrNoForecast)
}

var _ crm.WeatherProvider = (*OpenMeteo)(nil)
