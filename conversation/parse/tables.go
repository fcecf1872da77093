package parse

import "time"

// This file holds the rule tables. They are pure data: map and slice
// literals, looked up by the passes in the other files.

// Filler flags: what a verb or filler word tells besides being dropped.
const (
	fPlain uint8 = 1 << iota // just dropped
	fVisit                   // the customer came in (past tense: a visit)
	fHabit                   // present tense: a habit, not a visit
	fConj                    // "and": separates list entries
)

// enFillers are English words that are never items.
var enFillers = map[string]uint8{
	"bought": fVisit, "ordered": fVisit, "came": fVisit, "visited": fVisit, "purchased": fVisit,
	"grabbed": fVisit, "picked": fVisit, "stopped": fVisit, "dropped": fVisit, "popped": fVisit,
	"took": fVisit, "paid": fVisit, "swung": fVisit,
	"got": fPlain, "had": fPlain, "has": fPlain, "tried": fPlain,
	"buys": fHabit, "gets": fHabit, "orders": fHabit, "comes": fHabit, "visits": fHabit,
	"takes": fHabit, "grabs": fHabit, "drinks": fHabit, "eats": fHabit, "buy": fHabit, "get": fHabit,
	"order": fHabit, "come": fHabit, "visit": fHabit, "drops": fHabit, "stops": fHabit, "pops": fHabit,
	"also": fPlain, "then": fPlain, "just": fPlain, "again": fPlain, "too": fPlain, "customer": fPlain,
	"client": fPlain, "guest": fPlain, "ok": fPlain, "okay": fPlain, "note": fPlain, "fyi": fPlain,
	"btw": fPlain, "pls": fPlain, "please": fPlain, "lol": fPlain, "haha": fPlain, "hehe": fPlain,
	"each": fPlain, "apiece": fPlain, "together": fPlain, "both": fPlain, "actually": fPlain,
	"um": fPlain, "uh": fPlain, "oh": fPlain, "today's": fPlain, "total": fPlain, "regular": fPlain,
	"and": fConj, "n": fConj, "plus": fConj, "or": fConj, "&": fConj,
}

// enVisitParticles follow a visit verb: "came in", "stopped by", "picked up".
var enVisitParticles = map[string]bool{"in": true, "by": true, "up": true, "over": true, "around": true, "through": true}

// koFillers are Korean words that are never items.
var koFillers = map[string]uint8{
	"샀어요": fVisit, "샀음": fVisit, "샀다": fVisit, "샀고": fVisit, "샀습니다": fVisit, "사감": fVisit,
	"사갔어요": fVisit, "사갔음": fVisit, "사가심": fVisit, "사가셨어요": fVisit, "사가셨음": fVisit,
	"사갔다": fVisit, "사갔습니다": fVisit, "구매": fVisit, "구입": fVisit, "방문": fVisit, "주문": fVisit,
	"결제": fVisit, "왔어요": fVisit, "왔음": fVisit, "왔다": fVisit, "왔고": fVisit, "왔습니다": fVisit,
	"오셨어요": fVisit, "오셨음": fVisit, "오셨습니다": fVisit, "옴": fVisit, "다녀감": fVisit,
	"다녀갔어요": fVisit, "다녀갔음": fVisit, "다녀가심": fVisit, "다녀가셨어요": fVisit, "시킴": fVisit,
	"시켰어요": fVisit, "시켰음": fVisit, "시키심": fVisit, "드심": fVisit, "드셨어요": fVisit,
	"드셨음": fVisit, "데려옴": fVisit, "데려왔어요": fVisit, "데리고옴": fVisit, "데려오심": fVisit, "먹음": fVisit, "먹었어요": fVisit, "먹었음": fVisit, "마심": fVisit,
	"마셨어요": fVisit, "마셨음": fVisit, "가져감": fVisit, "가져가심": fVisit, "가져갔어요": fVisit,
	"사가요": fHabit, "사요": fHabit, "와요": fHabit, "오세요": fHabit, "오심": fHabit, "와": fHabit,
	"오십니다": fHabit, "온다": fHabit, "와서": fVisit, "오셔서": fVisit, "드시고": fPlain,
	"가셨어요": fPlain, "가셨음": fPlain, "가심": fPlain, "가셨습니다": fPlain, "갔어요": fPlain,
	"갔음": fPlain, "들렀어요": fVisit, "들렀음": fVisit, "들르심": fVisit, "들름": fVisit,
	"있음": fPlain, "있어요": fPlain, "있다": fPlain, "있습니다": fPlain, "있으심": fPlain, "있대요": fPlain,
	"고객님": fPlain, "손님": fPlain, "님": fPlain, "고객": fPlain, "씨": fPlain, "또": fPlain,
	"추가": fPlain, "단골": fPlain, "메모": fPlain, "기록": fPlain, "참고": fPlain, "총": fPlain,
	"그리고": fConj, "및": fConj, "하고": fConj, "랑": fConj, "이랑": fConj, "와랑": fConj, "또는": fConj,
	"아니면": fConj, "&": fConj, "아": fPlain, "앗": fPlain, "같이": fPlain, "함께": fPlain, "각각": fPlain, "각자": fPlain, "둘다": fPlain,
	"둘이": fPlain, "셋이": fPlain, "둘이서": fPlain, "셋이서": fPlain, "네": fPlain, "넵": fPlain, "응": fPlain, "예": fPlain, "ㅇㅇ": fPlain,
}

// koVerbStems combine with koPastEnds / koPresentEnds: 방문했어요, 주문함, 구매하심.
var koVerbStems = []string{"방문", "구매", "구입", "주문", "결제", "픽업"}

var koPastEnds = map[string]bool{
	"함": true, "했어요": true, "했음": true, "했다": true, "했고": true, "했습니다": true, "하심": true,
	"하셨어요": true, "하셨음": true, "하셨습니다": true, "했어": true, "완료": true,
}

var koPresentEnds = map[string]bool{"해요": true, "하세요": true, "하십니다": true, "한다": true, "합니다": true, "해": true}

