package match

// Band is what a score means, in a word shown with every score: people
// read a score as a grade, and the band says which.
type Band string

// Bands and their lower bounds. They were set from the distribution of
// the scores of every eligible pair on the synthetic market
// (internal/market; 3,000 positions and 30,000 clinicians, seed 42):
// median 63, quartiles 36 and 78.5, 90th percentile 88. About the best
// 15 % of eligible pairs are excellent (85 and above), the next quarter
// good (70 to 85), a fifth fair (55 to 70), and the rest, some 40 %, poor:
// eligible, but a weak fit. TestBandsFollowTheMarket fails when the engine
// or the market moves the shares far from these.
const (
	Excellent Band = "excellent"
	Good      Band = "good"
	Fair      Band = "fair"
	Poor      Band = "poor"

	ExcellentFrom = 85.0
	GoodFrom      = 70.0
	FairFrom      = 55.0
)

// BandOf returns the band of a score from 0 to 100.
func BandOf(score float64) Band {
	switch {
	case score >= ExcellentFrom:
		return Excellent
	case score >= GoodFrom:
		return Good
	case score >= FairFrom:
		return Fair
	}
	return Poor
}
