package weather

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

// TestGrid checks the grid conversion against KMA's cells of known places
// (city halls, and the example the forecast's guide gives for Seoul).
func TestGrid(t *testing.T) {
	for _, tt := range []struct {
		name     string
		lat, lon float64
		nx, ny   int
	}{
		{"Seoul", 37.5665, 126.9780, 60, 127},
		{"Seoul (the guide's 37.56, 126.97)", 37.56, 126.97, 60, 127},
		{"Busan city hall", 35.1798, 129.0750, 98, 76},
		{"Incheon city hall", 37.4563, 126.7052, 55, 124},
		{"Gwangju city hall", 35.1601, 126.8514, 58, 74},
		{"Daejeon city hall", 36.3504, 127.3845, 67, 100},
		{"The origin, 38N 126E", 38, 126, 43, 136},
	} {
		if nx, ny := Grid(tt.lat, tt.lon); nx != tt.nx || ny != tt.ny {
			t.Errorf("%s (%v, %v) → %d, %d; want %d, %d", tt.name, tt.lat, tt.lon, nx, ny, tt.nx, tt.ny)
		}
	}
}

func TestIssue(t *testing.T) {
	for _, tt := range []struct{ now, date, hhmm string }{
		{"2026-11-26T05:10:00+09:00", "20261126", "0500"},
		{"2026-11-26T05:09:00+09:00", "20261126", "0200"},
		{"2026-11-26T10:00:00+09:00", "20261126", "0800"},
		{"2026-11-26T23:59:00+09:00", "20261126", "2300"},
		{"2026-11-26T02:09:00+09:00", "20261125", "2300"},
		{"2026-11-26T00:30:00+09:00", "20261125", "2300"},
		{"2026-11-26T02:10:00+09:00", "20261126", "0200"},
		{"2026-11-26T01:10:00Z", "20261126", "0800"}, // 10:10 KST
	} {
		now, _ := time.Parse(time.RFC3339, tt.now)
		if d, h := issue(now); d != tt.date || h != tt.hhmm {
			t.Errorf("issue(%s) = %s %s, want %s %s", tt.now, d, h, tt.date, tt.hhmm)
		}
	}
}

// kmaOK is a getVilageFcst answer in the documented JSON shape: POP with
// other categories around it, today and tomorrow.
const kmaOK = `{"response":{"header":{"resultCode":"00","resultMsg":"NORMAL_SERVICE"},
"body":{"dataType":"JSON","items":{"item":[
{"baseDate":"20261126","baseTime":"0800","category":"TMP","fcstDate":"20261126","fcstTime":"0900","fcstValue":"7","nx":60,"ny":127},
{"baseDate":"20261126","baseTime":"0800","category":"POP","fcstDate":"20261126","fcstTime":"0900","fcstValue":"20","nx":60,"ny":127},
{"baseDate":"20261126","baseTime":"0800","category":"PTY","fcstDate":"20261126","fcstTime":"0900","fcstValue":"0","nx":60,"ny":127},
{"baseDate":"20261126","baseTime":"0800","category":"POP","fcstDate":"20261126","fcstTime":"1500","fcstValue":"70","nx":60,"ny":127},
{"baseDate":"20261126","baseTime":"0800","category":"POP","fcstDate":"20261126","fcstTime":"1800","fcstValue":"60","nx":60,"ny":127},
{"baseDate":"20261126","baseTime":"0800","category":"PCP","fcstDate":"20261126","fcstTime":"1500","fcstValue":"1mm 미만","nx":60,"ny":127},
{"baseDate":"20261126","baseTime":"0800","category":"POP","fcstDate":"20261127","fcstTime":"0900","fcstValue":"90","nx":60,"ny":127}
]},"pageNo":1,"numOfRows":1000,"totalCount":7}}}`

func kmaServer(t *testing.T, status int, body string, seen *http.Request) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if seen != nil {
			*seen = *r.Clone(context.Background())
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(s.Close)
	return s
}

var seoul = crm.GeoPoint{Lat: 37.5665, Lon: 126.9780}

