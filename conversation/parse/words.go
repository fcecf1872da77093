package parse

// Word tables for bookings, corrections, removals, modifiers, the usual
// order, diets, stamps and counter questions. Pure data, like tables.go.

// Booking words. A strong one makes a booking by itself ("권태윤 3시
// 예약"); a weak one only with a day ahead or a time ("내일 김민지 픽업",
// "Bob cake pickup 3pm tomorrow"), else it is context or a visit verb.
// generic words are left out of Booking.What ("케이크 예약" is "케이크").
type bookWord struct {
	strong, generic bool
}

var enBooking = map[string]bookWord{
	"booking": {true, true}, "bookings": {true, true}, "booked": {true, true}, "book": {true, true},
	"reservation": {true, true}, "reserved": {true, true}, "reserve": {true, true}, "rsvp": {true, true},
	"appointment": {true, false}, "appt": {true, false}, "appt.": {true, false},
	"pre-order": {true, true}, "preorder": {true, true}, "pre-ordered": {true, true}, "preordered": {true, true},
	"stay": {true, false}, "stays": {true, false}, "staying": {true, false}, "check-in": {true, false},
	"checkin": {true, false}, "nights": {false, false},
	"pickup": {false, false}, "pick-up": {false, false}, "collection": {false, false}, "delivery": {false, false},
	"table": {false, false},
	"order": {false, true}, "ordered": {false, true}, "orders": {false, true},
}

var koBooking = map[string]bookWord{
	"예약": {true, true}, "예약함": {true, true}, "예약했어요": {true, true}, "예약했음": {true, true},
	"예약하심": {true, true}, "예약하셨어요": {true, true}, "예약해요": {true, true}, "예약주문": {true, true},
	"주문예약": {true, true}, "예약완료": {true, true}, "예약건": {true, true}, "예약요": {true, true},
	"숙박": {true, false}, "체크인": {true, false}, "입실": {true, false}, "투숙": {true, false},
	"방문예약": {true, true}, "사전주문": {true, true}, "선주문": {true, true},
	"픽업": {false, false}, "픽업예정": {false, false}, "수령": {false, false}, "찾으러": {false, true},
	"배달": {false, false}, "주문": {false, true}, "예정": {false, true}, "방문예정": {false, true},
}

// koBookingStems combine with verb endings: 예약했어요, 픽업하실, 주문할게요.
var koBookingStems = []string{"예약", "픽업", "주문", "숙박", "체크인", "수령"}

// The usual order: "the usual", "늘 먹던 거", "항상 먹는 걸로".
var enUsualOrder = [][]string{
	{"the", "usual"}, {"same", "as", "usual"}, {"same", "as", "always"}, {"the", "regular"},
	{"his", "usual"}, {"her", "usual"}, {"their", "usual"}, {"usual", "order"}, {"the", "same", "as", "always"},
	{"the", "same", "as", "usual"}, {"same", "old"}, {"as", "usual"}, {"usual"},
}

var koUsualLead = map[string]bool{
	"늘": true, "항상": true, "맨날": true, "평소": true, "평소에": true, "언제나": true, "매번": true, "자주": true,
	"원래": true, "맨": true,
}

var koUsualVerb = map[string]bool{
	"먹던": true, "먹는": true, "마시던": true, "마시는": true, "시키던": true, "시키는": true, "사던": true,
	"사는": true, "드시던": true, "드시는": true, "주문하던": true, "주문하는": true, "하던": true, "가져가던": true,
}

var koUsualThing = map[string]bool{
	"거": true, "것": true, "걸로": true, "거로": true, "거요": true, "것으로": true, "메뉴": true, "메뉴로": true,
	"거랑": true, "걸": true, "거루": true, "거ㅇ": true,
}

var koUsualWords = map[string]bool{
	"평소처럼": true, "늘처럼": true, "항상처럼": true, "늘먹던거": true, "늘먹던걸로": true, "항상먹던거": true,
	"늘시키던거": true, "맨날먹던거": true, "같은걸로": true, "똑같이": true, "똑같은걸로": true, "단골메뉴": true,
}

// Diets are facts of their own ("Alex vegan"): they are kept as likes.
var dietWords = map[string]string{
	"vegan": "vegan", "vegetarian": "vegetarian", "veggie": "vegetarian", "pescatarian": "pescatarian",
	"pescetarian": "pescatarian", "keto": "keto", "halal": "halal", "kosher": "kosher",
	"gluten-free": "gluten-free", "dairy-free": "dairy-free", "lactose-free": "lactose-free",
	"sugar-free": "sugar-free", "paleo": "paleo", "plant-based": "plant-based",
	"비건": "비건", "채식": "채식", "채식주의": "채식", "채식주의자": "채식", "페스코": "페스코", "할랄": "할랄",
	"키토": "키토", "글루텐프리": "글루텐프리", "락토프리": "락토프리", "저탄고지": "저탄고지", "무설탕": "무설탕",
}

