package weather

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// KMA is the Korea Meteorological Administration's short-term forecast
// (단기예보, VilageFcstInfoService_2.0/getVilageFcst on data.go.kr). The
// rain chance of a day is the highest POP (강수확률) among the day's hourly
// forecasts of the latest issue before now, on the 5 km grid cell of the
// place.
type KMA struct {
	Key     string // the data.go.kr service key, decoded or URL-encoded as issued
	BaseURL string // default DefaultKMAURL
	Client  *http.Client
	Now     func() time.Time
}

// DefaultKMAURL is the forecast service's endpoint.
const DefaultKMAURL = "https://apis.data.go.kr/1360000/VilageFcstInfoService_2.0"

// kst is the zone the forecast's dates and issue times are in.
var kst = time.FixedZone("KST", 9*60*60)

// Name names the provider.
func (k *KMA) Name() string { return "KMA" }

// RainChance returns the day's highest POP at p.
func (k *KMA) RainChance(ctx context.Context, p crm.GeoPoint, day crm.Date, _ *time.Location) (int, error) {
	nx, ny := Grid(p.Lat, p.Lon)
	baseDate, baseTime := issue(k.Now())
	base := k.BaseURL
	if base == "" {
		base = DefaultKMAURL
	}
	key := k.Key
	if !strings.Contains(key, "%") {
		key = url.QueryEscape(key) // a decoded key; an encoded one goes as issued
	}
	q := url.Values{}
	q.Set("pageNo", "1")
	q.Set("numOfRows", "1000")
	q.Set("dataType", "JSON")
	q.Set("base_date", baseDate)
	q.Set("base_time", baseTime)
	q.Set("nx", strconv.Itoa(nx))
	q.Set("ny", strconv.Itoa(ny))
	u := strings.TrimRight(base, "/") + "/getVilageFcst?serviceKey=" + key + "&" + q.Encode()
	body, err := get(ctx, k.clientOr(), u)
	if err != nil {
		if msg, ok := kmaGatewayError(body); ok {
			return 0, fmt.Errorf("weather: kma: %s: %w", msg, err)
		}
		return 0, fmt.Errorf("weather: kma: %w", err)
	}
	return kmaPOP(body, fmt.Sprintf("%04d%02d%02d", day.Year, day.Month, day.Day))
}

func (k *KMA) clientOr() *http.Client {
	if k.Client == nil {
		return http.DefaultClient
	}
	return k.Client
}

// issue returns the latest forecast issue available at now: issued at
// 02, 05, 08 … 23 KST and published about ten minutes later.
func issue(now time.Time) (date, hhmm string) {
	t := now.In(kst).Add(-10 * time.Minute)
	h := t.Hour()
	if h < 2 {
		t = t.AddDate(0, 0, -1)
		h = 23
	} else {
		h -= (h - 2) % 3
	}
	return t.Format("20060102"), fmt.Sprintf("%02d00", h)
}

// kmaResponse is the JSON the service answers with.
type kmaResponse struct {
	Response struct {
		Header struct {
			ResultCode string `json:"resultCode"`
			ResultMsg  string `json:"resultMsg"`
		} `json:"header"`
		Body *struct {
			// Items is an object with an item array, or "" when there is
			// no data.
			Items      json.RawMessage `json:"items"`
			TotalCount int             `json:"totalCount"`
		} `json:"body"`
	} `json:"response"`
}

type kmaItem struct {
	Category  string `json:"category"`
	FcstDate  string `json:"fcstDate"`
	FcstTime  string `json:"fcstTime"`
	FcstValue any    `json:"fcstValue"` // "30" (a string) in the documented shape; a number or null tolerated
}

