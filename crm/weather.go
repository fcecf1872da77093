package crm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ErrNoForecast is wrapped by a WeatherProvider's error when the forecast
// it fetched holds no value for the day asked (a null, a missing day).
var ErrNoForecast = errors.New("no forecast for the day")

// WeatherProvider tells the chance of rain at a place on a day. Adapters
// live in package weather; Dangol runs without one unless configured.
type WeatherProvider interface {
	// RainChance returns the highest probability of precipitation
	// forecast for day (in loc) at p, in percent.
	RainChance(ctx context.Context, p GeoPoint, day Date, loc *time.Location) (int, error)
	// Name names the provider for the owner ("KMA", "Open-Meteo").
	Name() string
}

// GeoPoint is a place on Earth in degrees (WGS84).
type GeoPoint struct{ Lat, Lon float64 }

// ParseGeoPoint reads "37.5665,126.9780" (a space or a comma and a space
// between the two are fine).
func ParseGeoPoint(s string) (GeoPoint, error) {
	s = strings.TrimSpace(s)
	a, b, ok := strings.Cut(s, ",")
	if !ok {
		f := strings.Fields(s)
		if len(f) != 2 {
			return GeoPoint{}, fmt.Errorf("location %q: want LAT,LON: %w", s, ErrInvalidInput)
		}
		a, b = f[0], f[1]
	}
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if err1 != nil || err2 != nil || math.IsNaN(lat) || math.IsNaN(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return GeoPoint{}, fmt.Errorf("location %q: want LAT,LON in degrees: %w", s, ErrInvalidInput)
	}
	return GeoPoint{Lat: lat, Lon: lon}, nil
}

// String writes the point as "37.5665,126.9780".
func (p GeoPoint) String() string { return fmt.Sprintf("%.4f,%.4f", p.Lat, p.Lon) }

// WeatherDay is a shop's forecast for one day as Dangol fetched it once:
// the rain probability, or that the fetch failed (weather rules then sit
// the day out).
type WeatherDay struct {
	ShopID    int64
	Day       Date
	Rain      int // percent
	Failed    bool
	FetchedAt time.Time
}