// conditionWords are conditions kept as allergies ("Kim celiac").
var conditionWords = map[string]bool{"celiac": true, "coeliac": true, "셀리악": true}

// cancelWords make a booking word a remark: "cancelled her booking".
var cancelWords = map[string]bool{
	"cancelled": true, "canceled": true, "cancel": true, "cancels": true, "cancelling": true, "no-show": true,
	"취소": true, "취소함": true, "취소했어요": true, "취소했음": true, "취소하심": true, "노쇼": true, "안옴": true,
}

// debtWords make an amount something owed, not paid: "Kim owes $5".
var debtWords = map[string]bool{
	"owes": true, "owe": true, "owed": true, "tab": true, "credit": true, "외상": true, "미수": true, "미결제": true,
	"나중에": true, "빚": true,
}

// Removal markers after a Korean fact: "딸기 알레르기 아님/없음/삭제".
var koRemoveAfter = map[string]bool{
	"아님": true, "아니에요": true, "아니래요": true, "아니야": true, "아니었음": true, "아니었어요": true,
	"아니랍니다": true, "아니라고": true, "아니라고함": true, "아니고": true, "아니": true, "아니다": true,
	"없음": true, "없어요": true, "없대요": true, "없다고": true, "없다고함": true, "없어짐": true, "없습니다": true,
	"없어": true, "없다": true, "없으심": true, "없으세요": true, "없음요": true, "없네요": true,
	"삭제": true, "삭제해줘": true, "삭제해주세요": true, "삭제요": true, "지워": true, "지워줘": true,
	"지워주세요": true, "빼줘": true, "빼주세요": true, "빼": true, "취소": true, "해제": true, "제거": true,
	"나았음": true, "나았어요": true, "없앰": true, "아니래": true, "잘못": true, "잘못됨": true, "틀림": true,
	"틀렸어요": true, "삭제함": true, "지움": true,
}

// Removal words after an English fact ("nut allergy removed").
var enRemoveAfter = map[string]bool{
	"removed": true, "gone": true, "cleared": true, "deleted": true, "no": true, "none": true, "wrong": true,
	"outgrown": true, "anymore": true,
}

// Removal words before an English fact ("remove nut allergy", "delete allergy: nuts").
var enRemoveBefore = map[string]bool{"remove": true, "delete": true, "clear": true, "drop": true, "forget": true, "undo": true, "no": true}

// Correction markers.
var enCorrLead = [][]string{
	{"oh", "wait"}, {"no", "wait"}, {"oh", "no"}, {"wait"}, {"i", "meant"}, {"i", "mean"}, {"meant"}, {"sorry"},
	{"correction"}, {"make", "that"}, {"make", "it"}, {"scratch", "that"}, {"actually"}, {"oops"}, {"typo"},
	{"my", "bad"}, {"i", "mean,"}, {"err"}, {"erm"},
}

var koCorrLead = map[string]bool{
	"아니": true, "아니다": true, "아니요": true, "아뇨": true, "아니아니": true, "정정": true, "수정": true,
	"정정합니다": true, "수정합니다": true, "앗": true, "아차": true, "잘못": true, "잘못썼어요": true,
	"잘못씀": true, "오타": true, "아참": true, "참": true, "잠깐": true, "잠깐만": true, "아잠깐": true,
}

// koCorrOld follow the wrong value: "2개 말고 3개".
var koCorrOld = map[string]bool{"말고": true, "대신": true, "대신에": true, "아니고": true, "아니라": true, "말구": true}

// Modifiers stay with their item ("iced latte", "라떼 2잔 샷추가").
var enMods = map[string]bool{
	"iced": true, "hot": true, "warm": true, "cold": true, "large": true, "small": true, "medium": true,
	"tall": true, "grande": true, "venti": true, "decaf": true, "skinny": true, "extra-hot": true,
	"half-sweet": true, "unsweetened": true, "sugar-free": true, "double": true, "triple": true,
	"single-shot": true, "double-shot": true, "oat": true, "soy": true, "almond": true, "skim": true,
	"whole": true, "lactose-free": true, "regular": true, "short": true, "big": true, "little": true,
}

