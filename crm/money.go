package crm

import (
	"strings"
)

// currencies lists the ISO 4217 codes Dangol accepts, each with its number
// of minor-unit digits where it is not 2.
var currencies = func() map[string]int {
	m := map[string]int{}
	for _, c := range strings.Fields(`AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND
		BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR
		FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS
		KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN
		MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG
		SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS
		VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL`) {
		m[c] = 2
	}
	for _, c := range strings.Fields(`BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF`) {
		m[c] = 0
	}
	for _, c := range strings.Fields(`BHD IQD JOD KWD LYD OMR TND`) {
		m[c] = 3
	}
	return m
}()

// NormalCurrency returns code as an upper-case ISO 4217 code Dangol knows,
// and whether it is one.
func NormalCurrency(code string) (string, bool) {
	c := strings.ToUpper(strings.TrimSpace(code))
	_, ok := currencies[c]
	return c, ok
}

// CurrencyDigits returns how many digits of an amount in code are minor
// units: 0 for KRW and JPY, 2 for GBP and most others, 3 for KWD.
func CurrencyDigits(code string) int {
	if d, ok := currencies[strings.ToUpper(code)]; ok {
		return d
	}
	return 2
}

// zoneCurrencies are the currencies of common shop time zones.
var zoneCurrencies = map[string]string{
	"Asia/Seoul": "KRW", "Asia/Tokyo": "JPY", "Asia/Shanghai": "CNY", "Asia/Hong_Kong": "HKD",
	"Asia/Taipei": "TWD", "Asia/Singapore": "SGD", "Asia/Bangkok": "THB", "Asia/Ho_Chi_Minh": "VND",
	"Asia/Saigon": "VND", "Asia/Manila": "PHP", "Asia/Jakarta": "IDR", "Asia/Kuala_Lumpur": "MYR",
	"Asia/Kolkata": "INR", "Asia/Calcutta": "INR", "Asia/Dubai": "AED", "Asia/Jerusalem": "ILS",
	"Asia/Ulaanbaatar": "MNT", "Asia/Almaty": "KZT", "Asia/Tashkent": "UZS",
	"Europe/London": "GBP", "Europe/Belfast": "GBP", "Europe/Guernsey": "GBP", "Europe/Jersey": "GBP",
	"Europe/Isle_of_Man": "GBP", "Europe/Zurich": "CHF", "Europe/Stockholm": "SEK", "Europe/Oslo": "NOK",
	"Europe/Copenhagen": "DKK", "Europe/Warsaw": "PLN", "Europe/Prague": "CZK", "Europe/Budapest": "HUF",
	"Europe/Bucharest": "RON", "Europe/Sofia": "BGN", "Europe/Istanbul": "TRY", "Europe/Moscow": "RUB",
	"Europe/Kiev": "UAH", "Europe/Kyiv": "UAH", "Atlantic/Reykjavik": "ISK", "Europe/Belgrade": "RSD",
	"America/Toronto": "CAD", "America/Vancouver": "CAD", "America/Montreal": "CAD", "America/Edmonton": "CAD",
	"America/Winnipeg": "CAD", "America/Halifax": "CAD", "America/St_Johns": "CAD", "America/Regina": "CAD",
	"America/Mexico_City": "MXN", "America/Sao_Paulo": "BRL", "America/Argentina/Buenos_Aires": "ARS",
	"America/Buenos_Aires": "ARS", "America/Santiago": "CLP", "America/Bogota": "COP", "America/Lima": "PEN",
	"Pacific/Auckland": "NZD", "Africa/Johannesburg": "ZAR", "Africa/Lagos": "NGN", "Africa/Nairobi": "KES",
	"Africa/Cairo": "EGP",
}

// ShopCurrency is the sensible currency of a shop that never set one: the
// currency of its time zone when Dangol knows it (KRW for Asia/Seoul, GBP
// for Europe/London, EUR in the euro area, USD elsewhere in the United
// States …), else KRW for a Korean-speaking shop and USD otherwise.
func ShopCurrency(lang, timeZone string) string {
	if c, ok := zoneCurrencies[timeZone]; ok {
		return c
	}
	region, city, _ := strings.Cut(timeZone, "/")
	switch region {
	case "Europe":
		return "EUR" // the euro area is most of the zones not listed above
	case "Australia":
		return "AUD"
	case "America", "US":
		if city != "" {
			return "USD"
		}
	}
	if lang == LangKorean {
		return "KRW"
	}
	return "USD"
}