// enMarkers are words that make a phrase a sentence (free text), not an
// item list.
var enMarkers = map[string]bool{
	"the": true, "to": true, "from": true, "at": true, "in": true, "on": true, "for": true,
	"is": true, "are": true, "was": true, "were": true, "be": true, "been": true, "being": true,
	"will": true, "would": true, "can": true, "could": true, "should": true, "shall": true, "must": true,
	"have": true, "having": true, "she": true, "he": true, "they": true, "her": true, "his": true,
	"their": true, "them": true, "him": true, "it": true, "its": true, "this": true, "that": true,
	"these": true, "those": true, "there": true, "here": true, "next": true, "week": true, "month": true,
	"year": true, "not": true, "no": true, "very": true, "really": true, "so": true, "about": true,
	"said": true, "says": true, "told": true, "asked": true, "wants": true, "wanted": true, "needs": true,
	"going": true, "gonna": true, "might": true, "because": true, "but": true, "if": true, "when": true,
	"after": true, "before": true, "my": true, "our": true, "me": true, "we": true, "i": true,
	"you": true, "your": true, "new": true, "into": true, "out": true, "down": true, "off": true,
	"over": true, "away": true, "back": true, "soon": true, "later": true, "maybe": true, "thinks": true,
	"looks": true, "seems": true, "feels": true, "tomorrow": true, "moving": true, "moved": true,
	"who": true, "what": true, "why": true, "how": true, "where": true, "which": true, "did": true,
	"does": true, "do": true, "am": true, "by": true, "up": true, "as": true, "than": true,
	"since": true, "until": true, "via": true, "per": true, "just": true, "still": true, "yet": true,
	"got": true, "had": true, "get": true, "lost": true, "won": true, "left": true, "made": true,
	"went": true, "gave": true, "sent": true, "brought": true, "forgot": true, "kept": true, "met": true,
	"saw": true, "felt": true, "thought": true, "found": true, "paid": true, "like": true,
	"likes": true, "love": true, "loves": true, "hate": true, "hates": true, "doesn't": true,
	"isn't": true, "wasn't": true, "can't": true, "won't": true, "didn't": true, "free": true,
	"owes": true, "owe": true, "owed": true,
	"weekend": true, "weekends": true, "weekday": true, "weekdays": true, "everyday": true,
	"daily": true, "usual": true, "sometimes": true, "every": true, "each": true, "usually": true, "always": true, "often": true, "never": true,
}

// enStray are function words that say nothing when left alone in a note.
var enStray = map[string]bool{
	"is": true, "are": true, "was": true, "were": true, "the": true, "to": true, "a": true, "an": true,
	"it": true, "this": true, "that": true, "of": true, "in": true, "on": true, "at": true, "for": true,
	"be": true, "been": true, "so": true, "very": true, "just": true, "by": true, "as": true, "i": true,
	"she": true, "he": true, "they": true, "we": true, "did": true, "does": true, "do": true,
}

// enEdOK are food adjectives ending in -ed that are not verbs.
var enEdOK = map[string]bool{
	"iced": true, "baked": true, "salted": true, "unsalted": true, "smoked": true, "toasted": true,
	"roasted": true, "sliced": true, "glazed": true, "stuffed": true, "filled": true, "mixed": true,
	"whipped": true, "frosted": true, "candied": true, "dried": true, "aged": true, "cured": true,
	"seeded": true, "steamed": true, "blended": true, "brewed": true, "flavored": true,
	"flavoured": true, "spiced": true, "caramelized": true, "caramelised": true, "sweetened": true,
	"unsweetened": true, "decaffeinated": true, "shredded": true, "grilled": true, "fried": true,
	"boiled": true, "poached": true, "scrambled": true, "pickled": true, "minced": true, "diced": true,
	"chopped": true, "buttered": true, "sugared": true, "creamed": true, "layered": true,
	"twisted": true, "braided": true, "infused": true, "colored": true, "coloured": true,
	"highlighted": true, "permed": true, "dyed": true, "waxed": true, "layered-cut": true,
	"cold-brewed": true, "sprouted": true, "frozen": true, "assorted": true, "gluten-free": true,
}

// enIngOK are nouns ending in -ing.
var enIngOK = map[string]bool{
	"pudding": true, "icing": true, "frosting": true, "topping": true, "toppings": true, "filling": true,
	"stuffing": true, "dumpling": true, "dumplings": true, "wedding": true, "dressing": true,
	"seasoning": true, "spring": true, "string": true, "morning": true, "evening": true,
	"something": true, "nothing": true, "anything": true, "everything": true, "darjeeling": true,
	"puddings": true, "styling": true, "coloring": true, "colouring": true, "highlighting": true,
	"trimming": true, "waxing": true, "threading": true, "shampooing": true, "blowdrying": true,
	"bleaching": true, "perming": true, "serving": true, "servings": true, "filling's": true,
	"shortbread": true, "sterling": true, "riesling": true, "ginseng": true,
	"ceiling": true, "wing": true, "wings": true, "ring": true, "rings": true, "king": true,
}

// enLyOK are nouns ending in -ly.
var enLyOK = map[string]bool{"jelly": true, "family": true, "belly": true, "lily": true, "chilly": true, "bully": true, "italy": true, "rally": true, "tally": true}

// koMarkers are Korean words that make a phrase free text.
var koMarkers = map[string]bool{
	"다음": true, "다음주": true, "다음달": true, "이번": true, "이번주": true, "이번달": true,
	"요즘": true, "최근": true, "곧": true, "예정": true, "이사": true, "결혼": true, "임신": true,
	"출산": true, "이직": true, "취직": true, "입학": true, "졸업": true, "퇴사": true, "여행": true,
	"출장": true, "그냥": true, "아주": true, "매우": true, "너무": true, "정말": true, "진짜": true,
	"좀": true, "많이": true, "조금": true, "내일": true, "모레": true, "그래서": true, "근데": true,
	"하지만": true, "그런데": true, "때문에": true, "같음": true, "같아요": true, "듯": true,
	"주": true, "달": true, "년": true, "전": true, "후": true, "때": true, "중": true, "안": true,
	"못": true, "잘": true, "다시": true, "처음": true, "새로": true, "생김": true,
	"얘기": true, "말씀": true, "이야기": true, "예약": true, "문의": true, "요청": true, "부탁": true,
	"한번": true, "두번": true, "오랜만": true, "오랜만에": true, "요새": true, "지난": true,
	"지난주": true, "지난달": true, "저번": true, "저번주": true, "작년": true, "올해": true,
	"내년": true, "그": true, "이": true, "저": true, "수": true, "드림": true, "빼고": true,
	"매주": true, "매번": true, "보통": true, "주로": true, "항상": true, "늘": true, "자주": true,
	"대개": true, "거의": true, "평소": true, "평소에": true,
	"주말": true, "주말마다": true, "평일": true, "평일마다": true, "매일": true, "가끔": true,
}