// enModPhrases are multi-word modifiers, first word → the rest.
var enModPhrases = map[string][][]string{
	"oat": {{"oat", "milk"}}, "soy": {{"soy", "milk"}}, "almond": {{"almond", "milk"}},
	"coconut": {{"coconut", "milk"}}, "skim": {{"skim", "milk"}}, "whole": {{"whole", "milk"}},
	"extra":  {{"extra", "shot"}, {"extra", "hot"}, {"extra", "foam"}, {"extra", "syrup"}, {"extra", "whip"}, {"extra", "cream"}},
	"no":     {{"no", "sugar"}, {"no", "ice"}, {"no", "whip"}, {"no", "foam"}, {"no", "syrup"}, {"no", "cream"}},
	"less":   {{"less", "sugar"}, {"less", "ice"}, {"less", "sweet"}},
	"with":   {{"with", "oat", "milk"}, {"with", "soy", "milk"}, {"with", "almond", "milk"}, {"with", "an", "extra", "shot"}, {"with", "extra", "shot"}, {"with", "whipped", "cream"}},
	"double": {{"double", "shot"}},
	"half":   {{"half", "sweet"}},
}

// enModCompounds are items whose first word only looks like a modifier.
var enModCompounds = map[string]bool{
	"hot chocolate": true, "hot dog": true, "hot cross": true, "cold brew": true, "hot sauce": true,
	"hot pot": true, "whole wheat": true, "whole grain": true, "short rib": true, "short bread": true,
	"big mac": true, "almond croissant": true, "soy sauce": true, "oat cookie": true, "oat bar": true,
	"small batch": true, "little gem": true, "double chocolate": true,
}

var koMods = map[string]bool{
	"따뜻한": true, "뜨거운": true, "차가운": true, "시원한": true, "아이스": true, "핫": true, "따뜻하게": true,
	"뜨겁게": true, "차갑게": true, "시원하게": true, "라지": true, "레귤러": true, "톨": true, "그란데": true,
	"벤티": true, "디카페인": true, "디카페": true, "샷추가": true, "시럽추가": true, "휘핑추가": true,
	"휘핑": true, "오트": true, "오트밀크": true, "두유로": true, "연하게": true, "진하게": true, "덜달게": true,
	"큰": true, "작은": true, "사이즈업": true, "투샷": true, "원샷": true, "무지방": true, "저지방": true,
	"얼음적게": true, "얼음많이": true, "얼음없이": true, "설탕빼고": true, "시럽빼고": true, "휘핑빼고": true,
	"오트밀크로": true, "두유": false, "아이스로": true, "핫으로": true, "뜨겁게요": true, "차갑게요": true,
	"라지로": true, "샷": false, "더블샷": true, "미지근하게": true, "미지근한": true,
}

// koModPairs are two-word modifiers: 샷 추가, 덜 달게, 얼음 적게.
var koModPairs = map[[2]string]bool{
	{"샷", "추가"}: true, {"시럽", "추가"}: true, {"휘핑", "추가"}: true, {"덜", "달게"}: true,
	{"얼음", "적게"}: true, {"얼음", "많이"}: true, {"얼음", "빼고"}: true, {"설탕", "빼고"}: true,
	{"시럽", "빼고"}: true, {"휘핑", "빼고"}: true, {"사이즈", "업"}: true, {"오트", "밀크"}: true,
	{"두유", "변경"}: true, {"샷", "하나"}: true, {"샷", "두개"}: true, {"오트밀크", "변경"}: true,
	{"우유", "빼고"}: true, {"시럽", "적게"}: true, {"휘핑", "많이"}: true, {"휘핑", "적게"}: true, {"샷", "많이"}: true,
	{"시럽", "많이"}: true, {"얼음", "없이"}: true, {"샷", "빼고"}: true,
}

// koModPairFirst are the first words of koModPairs.
var koModPairFirst = map[string]bool{
	"샷": true, "시럽": true, "휘핑": true, "덜": true, "얼음": true, "설탕": true, "사이즈": true, "오트": true,
	"두유": true, "오트밀크": true, "우유": true,
}

// koModSecond make a modifier of the word before them: 딸기 빼고.
var koModSecond = map[string]bool{
	"빼고": true, "빼서": true, "없이": true, "듬뿍": true, "넣어서": true, "올려서": true, "추가로": true, "빼고요": true,
}

// koSizeCounter is a cake size: 케이크 2호.
const koSizeCounter = "호"

// Payment context: "paid by card", "카드(로)", "현금".
var enPayment = map[string]string{"card": "card", "cash": "cash", "contactless": "card", "amex": "card", "visa": "card", "mastercard": "card", "venmo": "venmo", "paypal": "paypal"}