func TestKMA(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, kst)
	today := crm.NewDate(2026, 11, 26)
	var req http.Request
	s := kmaServer(t, 200, kmaOK, &req)
	k := &KMA{Key: "abc+/def==", BaseURL: s.URL, Client: s.Client(), Now: func() time.Time { return now }}
	got, err := k.RainChance(context.Background(), seoul, today, kst)
	if err != nil || got != 70 {
		t.Fatalf("today: %d, %v; want 70", got, err)
	}
	if req.URL.Path != "/getVilageFcst" {
		t.Errorf("path %q", req.URL.Path)
	}
	q := req.URL.Query()
	for k, want := range map[string]string{"serviceKey": "abc+/def==", "dataType": "JSON", "base_date": "20261126",
		"base_time": "0800", "nx": "60", "ny": "127", "numOfRows": "1000", "pageNo": "1"} {
		if q.Get(k) != want {
			t.Errorf("%s = %q, want %q (query %s)", k, q.Get(k), want, req.URL.RawQuery)
		}
	}
	if got, err := k.RainChance(context.Background(), seoul, today.AddDays(1), kst); err != nil || got != 90 {
		t.Errorf("tomorrow: %d, %v; want 90", got, err)
	}
	// A key issued URL-encoded goes as it is, not encoded twice.
	k.Key = "abc%2B%2Fdef%3D%3D"
	if _, err := k.RainChance(context.Background(), seoul, today, kst); err != nil || req.URL.Query().Get("serviceKey") != "abc+/def==" {
		t.Errorf("encoded key: %v, sent %q", err, req.URL.RawQuery)
	}
	// A day the answer does not cover has no forecast.
	if _, err := k.RainChance(context.Background(), seoul, today.AddDays(3), kst); !errors.Is(err, crm.ErrNoForecast) {
		t.Errorf("a day not covered: %v", err)
	}
}

func TestKMAErrorsAndNulls(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, kst)
	today := crm.NewDate(2026, 11, 26)
	for _, tt := range []struct {
		name      string
		status    int
		body      string
		noForcast bool   // errors.Is ErrNoForecast
		says      string // in the error
		want      int    // when no error is expected
	}{
		{name: "no data", status: 200, body: `{"response":{"header":{"resultCode":"03","resultMsg":"NO_DATA"},"body":{"dataType":"JSON","items":"","pageNo":1,"numOfRows":10,"totalCount":0}}}`, noForcast: true, says: "NO_DATA"},
		{name: "application error", status: 200, body: `{"response":{"header":{"resultCode":"01","resultMsg":"APPLICATION_ERROR"}}}`, says: "APPLICATION_ERROR"},
		{name: "unregistered key (the gateway's XML)", status: 200, body: `<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg><returnAuthMsg>SERVICE_KEY_IS_NOT_REGISTERED_ERROR</returnAuthMsg><returnReasonCode>30</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>`, says: "SERVICE_KEY_IS_NOT_REGISTERED_ERROR"},
		{name: "server error", status: 500, body: `Internal Server Error`, says: "http 500"},
		{name: "gateway error with XML", status: 502, body: `<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg><returnAuthMsg>HTTP_ERROR</returnAuthMsg><returnReasonCode>04</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>`, says: "HTTP_ERROR"},
		{name: "not JSON", status: 200, body: `{"response":`, says: "unreadable"},
		{name: "null body", status: 200, body: `{"response":{"header":{"resultCode":"00","resultMsg":"NORMAL_SERVICE"},"body":null}}`, noForcast: true},
		{name: "null and odd values", status: 200, body: `{"response":{"header":{"resultCode":"00","resultMsg":"NORMAL_SERVICE"},"body":{"items":{"item":[
			{"category":"POP","fcstDate":"20261126","fcstTime":"0900","fcstValue":null},
			{"category":"POP","fcstDate":"20261126","fcstTime":"1000","fcstValue":"-"},
			{"category":"POP","fcstDate":"20261126","fcstTime":"1100","fcstValue":"-999"},
			{"category":"POP","fcstDate":"20261126","fcstTime":"1200","fcstValue":40}]}}}}`, want: 40},
		{name: "only nulls", status: 200, body: `{"response":{"header":{"resultCode":"00","resultMsg":"NORMAL_SERVICE"},"body":{"items":{"item":[
			{"category":"POP","fcstDate":"20261126","fcstTime":"0900","fcstValue":null}]}}}}`, noForcast: true},
		{name: "empty items", status: 200, body: `{"response":{"header":{"resultCode":"00","resultMsg":"NORMAL_SERVICE"},"body":{"items":{"item":[]}}}}`, noForcast: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := kmaServer(t, tt.status, tt.body, nil)
			k := &KMA{Key: "k", BaseURL: s.URL, Client: s.Client(), Now: func() time.Time { return now }}
			got, err := k.RainChance(context.Background(), seoul, today, kst)
			if tt.says == "" && !tt.noForcast {
				if err != nil || got != tt.want {
					t.Fatalf("%d, %v; want %d", got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error (got %d)", got)
			}
			if errors.Is(err, crm.ErrNoForecast) != tt.noForcast {
				t.Errorf("ErrNoForecast = %v, want %v: %v", !tt.noForcast, tt.noForcast, err)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q does not say %q", err, tt.says)
			}
		})
	}
	// Nobody answers.
	s := kmaServer(t, 200, kmaOK, nil)
	s.Close()
	k := &KMA{Key: "k", BaseURL: s.URL, Client: s.Client(), Now: func() time.Time { return now }}
	if _, err := k.RainChance(context.Background(), seoul, today, kst); err == nil {
		t.Error("a closed server answered")
	}
}