// koMarkerOK are nouns that the suffix rules would take for verbs.
var koMarkerOK = map[string]bool{
	"소다": true, "크림소다": true, "레몬소다": true, "판다": true, "바다": true, "얼음": true,
	"아이스크림": true, "크림": true, "생크림": true, "휘핑크림": true, "잼": true, "햄": true,
	"김": true, "밤": true, "보쌈": true, "쌈": true, "점심": true, "아침": true, "마다": true,
	"요구르트": true, "야쿠르트": true, "딸기잼": true, "사과잼": true, "땅콩잼": true, "슈크림": true,
	"크림치즈": true, "바닐라크림": true, "커스터드크림": true, "치즈크림": true,
}

// koMarkerLast are last syllables of nouns that end in ㅁ.
var koMarkerLast = map[rune]bool{'림': true, '잼': true, '햄': true, '김': true, '밤': true, '쌈': true, '챔': true, '캠': true, '점': true, '품': true, '솜': true, '컴': true, '엄': true, '름': true, '봄': true}

// enNumbers are English number words.
var enNumbers = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
	"fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
	"thirty": 30, "dozen": 12, "single": 1, "couple": 2, "pair": 2,
}

// enQtyUnits may follow a number: "2 pcs".
var enQtyUnits = map[string]bool{"pcs": true, "pc": true, "ea": true, "x": true, "×": true}

// enDeterminers are dropped from the front of item and fact names.
var enDeterminers = map[string]bool{
	"the": true, "some": true, "few": true, "several": true, "more": true, "extra": true,
	"another": true, "any": true, "all": true, "most": true, "a": true, "an": true, "her": true,
	"his": true, "their": true, "our": true, "my": true, "your": true,
}

// Korean numerals. pre marks a prenoun form that needs a counter (한 잔).
type koNum struct {
	s   string
	v   int
	pre bool
}

var koNativeUnits = []koNum{
	{"하나", 1, false}, {"한", 1, true}, {"둘", 2, false}, {"두", 2, true}, {"셋", 3, false},
	{"세", 3, true}, {"석", 3, true}, {"넷", 4, false}, {"네", 4, true}, {"넉", 4, true},
	{"다섯", 5, false}, {"여섯", 6, false}, {"일곱", 7, false}, {"여덟", 8, false}, {"아홉", 9, false},
}

var koNativeTens = []koNum{
	{"열", 10, false}, {"스물", 20, false}, {"스무", 20, true}, {"서른", 30, false}, {"마흔", 40, false}, {"쉰", 50, false},
}

var koSinoDigits = map[rune]int{'일': 1, '이': 2, '삼': 3, '사': 4, '오': 5, '육': 6, '칠': 7, '팔': 8, '구': 9}

// koCounters follow numbers; longest first so 봉지 wins over 봉.
var koCounters = []string{
	"봉지", "조각", "박스", "상자", "인분", "세트", "덩이", "덩어리", "포기", "마리", "묶음", "송이", "스쿱",
	"그릇", "접시", "피스", "개입", "번째", "개", "잔", "병", "판", "팩", "컵", "장", "권", "통", "줄", "번",
	"명", "캔", "알", "봉", "롤", "쪽", "샷", "벌", "분", "회",
}

// koSinoCounters are the counters a Sino-Korean numeral may take. The
// others make ordinary words (이번, 사장, 칠판).
var koSinoCounters = map[string]bool{
	"개": true, "잔": true, "병": true, "봉지": true, "조각": true, "박스": true, "상자": true, "팩": true,
	"컵": true, "인분": true, "세트": true, "덩이": true, "마리": true, "캔": true,
}

// koQtyTails may follow a counter: 2개랑, 세 잔이요.
var koQtyTails = map[string]bool{
	"": true, "이랑": true, "랑": true, "하고": true, "와": true, "과": true, "을": true, "를": true,
	"이": true, "가": true, "은": true, "는": true, "도": true, "씩": true, "요": true, "만": true,
	"정도": true, "쯤": true, "이요": true, "짜리": true, "씩이요": true, "에": true, "나": true, "이나": true,
}

// koLinkTails join list entries: 라떼 2잔이랑 크루아상.
var koLinkTails = map[string]bool{"이랑": true, "랑": true, "하고": true, "와": true, "과": true}

// Weekdays.
type wdInfo struct {
	wd     time.Weekday
	plural bool
	abbr   bool
}

var enWeekdays = map[string]wdInfo{
	"monday": {time.Monday, false, false}, "mondays": {time.Monday, true, false}, "mon": {time.Monday, false, true},
	"tuesday": {time.Tuesday, false, false}, "tuesdays": {time.Tuesday, true, false}, "tue": {time.Tuesday, false, true}, "tues": {time.Tuesday, false, true},
	"wednesday": {time.Wednesday, false, false}, "wednesdays": {time.Wednesday, true, false}, "wed": {time.Wednesday, false, true}, "weds": {time.Wednesday, false, true},
	"thursday": {time.Thursday, false, false}, "thursdays": {time.Thursday, true, false}, "thu": {time.Thursday, false, true}, "thur": {time.Thursday, false, true}, "thurs": {time.Thursday, false, true},
	"friday": {time.Friday, false, false}, "fridays": {time.Friday, true, false}, "fri": {time.Friday, false, true},
	"saturday": {time.Saturday, false, false}, "saturdays": {time.Saturday, true, false}, "sat": {time.Saturday, false, true},
	"sunday": {time.Sunday, false, false}, "sundays": {time.Sunday, true, false}, "sun": {time.Sunday, false, true},
}

var koWeekdayRunes = map[rune]time.Weekday{
	'월': time.Monday, '화': time.Tuesday, '수': time.Wednesday, '목': time.Thursday,
	'금': time.Friday, '토': time.Saturday, '일': time.Sunday,
}

// koWeekdayTails may follow 목요일: 목요일에, 목요일날, 목요일마다.
var koWeekdayTails = map[string]bool{
	"": true, "에": true, "엔": true, "에는": true, "은": true, "는": true, "날": true, "날에": true,
	"마다": true, "에도": true, "도": true, "에만": true, "만": true, "이었음": true, "이었어요": true,
	"이에요": true, "쯤": true, "쯤에": true, "날엔": true,
}