var koPayment = map[string]string{
	"카드": "카드", "카드로": "카드", "카드결제": "카드", "현금": "현금", "현금으로": "현금", "현금결제": "현금",
	"계좌이체": "계좌이체", "이체": "계좌이체", "페이": "페이", "카카오페이": "카카오페이", "네이버페이": "네이버페이",
	"삼성페이": "삼성페이", "제로페이": "제로페이", "카드결재": "카드", "지역화폐": "지역화폐", "상품권": "상품권",
}

// Memo heads: stamps and coupons are remarks, never items.
var memoHeads = map[string]bool{
	"쿠폰": true, "스탬프": true, "도장": true, "적립": true, "포인트": true, "적립금": true, "쿠폰북": true,
	"coupon": true, "coupons": true, "stamp": true, "stamps": true, "punch": true, "punchcard": true,
	"loyalty": true, "points": true, "voucher": true, "vouchers": true, "giftcard": true, "기프티콘": true,
}

// Shares: "1 croissant each", "하나씩" (each customer gets it); "too",
// "도" (the same as the one before).
var enEach = map[string]bool{"each": true, "apiece": true, "both": true}
var enToo = map[string]bool{"too": true, "also": true}

var koEach = map[string]bool{"각각": true, "각자": true, "둘다": true, "모두": true, "다들": true, "인당": true, "한명당": true, "1인당": true}

// Habits of the day: "매일 아침 7시에 와요", "every morning at 7".
var enDaily = map[string]bool{"every": true, "daily": true, "usually": true, "always": true, "normally": true, "typically": true, "each": true, "regularly": true, "often": true, "mostly": true}
var koDaily = map[string]bool{
	"매일": true, "매일매일": true, "맨날": true, "날마다": true, "매일같이": true, "보통": true, "항상": true, "늘": true,
	"주로": true, "대개": true, "평소": true, "평소에": true, "평일": true, "평일마다": true, "주말마다": true,
	"아침마다": true, "저녁마다": true, "점심마다": true, "매번": true, "거의": true,
}

// Conditional habits make a remark, not a visit: "비 오는 날엔 걸어서 옴".
var koCondTails = []string{"날엔", "날에는", "때는", "때마다", "때엔", "마다", "으면", "하면", "오면"}

var koCondWords = map[string]bool{"날엔": true, "날에는": true, "때는": true, "때마다": true, "때엔": true, "날마다": true, "때면": true}

// Visit verbs in Korean past forms not listed in koFillers: 왔었어, 다녀갔어.
var koVisitStems = []string{"왔", "오셨", "다녀갔", "다녀가셨", "들렀", "들르셨", "방문했", "방문하셨", "사갔", "사가셨", "샀", "사셨", "드셨", "먹었", "마셨", "시켰", "시키셨", "가져갔", "가져가셨", "주문했", "주문하셨", "구매했", "구매하셨", "결제했", "결제하셨", "포장해갔", "포장해가셨"}

// Counter questions: the words each kind may use.
var qBirthdayWords = map[string]bool{
	"생일": true, "생일인": true, "생일이": true, "생일은": true, "생일자": true, "생일인사람": true, "생신": true,
	"생일이신": true, "생일인분": true, "생일있어": true, "birthday": true, "birthdays": true, "bday": true,
	"bdays": true, "b-day": true, "b-days": true, "birthday's": true,
}

var qLapsedWords = map[string]bool{
	"오래": true, "오랫동안": true, "한동안": true, "오랜만": true, "lapsed": true, "while": true, "long": true,
	"안왔어": true, "안온": true, "안오는": true, "안": true, "missing": true, "haven't": true, "hasn't": true,
	"havent": true, "hasnt": true, "뜸한": true, "뜸해진": true, "발길": true, "끊긴": true,
}

var qVisitWords = map[string]bool{
	"몇": true, "몇명": true, "몇분": true, "몇번": true, "몇건": true, "many": true, "count": true, "number": true,
	"visits": true, "visitors": true, "방문수": true, "방문객": true,
}

var qBookingWords = map[string]bool{
	"예약": true, "예약은": true, "예약이": true, "예약있어": true, "예약있나": true, "예약들": true, "예약자": true,
	"픽업": true, "픽업은": true, "bookings": true, "booking": true, "reservations": true, "reservation": true,
	"pickups": true, "appointments": true, "booked": true, "reserved": true, "숙박": true, "체크인": true,
	"예약목록": true, "예약현황": true,
}

