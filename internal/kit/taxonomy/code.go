// Package taxonomy holds the controlled vocabularies that positions and
// clinician profiles share, so that jobs and candidates never import each
// other: the NUCC Health Care Provider Taxonomy codes carefit supports and
// the credentials each applies to, credential types, and the enumerations
// both sides of a match are compared on (EHR, care setting, patient
// population, shift, employment type, continuity model, language).
//
// Every list is data in Go source, with no I/O; tests check the NUCC codes
// against the published v25.1 file.
package taxonomy

import "slices"

// Code is a supported NUCC Health Care Provider Taxonomy code.
type Code struct {
	// Code is the 10-character NUCC code, e.g. "207Q00000X".
	Code string `json:"code"`
	// Name is NUCC's display name for the code.
	Name string `json:"name"`
	// Credentials are the credentials whose holders may carry the code.
	Credentials []Credential `json:"credentials"`
}

var (
	physician = []Credential{MD, DO}
	np        = []Credential{NP}
	pa        = []Credential{PA}
	rn        = []Credential{RN}
)

// codes is carefit's table of supported taxonomy codes. Names are NUCC
// v25.1 display names verbatim; TestCodesInNUCC checks both code and name.
//
// 163WA0400X was proposed as "Ambulatory Care RN" but is Addiction
// (Substance Use Disorder) in NUCC; Ambulatory Care is 163WP2201X.
var codes = []Code{
	// Physicians: primary care.
	{"207Q00000X", "Family Medicine Physician", physician},
	{"207QA0505X", "Adult Medicine Physician", physician},
	{"207QG0300X", "Geriatric Medicine (Family Medicine) Physician", physician},
	{"207R00000X", "Internal Medicine Physician", physician},
	{"207RG0300X", "Geriatric Medicine (Internal Medicine) Physician", physician},
	{"208D00000X", "General Practice Physician", physician},
	{"208000000X", "Pediatrics Physician", physician},
	// Physicians: other specialties.
	{"208M00000X", "Hospitalist Physician", physician},
	{"207P00000X", "Emergency Medicine Physician", physician},
	{"2084P0800X", "Psychiatry Physician", physician},
	{"207V00000X", "Obstetrics & Gynecology Physician", physician},
	// Nurse practitioners.
	{"363L00000X", "Nurse Practitioner", np},
	{"363LF0000X", "Family Nurse Practitioner", np},
	{"363LA2200X", "Adult Health Nurse Practitioner", np},
	{"363LP0200X", "Pediatric Nurse Practitioner", np},
	{"363LP0808X", "Psychiatric/Mental Health Nurse Practitioner", np},
	{"363LG0600X", "Gerontology Nurse Practitioner", np},
	{"363LW0102X", "Women's Health Nurse Practitioner", np},
	{"363LA2100X", "Acute Care Nurse Practitioner", np},
	{"363LP2300X", "Primary Care Nurse Practitioner", np},
	// Physician assistants.
	{"363A00000X", "Physician Assistant", pa},
	{"363AM0700X", "Medical Physician Assistant", pa},
	// Registered nurses.
	{"163W00000X", "Registered Nurse", rn},
	{"163WE0003X", "Emergency Registered Nurse", rn},
	{"163WM0705X", "Medical-Surgical Registered Nurse", rn},
	{"163WP0808X", "Psychiatric/Mental Health Registered Nurse", rn},
	{"163WC0200X", "Critical Care Medicine Registered Nurse", rn},
	{"163WP0200X", "Pediatric Registered Nurse", rn},
	{"163WP2201X", "Ambulatory Care Registered Nurse", rn},
	{"163WG0600X", "Gerontology Registered Nurse", rn},
}

var byCode = func() map[string]int {
	m := make(map[string]int, len(codes))
	for i, c := range codes {
		m[c.Code] = i
	}
	return m
}()

func (c Code) clone() Code {
	c.Credentials = slices.Clone(c.Credentials)
	return c
}

// Lookup returns the supported code and whether code is supported. Codes
// are matched exactly (upper case).
func Lookup(code string) (Code, bool) {
	i, ok := byCode[code]
	if !ok {
		return Code{}, false
	}
	return codes[i].clone(), true
}

// Supported returns every supported code in table order. The returned slice
// and its elements are copies.
func Supported() []Code {
	out := make([]Code, len(codes))
	for i, c := range codes {
		out[i] = c.clone()
	}
	return out
}

// AppliesTo reports whether code is supported and may be held by a clinician
// with credential cred.
func AppliesTo(code string, cred Credential) bool {
	i, ok := byCode[code]
	return ok && slices.Contains(codes[i].Credentials, cred)
}

// SpecialtiesReadOnly is the message of a write or import that sets
// specialties, which the server names from the taxonomies.
const SpecialtiesReadOnly = "is read-only: the server names the specialties of taxonomies; set taxonomies"
