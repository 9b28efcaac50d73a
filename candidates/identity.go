package candidates

import (
	"net/mail"
	"regexp"
	"strings"
)

// ValidNPI reports whether s is a well-formed National Provider Identifier:
// ten digits, starting with 1 or 2, whose last digit is the Luhn check digit
// computed over the prefix 80840 followed by the first nine digits (CMS's
// example: 1234567893 is valid). A plain ten-digit Luhn check is wrong for
// NPIs.
func ValidNPI(s string) bool {
	if len(s) != 10 || (s[0] != '1' && s[0] != '2') {
		return false
	}
	for i := 0; i < 10; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	// Luhn over "80840" + s[:9], doubling every second digit from the right
	// of the payload (the check digit position is excluded).
	payload := "80840" + s[:9]
	sum := 0
	for i := len(payload) - 1; i >= 0; i-- {
		d := int(payload[i] - '0')
		if (len(payload)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	check := (10 - sum%10) % 10
	return int(s[9]-'0') == check
}

// phoneRE accepts E.164: a plus sign, a non-zero country code digit and 8
// to 15 digits in all.
var phoneRE = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

// ValidPhone reports whether s is an E.164 phone number such as
// +14155550123 (no spaces or punctuation; clients normalise before
// sending).
func ValidPhone(s string) bool { return phoneRE.MatchString(s) }

// ValidEmail reports whether s is a bare addr-spec (no display name, no
// angle brackets) of at most 254 characters whose domain has a dot.
func ValidEmail(s string) bool {
	if len(s) > maxEmailLen || strings.TrimSpace(s) != s {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

var licenceNoRE = regexp.MustCompile(`^[A-Za-z0-9-]+$`)

// ValidLicenceNumber reports whether s is a plausible state licence number:
// 1 to 40 letters, digits or hyphens.
func ValidLicenceNumber(s string) bool {
	return len(s) <= maxLicenceNoLen && licenceNoRE.MatchString(s)
}
