package taxonomy

// Credential is a clinician's licensed profession.
type Credential string

// Credentials carefit places. MD and DO are both physicians and share every
// physician taxonomy code.
const (
	MD Credential = "MD"
	DO Credential = "DO"
	NP Credential = "NP"
	PA Credential = "PA"
	RN Credential = "RN"
)

// Credentials returns every credential in a stable order.
func Credentials() []Credential { return []Credential{MD, DO, NP, PA, RN} }

// Valid reports whether c is a known credential (upper case).
func (c Credential) Valid() bool {
	switch c {
	case MD, DO, NP, PA, RN:
		return true
	}
	return false
}

// Physician reports whether c is MD or DO.
func (c Credential) Physician() bool { return c == MD || c == DO }

// AdvancedPractice reports whether c is NP or PA, the credentials that may
// work under a collaborative practice agreement.
func (c Credential) AdvancedPractice() bool { return c == NP || c == PA }
