package slack

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dangol/dangol/conversation"
)

// Commands without a slash. Slack treats a message that starts with "/" as
// a slash command of its own and never delivers it to the bot, so in Slack
// a message whose first word is one of Dangol's command names is taken as
// that command: "undo" means "/undo", "claim 1234-5678" means
// "/claim 1234-5678". The names are the engine's own, English and Korean
// (conversation.CommandFor).
//
// Only where a note could start with the same word is the mapping
// narrowed: commands that take nothing (undo, invite, staff, qr) count only as
// the whole message, "digest"/"오늘" only alone or with "all", and the
// codes of claim/join only when a digit or a whole code follows. So "오늘 김민지 크루아상"
// (today, Kim Minji, croissant) stays a note.

// argPolicy says which messages starting with a command word are that
// command.
type argPolicy int

const (
	argsAny    argPolicy = iota // the word with anything after it
	argsNone                    // only the word alone
	argsDigest                  // alone, or followed by all/전체/모두
	argsCode                    // alone, or followed by a code or something starting with a digit
)

// commandWord returns the policy of a command word (the engine's command
// names, conversation.CommandFor); ok is false when word is not one.
func commandWord(word string) (argPolicy, bool) {
	c, ok := conversation.CommandFor(word)
	if !ok || strings.EqualFold(word, "new") {
		// "new customer Kim, 2 croissants" is a note: announcements are
		// written "news …" (or 신간, 소식) without a slash.
		return 0, false
	}
	switch c {
	case "undo", "invite", "staff", "qr":
		return argsNone, true
	case "digest":
		return argsDigest, true
	case "claim":
		return argsCode, true
	}
	return argsAny, true
}

// asCommand returns text with a slash in front when it is a command
// written without one, and text unchanged otherwise.
func asCommand(text string) string {
	text = strings.TrimSpace(text)
	if text == "" || strings.HasPrefix(text, "/") {
		return text
	}
	word, rest, _ := strings.Cut(text, " ")
	rest = strings.TrimSpace(rest)
	policy, ok := commandWord(strings.ToLower(word))
	if !ok {
		return text
	}
	switch policy {
	case argsNone:
		ok = rest == ""
	case argsDigest:
		switch strings.ToLower(rest) {
		case "", "all", "전체", "모두":
		default:
			ok = false
		}
	case argsCode:
		r, _ := utf8.DecodeRuneInString(rest)
		ok = rest == "" || unicode.IsDigit(r) || conversation.IsCode(rest)
	}
	if !ok {
		return text
	}
	return "/" + text
}

// asSlashCommand reads the text of the /dangol slash command: a command
// name with its arguments, or else a note. An empty text asks for help.
func asSlashCommand(text string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return "/help"
	}
	if strings.HasPrefix(text, "/") {
		return text
	}
	word, _, _ := strings.Cut(text, " ")
	if _, ok := commandWord(strings.ToLower(word)); ok {
		return "/" + text
	}
	return text
}

// unslash removes the slash before command names in a text Dangol shows
// ("send /help" → "send help"), since a Slack user cannot send them with
// it (Slack would run its own /help). Slashes elsewhere (Asia/Seoul, 3/14)
// stay.
func unslash(text string) string {
	if !strings.Contains(text, "/") {
		return text
	}
	var b strings.Builder
	prev := rune(-1)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '/' && !isWordRune(prev) && prev != '/' {
			end := i + size
			for end < len(text) {
				c, n := utf8.DecodeRuneInString(text[end:])
				if !isWordRune(c) {
					break
				}
				end += n
			}
			if _, ok := commandWord(strings.ToLower(text[i+size : end])); ok && end > i+size {
				i += size // drop the slash
				prev = r
				continue
			}
		}
		b.WriteRune(r)
		prev = r
		i += size
	}
	return b.String()
}

func isWordRune(r rune) bool {
	return r >= 0 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-')
}

// incoming turns the text of a Slack message into what the person typed:
// mentions of the bot are removed and Slack's escapes (&amp; &lt; &gt;)
// undone. Links to channels and other users stay as Slack wrote them
// (<#C123|counter>, <@U123>).
func incoming(text, botUserID string) string {
	if botUserID != "" {
		from := 0
		for {
			i := strings.Index(text[from:], "<@"+botUserID)
			if i < 0 {
				break
			}
			i += from
			j := strings.IndexByte(text[i:], '>')
			if j < 0 {
				break
			}
			inner := text[i+2 : i+j]
			if inner != botUserID && !strings.HasPrefix(inner, botUserID+"|") {
				// Another user whose id starts with the bot's: keep it.
				from = i + j + 1
				continue
			}
			text = text[:i] + " " + text[i+j+1:]
			from = i
		}
	}
	text = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(text)
	return strings.Join(strings.Fields(text), " ")
}

// channelLinks returns the channels linked in text (<#C123|counter>), by
// id, with their names, so a reply that names a channel by its id can show
// "#counter" instead.
func channelLinks(text string) map[string]string {
	var links map[string]string
	for {
		i := strings.Index(text, "<#")
		if i < 0 {
			return links
		}
		j := strings.IndexByte(text[i:], '>')
		if j < 0 {
			return links
		}
		id, name, ok := strings.Cut(text[i+2:i+j], "|")
		if ok && id != "" && name != "" {
			if links == nil {
				links = map[string]string{}
			}
			links[id] = "#" + name
		}
		text = text[i+j+1:]
	}
}

// nameChannels replaces the channel ids of links in text with the
// channels' names.
func nameChannels(text string, links map[string]string) string {
	for id, name := range links {
		text = replaceWord(text, id, name)
	}
	return text
}

// replaceWord replaces old in s with new where old is not part of a longer
// word.
func replaceWord(s, old, new string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, old)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+len(old):])
		if (i > 0 && isWordRune(before)) || (i+len(old) < len(s) && isWordRune(after)) {
			b.WriteString(s[:i+len(old)])
		} else {
			b.WriteString(s[:i] + new)
		}
		s = s[i+len(old):]
	}
}

// splitText cuts text into parts of at most limit characters, at line
// breaks where it can.
func splitText(text string, limit int) []string {
	text = strings.TrimSpace(text)
	var parts []string
	for text != "" {
		if utf8.RuneCountInString(text) <= limit {
			parts = append(parts, text)
			break
		}
		cut := byteIndexOfRune(text, limit)
		if nl := strings.LastIndexByte(text[:cut], '\n'); nl > 0 {
			cut = nl
		}
		parts = append(parts, strings.TrimSpace(text[:cut]))
		text = strings.TrimSpace(text[cut:])
	}
	return parts
}

// byteIndexOfRune returns the byte offset of the n-th rune of s.
func byteIndexOfRune(s string, n int) int {
	i := 0
	for j := range s {
		if i == n {
			return j
		}
		i++
	}
	return len(s)
}

// truncate shortens s to at most n characters, ending with "…" when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
