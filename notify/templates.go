package notify

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf16"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
)

// MaxSMSSegments is the most SMS segments a template may take once its
// placeholders are filled with values of the longest length they may have
// (catalog.MessageParams): 306 GSM-7 characters, or 134 when the text needs
// UCS-2.
const MaxSMSSegments = 2

// placeholder is a {name} in a template's body.
var placeholder = regexp.MustCompile(`\{([a-z_]+)\}`)

// placeholders lists the names of the placeholders of body, once each, in
// order.
func placeholders(body string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(body, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// render fills the placeholders of body with params; a placeholder without
// a value is left as it is.
func render(body string, params map[string]string) string {
	return placeholder.ReplaceAllStringFunc(body, func(m string) string {
		if v, ok := params[m[1:len(m)-1]]; ok {
			return v
		}
		return m
	})
}

// cut shortens v to the length catalog.MessageParams allows name, ending a
// cut value with "...". An address is never cut (a cut link leads nowhere).
func cut(name, v string) string {
	limit, ok := catalog.MessageParams[name]
	r := []rune(strings.TrimSpace(v))
	if !ok || len(r) <= limit || name == "url" {
		return string(r)
	}
	return strings.TrimSpace(string(r[:limit-3])) + "..."
}

// gsm7 is the GSM 03.38 default alphabet; gsm7Ext its extension table,
// whose characters take two septets.
const (
	gsm7    = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsm7Ext = "^{}\\[~]|€\f"
)

// smsPlain is what SMS sends for the characters of Spanish text outside
// GSM-7: the plain vowel for an accented one (ñ, é and ü are in GSM-7),
// straight quotes for typographic ones. Without it, one "ó" would send the
// whole message in UCS-2, at 67 characters a segment instead of 153.
var smsPlain = strings.NewReplacer(
	"á", "a", "í", "i", "ó", "o", "ú", "u", "Á", "A", "Í", "I", "Ó", "O", "Ú", "U",
	"â", "a", "ê", "e", "î", "i", "ô", "o", "û", "u", "ç", "c", "ï", "i", "ë", "e",
	"“", `"`, "”", `"`, "«", `"`, "»", `"`, "‘", "'", "’", "'", "–", "-", "—", "-", "…", "...",
)

// SMSText is text as SMS sends it (smsPlain).
func SMSText(text string) string { return smsPlain.Replace(text) }

// SMSSegments is the number of segments an SMS of text takes: GSM-7 if
// every character is in its alphabet (160 in one segment, 153 a segment
// when split), else UCS-2 (70, 67 when split).
func SMSSegments(text string) int {
	septets, ucs2 := 0, false
	for _, r := range text {
		switch {
		case strings.ContainsRune(gsm7, r):
			septets++
		case strings.ContainsRune(gsm7Ext, r):
			septets += 2
		default:
			ucs2 = true
		}
	}
	n, single, split := septets, 160, 153
	if ucs2 {
		n, single, split = len(utf16.Encode([]rune(text))), 70, 67
	}
	if n <= single {
		return 1
	}
	return (n + split - 1) / split
}

// longestFill is body with every placeholder filled with a value as long as
// it may be.
func longestFill(body string) string {
	params := map[string]string{}
	for name, limit := range catalog.MessageParams {
		params[name] = strings.Repeat("x", limit)
	}
	return render(body, params)
}

// eventParams are the placeholders the messages of event fill.
func eventParams(event string) []string {
	i := slices.IndexFunc(catalog.MessageTemplates, func(t catalog.MessageTemplate) bool { return t.Event == event })
	if i < 0 {
		return nil
	}
	return catalog.MessageTemplates[i].Params
}

// checkTemplate adds the errors of a notification_templates record: a
// placeholder its event does not fill, a body longer than MaxSMSSegments
// with every placeholder at its longest.
func checkTemplate(errs validation.Errors, r *core.Record) {
	body := r.GetString("body")
	allowed := eventParams(r.GetString("template"))
	for _, name := range placeholders(body) {
		if !slices.Contains(allowed, name) {
			errs["body"] = validation.NewError("unknown_placeholder", "Este mensaje no tiene el dato {"+name+"}: usa "+braced(allowed)+".")
			return
		}
	}
	if SMSSegments(SMSText(longestFill(body))) > MaxSMSSegments {
		errs["body"] = validation.NewError("sms_too_long", "Con los datos más largos posibles, el mensaje no cabe en dos SMS: acórtalo.")
	}
}

// braced lists names as {a}, {b}.
func braced(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "{" + n + "}"
	}
	return strings.Join(out, ", ")
}