// kmaPOP reads the highest POP forecast for date (YYYYMMDD) from a
// response.
func kmaPOP(body []byte, date string) (int, error) {
	if msg, ok := kmaGatewayError(body); ok {
		return 0, fmt.Errorf("weather: kma: %s", msg)
	}
	var r kmaResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return 0, fmt.Errorf("weather: kma: unreadable answer %q: %w", snippet(body), err)
	}
	h := r.Response.Header
	switch h.ResultCode {
	case "00":
	case "03":
		return 0, fmt.Errorf("weather: kma: %s: %w", h.ResultMsg, crm.ErrNoForecast)
	case "":
		return 0, fmt.Errorf("weather: kma: answer without a result code: %q", snippet(body))
	default:
		return 0, fmt.Errorf("weather: kma: result %s %s", h.ResultCode, h.ResultMsg)
	}
	if r.Response.Body == nil {
		return 0, fmt.Errorf("weather: kma: no body: %w", crm.ErrNoForecast)
	}
	var items struct {
		Item []kmaItem `json:"item"`
	}
	raw := bytes.TrimSpace(r.Response.Body.Items)
	if len(raw) > 0 && raw[0] == '{' {
		if err := json.Unmarshal(raw, &items); err != nil {
			return 0, fmt.Errorf("weather: kma: items: %w", err)
		}
	}
	best, found := 0, false
	for _, it := range items.Item {
		if it.Category != "POP" || it.FcstDate != date {
			continue
		}
		v, ok := popValue(it.FcstValue)
		if !ok {
			continue
		}
		best, found = max(best, v), true
	}
	if !found {
		return 0, fmt.Errorf("weather: kma: no POP for %s: %w", date, crm.ErrNoForecast)
	}
	return best, nil
}

// popValue reads a POP value: a percentage 0–100.
func popValue(v any) (int, bool) {
	var f float64
	switch x := v.(type) {
	case string:
		var err error
		if f, err = strconv.ParseFloat(strings.TrimSpace(x), 64); err != nil {
			return 0, false
		}
	case float64:
		f = x
	default:
		return 0, false
	}
	if math.IsNaN(f) || f < 0 || f > 100 {
		return 0, false
	}
	return int(math.Round(f)), true
}

// kmaGatewayError reads the XML error data.go.kr's gateway answers with
// (an unregistered key, too many calls …).
func kmaGatewayError(body []byte) (string, bool) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 || b[0] != '<' {
		return "", false
	}
	var e struct {
		Header struct {
			ErrMsg     string `xml:"errMsg"`
			AuthMsg    string `xml:"returnAuthMsg"`
			ReasonCode string `xml:"returnReasonCode"`
		} `xml:"cmmMsgHeader"`
	}
	if err := xml.Unmarshal(b, &e); err != nil || e.Header.ReasonCode == "" && e.Header.AuthMsg == "" {
		return "unreadable answer " + strconv.Quote(snippet(body)), true
	}
	return fmt.Sprintf("%s %s (%s)", e.Header.ErrMsg, e.Header.AuthMsg, e.Header.ReasonCode), true
}

// Grid converts a latitude and longitude to the forecast's grid cell
// (nx, ny): KMA's Lambert conformal conic projection (standard parallels
// 30° and 60°, origin 38°N 126°E at cell 43, 136; Earth radius 6371.00877
// km; cells of 5 km).
func Grid(lat, lon float64) (nx, ny int) {
	const (
		re    = 6371.00877
		grid  = 5.0
		slat1 = 30.0
		slat2 = 60.0
		olon  = 126.0
		olat  = 38.0
		xo    = 43.0
		yo    = 136.0
	)
	rad := math.Pi / 180
	r := re / grid
	s1, s2, ol, oa := slat1*rad, slat2*rad, olon*rad, olat*rad
	sn := math.Log(math.Cos(s1)/math.Cos(s2)) / math.Log(math.Tan(math.Pi/4+s2/2)/math.Tan(math.Pi/4+s1/2))
	sf := math.Pow(math.Tan(math.Pi/4+s1/2), sn) * math.Cos(s1) / sn
	ro := r * sf / math.Pow(math.Tan(math.Pi/4+oa/2), sn)
	ra := r * sf / math.Pow(math.Tan(math.Pi/4+lat*rad/2), sn)
	theta := lon*rad - ol
	if theta > math.Pi {
		theta -= 2 * math.Pi
	}
	if theta < -math.Pi {
		theta += 2 * math.Pi
	}
	theta *= sn
	return int(math.Floor(ra*math.Sin(theta) + xo + 0.5)), int(math.Floor(ro - ra*math.Cos(theta) + yo + 0.5))
}

var _ crm.WeatherProvider = (*KMA)(nil)