// openMeteoOK is a /v1/forecast answer in the documented shape.
const openMeteoOK = `{"latitude":37.55,"longitude":126.98,"generationtime_ms":0.04,"utc_offset_seconds":32400,
"timezone":"Asia/Seoul","timezone_abbreviation":"KST","elevation":38.0,
"daily_units":{"time":"iso8601","precipitation_probability_max":"%"},
"daily":{"time":["2026-11-26"],"precipitation_probability_max":[65]}}`

func TestOpenMeteo(t *testing.T) {
	seoulTZ, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Fatal(err)
	}
	today := crm.NewDate(2026, 11, 26)
	var req http.Request
	s := kmaServer(t, 200, openMeteoOK, &req)
	o := &OpenMeteo{BaseURL: s.URL, Client: s.Client()}
	got, err := o.RainChance(context.Background(), seoul, today, seoulTZ)
	if err != nil || got != 65 {
		t.Fatalf("%d, %v; want 65", got, err)
	}
	q := req.URL.Query()
	for k, want := range map[string]string{"latitude": "37.5665", "longitude": "126.9780", "daily": "precipitation_probability_max",
		"timezone": "Asia/Seoul", "start_date": "2026-11-26", "end_date": "2026-11-26"} {
		if q.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, q.Get(k), want)
		}
	}
	if req.URL.Path != "/v1/forecast" || q.Has("apikey") {
		t.Errorf("request %s", req.URL)
	}
	o.Key = "paid"
	if _, err := o.RainChance(context.Background(), seoul, today, seoulTZ); err != nil || req.URL.Query().Get("apikey") != "paid" {
		t.Errorf("with a key: %v, %s", err, req.URL)
	}
	if (&OpenMeteo{Key: "paid"}).baseURL() != DefaultOpenMeteoCustomerURL || (&OpenMeteo{}).baseURL() != DefaultOpenMeteoURL {
		t.Error("endpoints")
	}
	for _, tt := range []struct {
		name      string
		status    int
		body      string
		noForcast bool
		says      string
	}{
		{"bad request", 400, `{"error":true,"reason":"Cannot initialize WeatherVariable from invalid String value precipitation_probability_maxx for key daily"}`, false, "Cannot initialize"},
		{"null value", 200, `{"daily_units":{"time":"iso8601","precipitation_probability_max":"%"},"daily":{"time":["2026-11-26"],"precipitation_probability_max":[null]}}`, true, ""},
		{"no daily", 200, `{"latitude":37.55}`, true, ""},
		{"short array", 200, `{"daily":{"time":["2026-11-26"],"precipitation_probability_max":[]}}`, true, ""},
		{"another day", 200, `{"daily":{"time":["2026-11-27"],"precipitation_probability_max":[10]}}`, true, ""},
		{"out of range", 200, `{"daily":{"time":["2026-11-26"],"precipitation_probability_max":[130]}}`, false, "130"},
		{"server error", 503, `upstream down`, false, "http 503"},
		{"not JSON", 200, `<html>`, false, "unreadable"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := kmaServer(t, tt.status, tt.body, nil)
			o := &OpenMeteo{BaseURL: s.URL, Client: s.Client()}
			got, err := o.RainChance(context.Background(), seoul, today, seoulTZ)
			if err == nil {
				t.Fatalf("no error (got %d)", got)
			}
			if errors.Is(err, crm.ErrNoForecast) != tt.noForcast {
				t.Errorf("ErrNoForecast = %v, want %v: %v", !tt.noForcast, tt.noForcast, err)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q does not say %q", err, tt.says)
			}
		})
	}
}

func TestNew(t *testing.T) {
	if p, err := New(Config{}); p != nil || err != nil {
		t.Errorf("none: %v %v", p, err)
	}
	if _, err := New(Config{Provider: "kma"}); err == nil {
		t.Error("kma without a key")
	}
	if p, err := New(Config{Provider: "kma", Key: "k"}); err != nil || p.Name() != "KMA" {
		t.Errorf("kma: %v %v", p, err)
	}
	if p, err := New(Config{Provider: "open-meteo"}); err != nil || p.Name() != "Open-Meteo" {
		t.Errorf("open-meteo: %v %v", p, err)
	}
	if _, err := New(Config{Provider: "sunny"}); err == nil {
		t.Error("an unknown provider")
	}
}
