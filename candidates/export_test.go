package candidates

// The fast decoder's internals, for its external tests.
var (
	DecodeProfileFast = decodeProfileFast
	NumberLen         = numberLen
	ProfileShadow     = profileShadow
)