var enMonths = map[string]time.Month{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
	"may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
	"sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

// Habit words turn a weekday into the usual visiting day.
var enHabit = map[string]bool{
	"every": true, "each": true, "usually": true, "normally": true, "always": true, "often": true,
	"typically": true, "regularly": true, "generally": true, "mostly": true, "weekly": true,
}

// enHabitGap may stand between a habit word and the weekday: "usually comes on".
var enHabitGap = map[string]bool{
	"on": true, "comes": true, "come": true, "visits": true, "in": true, "by": true, "drops": true,
	"stops": true, "shows": true, "up": true, "week": true, "pops": true,
}

// enHabitVerb in the present tense make a weekday a habit: "comes on Thursday".
var enHabitVerb = map[string]bool{"comes": true, "visits": true, "drops": true, "stops": true, "shows": true, "pops": true}

var koHabitBefore = map[string]bool{
	"매주": true, "보통": true, "주로": true, "항상": true, "늘": true, "자주": true, "매번": true,
	"대개": true, "거의": true, "대체로": true, "평소": true, "평소에": true, "요즘은": true,
}

var koHabitAfter = map[string]bool{
	"와요": true, "오세요": true, "오심": true, "방문해요": true, "방문하세요": true, "자주": true,
	"주로": true, "오는": true, "오시는": true, "옵니다": true, "오십니다": true, "온다": true,
	"와": true, "오는편": true, "방문하심": true, "들러요": true, "들르심": true,
}

// Future words: a note about a plan is no visit.
var enFuture = map[string]bool{
	"tomorrow": true, "next": true, "will": true, "gonna": true, "plans": true, "planning": true,
	"reserved": true, "reservation": true, "booked": true, "pre-order": true, "preorder": true,
	"pre-ordered": true, "preordered": true, "reserve": true,
}

var koFuture = map[string]bool{
	"내일": true, "모레": true, "다음주": true, "다음": true, "담주": true, "예정": true, "예약": true,
	"예약함": true, "예약했어요": true, "예약했음": true, "주문예약": true, "내일모레": true,
	"다음달": true, "예약하심": true,
}

// Relative days.
var enRelDays = map[string]int{
	"today": 0, "tonight": 0, "tonite": 0, "yesterday": -1, "yday": -1, "yest": -1, "yesterday's": -1,
}

var koRelCount = map[string]int{"이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5, "일주일": 7, "하루": 1}

var koLastWeek = map[string]bool{"지난주": true, "저번주": true, "지난": true, "저번": true, "전주": true}
var koThisWeek = map[string]bool{"이번주": true, "이번": true, "금주": true}

// Context words.
var enContext = map[string]string{
	"takeout": "takeout", "take-out": "takeout", "takeaway": "takeout", "take-away": "takeout",
	"togo": "takeout", "to-go": "takeout", "dine-in": "dine-in", "dinein": "dine-in", "eat-in": "dine-in",
	"delivery": "delivery", "pickup": "pickup", "pick-up": "pickup", "drive-thru": "drive-thru",
	"drive-through": "drive-thru",
}

var enContext2 = map[[2]string]string{
	{"take", "out"}: "takeout", {"take", "away"}: "takeout", {"to", "go"}: "takeout",
	{"dine", "in"}: "dine-in", {"dined", "in"}: "dine-in", {"eat", "in"}: "dine-in",
	{"ate", "in"}: "dine-in", {"for", "here"}: "dine-in", {"drive", "thru"}: "drive-thru",
}

// enToGoNext may follow "to go" when it means takeout: "latte to go at 7am".
var enToGoNext = map[string]bool{
	"at": true, "in": true, "around": true, "this": true, "and": true, "with": true, "please": true,
	"today": true, "yesterday": true, "tonight": true, "also": true, "plus": true,
	"again": true, "as": true, "on": true, "last": true,
}

var enTimes = map[string]string{
	"morning": "morning", "mornings": "morning", "afternoon": "afternoon", "afternoons": "afternoon",
	"evening": "evening", "evenings": "evening", "night": "night", "lunch": "lunch",
	"lunchtime": "lunch", "breakfast": "breakfast", "brunch": "brunch", "noon": "noon",
	"midday": "noon", "dinner": "dinner", "dinnertime": "dinner", "closing": "closing",
	"opening": "opening",
}

// enTimeLead may precede a time of day: "in the morning", "at 7am".
var enTimeLead = map[string]bool{"in": true, "the": true, "at": true, "around": true, "about": true, "early": true, "late": true, "for": true, "this": true, "by": true, "after": true, "before": true}

var enRelations = map[string]bool{
	"kid": true, "kids": true, "child": true, "children": true, "son": true, "sons": true,
	"daughter": true, "daughters": true, "husband": true, "wife": true, "partner": true,
	"friend": true, "friends": true, "family": true, "mom": true, "mum": true, "mother": true,
	"dad": true, "father": true, "parents": true, "baby": true, "babies": true, "boyfriend": true,
	"girlfriend": true, "colleague": true, "colleagues": true, "coworker": true, "coworkers": true,
	"co-worker": true, "co-workers": true, "sister": true, "brother": true, "sisters": true,
	"brothers": true, "grandma": true, "grandmother": true, "grandpa": true, "grandfather": true,
	"grandkids": true, "grandchildren": true, "grandson": true, "granddaughter": true, "dog": true,
	"dogs": true, "puppy": true, "toddler": true, "toddlers": true, "twins": true, "team": true,
	"fiance": true, "fiancé": true, "fiancee": true, "niece": true, "nephew": true, "classmates": true,
	"mother-in-law": true, "boss": true, "students": true, "student": true, "aunt": true, "uncle": true,
}

var enRelationDet = map[string]bool{
	"her": true, "his": true, "their": true, "a": true, "an": true, "the": true, "my": true,
	"some": true, "two": true, "three": true, "four": true, "both": true, "2": true, "3": true, "4": true,
	"little": true, "new": true, "young": true, "older": true, "younger": true,
}

var koContext = map[string]string{
	"포장": "포장", "포장함": "포장", "포장해감": "포장", "포장해갔어요": "포장", "포장해가심": "포장",
	"포장해서": "포장", "포장했어요": "포장", "포장주문": "포장", "택배": "택배", "퀵": "퀵", "테이크아웃": "테이크아웃",
	"테이크아웃함": "테이크아웃", "투고": "테이크아웃", "매장": "매장", "매장식사": "매장식사",
	"매장이용": "매장", "홀": "매장", "먹고감": "먹고감", "먹고갔어요": "먹고감", "드시고감": "먹고감",
	"드시고가심": "먹고감", "배달": "배달", "픽업": "픽업", "드라이브스루": "드라이브스루",
}

var koContext2 = map[[2]string]string{
	{"매장", "식사"}: "매장 식사", {"먹고", "감"}: "먹고 감", {"먹고", "갔어요"}: "먹고 감",
	{"드시고", "감"}: "먹고 감", {"포장", "해감"}: "포장", {"포장", "해갔어요"}: "포장",
}

var koTimes = map[string]bool{
	"아침": true, "점심": true, "저녁": true, "오전": true, "오후": true, "밤": true, "새벽": true,
	"낮": true, "점심때": true, "저녁때": true, "아침때": true, "점심시간": true, "출근길": true,
	"퇴근길": true, "오전중": true, "밤늦게": true, "아침일찍": true, "마감": true, "마감전": true,
	"오픈": true, "개점": true,
}

var koRelations = map[string]bool{
	"아이": true, "애": true, "애기": true, "아기": true, "아이들": true, "애들": true, "아들": true,
	"딸": true, "친구": true, "친구들": true, "가족": true, "남편": true, "아내": true, "와이프": true,
	"부인": true, "엄마": true, "아빠": true, "어머니": true, "아버지": true, "어머님": true,
	"아버님": true, "부모님": true, "남자친구": true, "여자친구": true, "남친": true, "여친": true,
	"동료": true, "동료들": true, "직장동료": true, "언니": true, "오빠": true, "형": true, "누나": true,
	"동생": true, "할머니": true, "할아버지": true, "손주": true, "손녀": true, "손자": true,
	"강아지": true, "애인": true, "신랑": true, "조카": true, "일행": true, "지인": true, "딸내미": true,
	"아드님": true, "따님": true, "남매": true, "자매": true, "형제": true, "쌍둥이": true, "가족들": true,
}

var koWith = map[string]bool{"같이": true, "함께": true, "동반": true, "동행": true, "데리고": true}

// Greetings, thanks, help and digest words for whole-message intents.
var greetCore = map[string]bool{
	"hi": true, "hello": true, "hey": true, "hiya": true, "howdy": true, "yo": true, "heya": true,
	"hallo": true, "helo": true, "hii": true, "sup": true, "안녕": true, "안녕하세요": true,
	"안녕하십니까": true, "하이": true, "헬로": true, "반가워요": true, "반갑습니다": true, "반가워": true,
	"안뇽": true, "하이요": true, "방가": true, "방가방가": true, "ㅎㅇ": true, "안녕하세여": true,
	"greetings": true,
}

var greetExtra = map[string]bool{
	"there": true, "dangol": true, "all": true, "everyone": true, "bot": true, "good": true,
	"morning": true, "afternoon": true, "evening": true, "day": true, "friend": true, "again": true,
	"단골": true, "사장님": true, "봇": true, "좋은": true, "아침": true, "아침이에요": true,
	"아침입니다": true, "오후입니다": true, "저녁입니다": true, "반가워요": true, "다시": true,
	"y'all": true, "folks": true, "team": true, "!": true,
}

var thanksCore = map[string]bool{
	"thanks": true, "thank": true, "thx": true, "ty": true, "tnx": true, "thanx": true, "thankyou": true,
	"thank-you": true, "cheers": true, "appreciated": true, "appreciate": true, "tysm": true,
	"감사": true, "감사합니다": true, "감사해요": true, "감사해": true, "고마워": true, "고마워요": true,
	"고맙습니다": true, "고맙다": true, "땡큐": true, "ㄳ": true, "ㄱㅅ": true, "감사감사": true,
	"감사드려요": true, "감사드립니다": true, "고마워용": true, "감사요": true, "땡스": true,
}

var thanksExtra = map[string]bool{
	"you": true, "u": true, "so": true, "much": true, "very": true, "a": true, "lot": true,
	"many": true, "ok": true, "okay": true, "great": true, "it": true, "for": true, "that": true,
	"help": true, "the": true, "bot": true, "dangol": true, "again": true, "all": true, "got": true,
	"perfect": true, "nice": true, "awesome": true, "정말": true, "너무": true, "진짜": true, "늘": true,
	"항상": true, "네": true, "넵": true, "오케이": true, "많이": true, "수고하세요": true, "좋아요": true,
	"굿": true, "ㅎㅎ": true, "ㅋㅋ": true, "ㅋㅋㅋ": true, "ㅎㅎㅎ": true,
}

var helpCore = map[string]bool{
	"help": true, "commands": true, "manual": true, "instructions": true, "usage": true, "guide": true,
	"start": true, "menu": true, "도움말": true, "도움": true, "사용법": true, "명령어": true, "헬프": true,
	"도와줘": true, "도와주세요": true, "기능": true, "설명": true, "안내": true, "사용방법": true,
}

var helpKo = map[string]bool{"도움말": true, "사용법": true, "명령어": true, "사용방법": true}

var digestWho = map[string]bool{
	"who": true, "who's": true, "whos": true, "anyone": true, "anybody": true, "누구": true,
	"누가": true, "누구누구": true, "누구야": true, "누구와": true, "누구옴": true, "누구와요": true,
	"누구올까": true, "누구오나": true, "누구예요": true, "누구지": true, "누구에게": true,
	"누구한테": true,
}

var digestToday = map[string]bool{"today": true, "today's": true, "tonight": true, "오늘": true, "오늘은": true, "금일": true}

var digestComing = map[string]bool{
	"coming": true, "come": true, "expected": true, "expect": true, "due": true, "visiting": true,
	"와": true, "와요": true, "올": true, "오나": true, "오는": true, "오니": true, "올까": true,
	"예정": true, "방문예정": true, "오지": true, "와?": true, "옵니까": true, "오세요": true,
	"오실": true, "오는지": true, "올까요": true,
}

var digestGreet = map[string]bool{
	"greet": true, "greeting": true, "인사": true, "인사해": true, "인사할": true, "인사하지": true,
	"챙길": true, "챙겨": true, "인사해야": true, "인사해요": true, "챙겨야": true,
}

var digestPeople = map[string]bool{"손님": true, "손님들": true, "사람": true, "분": true, "분들": true, "고객": true, "customers": true, "people": true, "regulars": true, "anyone": true, "누가": true}

var digestList = map[string]bool{"digest": true, "summary": true, "briefing": true, "명단": true, "목록": true, "리스트": true, "요약": true, "브리핑": true}

var digestOnly = map[string]bool{
	"today": true, "today's": true, "오늘": true, "오늘은": true, "list": true, "digest": true,
	"please": true, "pls": true, "요약": true, "손님": true, "명단": true, "summary": true, "오늘의": true,
}

// Lookup words.
var koLookupTail = map[string]bool{
	"정보": true, "정보좀": true, "정보는": true, "누구": true, "누구야": true, "누구지": true,
	"누구예요": true, "누구에요": true, "누구였지": true, "누구더라": true, "누구였더라": true,
	"누군지": true, "어때": true, "어때요": true, "알려줘": true, "알려주세요": true, "찾아줘": true,
	"검색": true, "조회": true, "보여줘": true, "누구임": true, "누구였죠": true,
}

var enLookupTail = map[string]bool{"info": true, "details": true, "profile": true}

var enLookupLead = [][]string{
	{"what", "do", "we", "know", "about"}, {"tell", "me", "about"}, {"who", "is"}, {"who's"}, {"whos"},
	{"what", "about"}, {"info", "on"}, {"info", "about"}, {"info", "for"}, {"information", "on"},
	{"details", "for"}, {"details", "on"}, {"look", "up"}, {"lookup"}, {"find"}, {"show", "me"},
	{"show"}, {"about"}, {"who", "was"}, {"remind", "me", "about"}, {"profile"},
}

// Fact keywords.
type factKind uint8

const (
	factAllergy factKind = iota + 1
	factLike
	factDislike
)

type factDir uint8

const (
	dirFwd    factDir = iota + 1 // value follows: "allergic to X"
	dirBack                      // value precedes: "X 알레르기"
	dirEither                    // "X allergy" or "allergy: X"
)

type factPat struct {
	words []string
	kind  factKind
	dir   factDir
}

// enFactPats are the English fact keywords, by first word; each list is
// longest first.
var enFactPats = map[string][]factPat{
	"is":          {{[]string{"is", "not", "a", "fan", "of"}, factDislike, dirFwd}, {[]string{"is", "allergic", "to"}, factAllergy, dirFwd}, {[]string{"is", "into"}, factLike, dirFwd}},
	"not":         {{[]string{"not", "a", "fan", "of"}, factDislike, dirFwd}},
	"isn't":       {{[]string{"isn't", "a", "fan", "of"}, factDislike, dirFwd}},
	"can":         {{[]string{"can", "not", "eat"}, factAllergy, dirFwd}},
	"does":        {{[]string{"does", "not", "like"}, factDislike, dirFwd}},
	"big":         {{[]string{"big", "fan", "of"}, factLike, dirFwd}},
	"allergic":    {{[]string{"allergic", "to"}, factAllergy, dirFwd}, {[]string{"allergic"}, factAllergy, dirFwd}},
	"allergy":     {{[]string{"allergy", "to"}, factAllergy, dirFwd}, {[]string{"allergy"}, factAllergy, dirEither}},
	"allergies":   {{[]string{"allergies", "to"}, factAllergy, dirFwd}, {[]string{"allergies"}, factAllergy, dirEither}},
	"intolerant":  {{[]string{"intolerant", "to"}, factAllergy, dirFwd}, {[]string{"intolerant"}, factAllergy, dirBack}},
	"can't":       {{[]string{"can't", "eat"}, factAllergy, dirFwd}, {[]string{"can't", "have"}, factAllergy, dirFwd}},
	"cant":        {{[]string{"cant", "eat"}, factAllergy, dirFwd}},
	"cannot":      {{[]string{"cannot", "eat"}, factAllergy, dirFwd}, {[]string{"cannot", "have"}, factAllergy, dirFwd}},
	"doesn't":     {{[]string{"doesn't", "like"}, factDislike, dirFwd}, {[]string{"doesn't", "eat"}, factDislike, dirFwd}},
	"doesnt":      {{[]string{"doesnt", "like"}, factDislike, dirFwd}},
	"didn't":      {{[]string{"didn't", "like"}, factDislike, dirFwd}},
	"fan":         {{[]string{"fan", "of"}, factLike, dirFwd}},
	"favorite":    {{[]string{"favorite", "is"}, factLike, dirFwd}, {[]string{"favorite"}, factLike, dirFwd}},
	"favourite":   {{[]string{"favourite", "is"}, factLike, dirFwd}, {[]string{"favourite"}, factLike, dirFwd}},
	"usually":     {{[]string{"usually", "gets"}, factLike, dirFwd}, {[]string{"usually", "orders"}, factLike, dirFwd}, {[]string{"usually", "has"}, factLike, dirFwd}},
	"always":      {{[]string{"always", "gets"}, factLike, dirFwd}, {[]string{"always", "orders"}, factLike, dirFwd}, {[]string{"always", "has"}, factLike, dirFwd}},
	"regular":     {{[]string{"regular", "order"}, factLike, dirFwd}},
	"intolerance": {{[]string{"intolerance"}, factAllergy, dirBack}},
	"loves":       {{[]string{"loves"}, factLike, dirFwd}},
	"love":        {{[]string{"love"}, factLike, dirFwd}},
	"likes":       {{[]string{"likes"}, factLike, dirFwd}},
	"prefers":     {{[]string{"prefers"}, factLike, dirFwd}},
	"enjoys":      {{[]string{"enjoys"}, factLike, dirFwd}},
	"adores":      {{[]string{"adores"}, factLike, dirFwd}},
	"fav":         {{[]string{"fav"}, factLike, dirFwd}},
	"fave":        {{[]string{"fave"}, factLike, dirFwd}},
	"hates":       {{[]string{"hates"}, factDislike, dirFwd}},
	"hate":        {{[]string{"hate"}, factDislike, dirFwd}},
	"dislikes":    {{[]string{"dislikes"}, factDislike, dirFwd}},
	"avoids":      {{[]string{"avoids"}, factDislike, dirFwd}},
}

type koFact struct {
	kind factKind
	dir  factDir
}

// koFactKeys are single-token Korean fact keywords (value before them).
var koFactKeys = map[string]koFact{
	"알레르기": {factAllergy, dirEither}, "알러지": {factAllergy, dirEither}, "알레르기있음": {factAllergy, dirBack},
	"알러지있음": {factAllergy, dirBack}, "알레르기있어요": {factAllergy, dirBack}, "알레르기체질": {factAllergy, dirBack},
	"못먹음": {factAllergy, dirBack}, "못먹어요": {factAllergy, dirBack}, "못드심": {factAllergy, dirBack},
	"못드세요": {factAllergy, dirBack}, "못먹어": {factAllergy, dirBack}, "못먹는다": {factAllergy, dirBack},
	"못먹습니다": {factAllergy, dirBack}, "못먹는": {factAllergy, dirBack},
	"좋아함": {factLike, dirBack}, "좋아해요": {factLike, dirBack}, "좋아하심": {factLike, dirBack},
	"좋아하세요": {factLike, dirBack}, "좋아해": {factLike, dirBack}, "좋아한다": {factLike, dirBack},
	"좋아합니다": {factLike, dirBack}, "좋아하는편": {factLike, dirBack}, "선호": {factLike, dirBack},
	"선호함": {factLike, dirBack}, "선호해요": {factLike, dirBack}, "선호하심": {factLike, dirBack},
	"최애": {factLike, dirBack}, "즐겨먹음": {factLike, dirBack}, "좋아하셔요": {factLike, dirBack},
	"좋아하셨음": {factLike, dirBack}, "좋아했음": {factLike, dirBack}, "좋아라함": {factLike, dirBack},
	"싫어함": {factDislike, dirBack}, "싫어해요": {factDislike, dirBack}, "싫어하심": {factDislike, dirBack},
	"싫어하세요": {factDislike, dirBack}, "싫어해": {factDislike, dirBack}, "싫어합니다": {factDislike, dirBack},
	"안좋아함": {factDislike, dirBack}, "안좋아해요": {factDislike, dirBack}, "안좋아하심": {factDislike, dirBack},
	"안먹음": {factDislike, dirBack}, "안드심": {factDislike, dirBack}, "안먹어요": {factDislike, dirBack},
	"별로래요": {factDislike, dirBack}, "싫대요": {factDislike, dirBack}, "비선호": {factDislike, dirBack},
	"빼주세요": {factDislike, dirBack}, "빼달래요": {factDislike, dirBack}, "빼달라고함": {factDislike, dirBack},
	"별로": {factDislike, dirBack},
}

// koFactSecond follow 못/안/즐겨 as a separate word: 못 먹음, 안 좋아함.
var koFactSecond = map[string]bool{
	"먹음": true, "먹어요": true, "드심": true, "드세요": true, "먹어": true, "먹는다": true,
	"먹습니다": true, "먹는": true, "좋아함": true, "좋아해요": true, "좋아하심": true,
	"좋아하세요": true, "좋아해": true, "좋아합니다": true, "마심": true, "마셔요": true, "마셔": true,
	"마시는": true, "마십니다": true, "마시세요": true, "드시는": true, "드셔요": true, "먹음요": true,
}

// Birthday words.
var enBirthday = map[string]bool{"birthday": true, "bday": true, "b-day": true, "birthdate": true, "dob": true, "born": true, "birthday's": true, "bday's": true, "birth": true, "b'day": true}

var koBirthday = map[string]bool{"생일": true, "생신": true, "생년월일": true, "생일날": true, "탄생일": true}

// enBirthdayGap may stand between a birthday word and its date.
var enBirthdayGap = map[string]bool{"is": true, "on": true, "was": true, "day": true, "date": true, "'s": true, "in": true, "of": true}

// Titles start an English name: "Mrs. Lee".
var enTitles = map[string]bool{"mr": true, "mrs": true, "ms": true, "miss": true, "dr": true, "mx": true, "mr.": true, "mrs.": true, "ms.": true, "dr.": true, "mx.": true, "prof": true, "prof.": true, "sir": true, "madam": true}

// enAbbrevDot keep their trailing period in the tokenizer.
var enAbbrevDot = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "mx": true, "st": true, "jr": true, "sr": true,
	"prof": true, "jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true,
	"aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true, "a.m": true, "p.m": true,
}

// koHonorTokens follow a name as a separate word: 박서준 고객님.
var koHonorTokens = map[string]bool{"고객님": true, "님": true, "씨": true, "손님": true, "고객": true, "선생님": true, "사장님": true, "고객님이": true, "고객님은": true, "고객님께서": true, "손님이": true, "씨가": true, "님이": true, "님께서": true}

// koSurnames are common family names (first syllable of a full name).
var koSurnames = map[rune]bool{
	'김': true, '이': true, '박': true, '최': true, '정': true, '강': true, '조': true, '윤': true,
	'장': true, '임': true, '한': true, '오': true, '서': true, '신': true, '권': true, '황': true,
	'안': true, '송': true, '류': true, '유': true, '전': true, '홍': true, '고': true, '문': true,
	'양': true, '손': true, '배': true, '백': true, '허': true, '남': true, '심': true, '노': true,
	'하': true, '곽': true, '성': true, '차': true, '주': true, '우': true, '구': true, '민': true,
	'진': true, '나': true, '지': true, '엄': true, '채': true, '원': true, '천': true, '방': true,
	'공': true, '현': true, '함': true, '변': true, '염': true, '여': true, '추': true, '도': true,
	'소': true, '석': true, '선': true, '설': true, '마': true, '길': true, '연': true, '위': true,
	'표': true, '명': true, '기': true, '반': true, '라': true, '왕': true, '금': true, '옥': true,
	'육': true, '인': true, '맹': true, '제': true, '모': true, '탁': true, '국': true, '어': true,
	'은': true, '편': true, '용': true, '예': true, '경': true, '봉': true, '사': true, '부': true,
	'가': true, '복': true, '태': true, '목': true, '형': true, '피': true, '두': true, '감': true,
	'호': true,
}

// koNoStrip are words whose ending looks like a particle but is not.
var koNoStrip = map[string]bool{
	"소보로": true, "포도": true, "청포도": true, "아보카도": true, "약과": true, "한과": true,
	"모과": true, "휘낭시에": true, "아저씨": true, "아가씨": true, "바나나": true, "아이": true,
	"오이": true, "파이": true, "추가": true, "샷추가": true, "시럽추가": true, "휘핑추가": true, "에그타르트": true, "레모네이드": true, "만": true, "도": true,
	"오레오": true, "마카로니": true, "에클레어": true, "에끌레어": true, "피칸파이": true,
	"애플파이": true, "초코파이": true, "호두파이": true, "고구마": true, "감자": true, "토마토": true,
	"키위": true, "체리": true, "젤리": true, "카레": true, "스테이크": true, "크레이프": true,
	"어머니": true, "할머니": true, "언니": true, "누나": true, "아내": true, "와이프": true,
}

// Common items (per locale). They are used only to tell an item from a
// customer's name when nothing else decides: "Croissant, latte" has no
// customer.
var commonItems = map[string]bool{
	"croissant": true, "latte": true, "coffee": true, "americano": true, "espresso": true,
	"cappuccino": true, "mocha": true, "tea": true, "bagel": true, "muffin": true, "scone": true,
	"cookie": true, "cake": true, "bread": true, "baguette": true, "donut": true, "doughnut": true,
	"macaron": true, "sandwich": true, "salad": true, "pie": true, "tart": true, "brownie": true,
	"waffle": true, "juice": true, "smoothie": true, "haircut": true, "cut": true, "trim": true,
	"color": true, "colour": true, "perm": true, "manicure": true, "pedicure": true, "blowout": true,
	"shampoo": true, "water": true, "milk": true, "cheesecake": true, "loaf": true, "sourdough": true,
	"brioche": true, "focaccia": true, "ciabatta": true, "pretzel": true, "danish": true,
	"quiche": true, "matcha": true, "chai": true, "cortado": true, "flat": true, "macchiato": true,
	"frappe": true, "frappuccino": true, "pastry": true, "cupcake": true, "biscuit": true,
	"madeleine": true, "financier": true, "canele": true, "eclair": true, "pudding": true,
	"yogurt": true, "soda": true, "lemonade": true, "cinnamon": true, "chocolate": true,
	"vanilla": true, "caramel": true, "strawberry": true, "blueberry": true, "banana": true,
	"apple": true, "oat": true, "almond": true, "soy": true, "iced": true, "hot": true, "decaf": true,
	"nails": true, "gel": true, "wax": true, "facial": true, "massage": true, "coffees": true,
	"라떼": true, "아메리카노": true, "커피": true, "카페라떼": true, "바닐라라떼": true, "카푸치노": true,
	"에스프레소": true, "모카": true, "녹차": true, "말차": true, "홍차": true, "밀크티": true, "우유": true,
	"두유": true, "주스": true, "에이드": true, "스무디": true, "케이크": true, "케익": true, "쿠키": true,
	"빵": true, "식빵": true, "소금빵": true, "크루아상": true, "크로와상": true, "바게트": true,
	"베이글": true, "머핀": true, "스콘": true, "마카롱": true, "도넛": true, "도너츠": true,
	"마들렌": true, "휘낭시에": true, "까눌레": true, "타르트": true, "에그타르트": true, "파이": true,
	"샌드위치": true, "샐러드": true, "와플": true, "크로플": true, "브라우니": true, "치즈케이크": true,
	"티라미수": true, "단팥빵": true, "크림빵": true, "소보로": true, "꽈배기": true, "치아바타": true,
	"포카치아": true, "브리오슈": true, "모닝빵": true, "롤케이크": true, "카스테라": true, "푸딩": true,
	"요거트": true, "아이스크림": true, "젤라또": true, "빙수": true, "떡": true, "커트": true,
	"컷": true, "파마": true, "펌": true, "염색": true, "드라이": true, "네일": true, "젤네일": true,
	"클리닉": true, "왁싱": true, "페디큐어": true, "매니큐어": true, "두피케어": true, "딸기": true,
	"새우": true, "땅콩": true, "호두": true, "우유빵": true, "밤빵": true, "옥수수빵": true,
	"카페모카": true, "콜드브루": true, "아아": true, "뜨아": true, "아이스티": true, "레몬티": true,
	"유자차": true, "생강차": true, "자몽에이드": true, "레몬에이드": true, "초코": true, "바닐라": true,
	"치즈": true, "버터": true, "잼": true, "스프": true, "수프": true, "김밥": true, "떡볶이": true,
	"라면": true, "만두": true, "피자": true, "햄버거": true, "파스타": true, "커피콩": true, "원두": true,
	"마늘빵": true, "버터빵": true, "쿠키슈": true, "슈크림": true, "프레첼": true, "스콘빵": true,
}

// koItemSuffixes end many item words: 쑥빵, 말차라떼.
var koItemSuffixes = []string{"빵", "라떼", "케이크", "쿠키", "커피", "주스", "에이드", "타르트", "파이", "차", "티", "스무디", "크림", "떡", "볶음", "밥", "면"}

// Non-name English words that may be capitalised at the start of a note.
var enNotName = map[string]bool{
	"today": true, "yesterday": true, "tonight": true, "hi": true, "hello": true, "hey": true,
	"thanks": true, "thank": true, "who": true, "what": true, "when": true, "where": true, "why": true,
	"how": true, "help": true, "every": true, "each": true, "allergic": true, "allergy": true,
	"allergies": true, "birthday": true, "bday": true, "b-day": true, "the": true, "a": true, "an": true,
	"she": true, "he": true, "they": true, "i": true, "we": true, "my": true, "our": true, "this": true,
	"that": true, "last": true, "customer": true, "client": true, "guest": true, "regular": true,
	"note": true, "new": true, "also": true, "and": true, "plus": true, "is": true, "was": true,
	"did": true, "does": true, "do": true, "can": true, "please": true, "ok": true, "okay": true,
	"yes": true, "no": true, "not": true, "usually": true, "always": true, "loves": true, "likes": true,
	"hates": true, "dislikes": true, "prefers": true, "bought": true, "ordered": true, "came": true,
	"visited": true, "with": true, "for": true, "from": true, "on": true, "in": true, "at": true,
	"to": true, "takeout": true, "dine-in": true, "morning": true, "afternoon": true, "evening": true,
	"lunch": true, "breakfast": true, "coffee": true, "two": true, "one": true, "three": true,
	"some": true, "lol": true, "fyi": true, "btw": true, "total": true, "paid": true, "tip": true,
	"just": true, "again": true, "then": true, "had": true, "got": true, "has": true, "there": true,
	"her": true, "his": true, "their": true, "it": true, "its": true, "you": true, "your": true,
	"tomorrow": true, "next": true, "week": true, "weekly": true, "daily": true, "order": true,
	"orders": true, "buys": true, "gets": true, "comes": true, "visits": true, "old": true,
	// Code, not customers: "'; DROP TABLE customers; --".
	"select": true, "drop": true, "table": true, "insert": true, "delete": true, "update": true,
	"union": true, "into": true, "values": true, "alter": true, "create": true, "exec": true,
	"null": true, "truncate": true, "script": true, "alert": true, "or": true,
}