// qFiller are the other words a counter question may have.
var qFiller = map[string]bool{
	"누구": true, "누가": true, "누구야": true, "누구지": true, "사람": true, "사람은": true, "사람?": true, "분": true,
	"분들": true, "손님": true, "손님들": true, "고객": true, "고객들": true, "있어": true, "있어요": true,
	"있나": true, "있나요": true, "있니": true, "있음": true, "있는": true, "있는지": true, "있을까": true, "알려줘": true,
	"알려주세요": true, "보여줘": true, "목록": true, "명단": true, "리스트": true, "왔어": true, "왔어요": true,
	"왔나": true, "왔니": true, "왔는지": true, "온": true, "오는": true, "와": true, "옴": true, "방문": true,
	"방문한": true, "명": true, "명이": true, "분이": true, "건": true, "인": true, "이": true, "은": true, "는": true,
	"좀": true, "혹시": true, "다": true, "했어": true, "총": true, "오셨어": true, "오셨나": true, "오신": true,
	"who": true, "whose": true, "who's": true, "whos": true, "any": true, "anyone": true, "anybody": true,
	"how": true, "the": true, "a": true, "is": true, "are": true, "was": true, "were": true, "been": true,
	"in": true, "for": true, "has": true, "have": true, "had": true, "there": true, "list": true, "show": true,
	"me": true, "what": true, "what's": true, "whats": true, "which": true, "customers": true, "customer": true,
	"people": true, "regulars": true, "we": true, "did": true, "do": true, "get": true, "got": true,
	"come": true, "came": true, "visited": true, "visit": true, "not": true, "since": true, "time": true,
	"of": true, "on": true, "upcoming": true, "coming": true, "up": true, "it": true, "due": true,
	"recently": true, "lately": true, "요즘": true, "최근": true, "최근에": true, "in?": true, "s": true,
	"any?": true, "today?": true, "please": true, "pls": true, "오지": true, "않은": true, "않았어": true,
	"못": true, "본": true, "봤어": true, "지": true, "된": true, "사람들": true, "분들은": true, "건수": true,
	"단골": true, "단골들": true, "뭐": true, "뭐야": true, "뭐있어": true, "뭐가": true, "언제": true, "어떤": true, "있지": true, "있니?": true,
}

// qRanges are the day ranges a counter question may name.
type qRange struct {
	kind int // 0 day offset, 1 week offset, 2 month offset, 3 weekend, 4 next days
	off  int
}

var qRangeWords = map[string]qRange{
	"오늘": {0, 0}, "오늘은": {0, 0}, "금일": {0, 0}, "today": {0, 0}, "today's": {0, 0}, "tonight": {0, 0},
	"내일": {0, 1}, "내일은": {0, 1}, "tomorrow": {0, 1}, "tomorrow's": {0, 1}, "어제": {0, -1}, "어제는": {0, -1},
	"yesterday": {0, -1}, "모레": {0, 2},
	"이번주": {1, 0}, "이번주는": {1, 0}, "금주": {1, 0}, "다음주": {1, 1}, "다음주는": {1, 1}, "담주": {1, 1},
	"지난주": {1, -1}, "지난주는": {1, -1}, "저번주": {1, -1},
	"이번달": {2, 0}, "이번달은": {2, 0}, "이달": {2, 0}, "다음달": {2, 1}, "지난달": {2, -1}, "저번달": {2, -1},
	"주말": {3, 0}, "이번주말": {3, 0}, "weekend": {3, 0},
}

// qRangePairs are two-word ranges: "this week", "이번 주".
var qRangePairs = map[[2]string]qRange{
	{"this", "week"}: {1, 0}, {"next", "week"}: {1, 1}, {"last", "week"}: {1, -1}, {"this", "month"}: {2, 0},
	{"next", "month"}: {2, 1}, {"last", "month"}: {2, -1}, {"this", "weekend"}: {3, 0}, {"이번", "주"}: {1, 0},
	{"다음", "주"}: {1, 1}, {"지난", "주"}: {1, -1}, {"이번", "달"}: {2, 0}, {"다음", "달"}: {2, 1},
	{"지난", "달"}: {2, -1}, {"the", "week"}: {1, 0}, {"the", "month"}: {2, 0}, {"coming", "week"}: {4, 7},
	{"next", "days"}: {4, 7},
}

// enOrdinals are ordinal words for days of the month.
var enOrdinals = map[string]int{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
	"ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
	"fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
	"twentieth": 20, "twenty-first": 21, "twenty-second": 22, "twenty-third": 23, "twenty-fourth": 24,
	"twenty-fifth": 25, "twenty-sixth": 26, "twenty-seventh": 27, "twenty-eighth": 28,
	"twenty-ninth": 29, "thirtieth": 30, "thirty-first": 31,
}
