package market

import (
	"math"

	"carefit/candidates"
	"carefit/internal/kit/taxonomy"
	"carefit/jobs"
)

// Pay, from the U.S. Bureau of Labor Statistics, Occupational Employment
// and Wage Statistics (OEWS), May 2023 national estimates
// (https://www.bls.gov/oes/current/oes_nat.htm), rounded:
//
//   - registered nurses (29-1141): median $41.38 an hour ($86,070 a year),
//     90th percentile about $63 an hour;
//   - nurse practitioners (29-1171): median $60.78 an hour ($126,260);
//   - physician assistants (29-1071): median $62.37 an hour ($130,020);
//   - physicians, mean annual wages: family medicine (29-1215) about
//     $255,000, general internal medicine (29-1216) about $242,000,
//     general pediatrics (29-1221) about $206,000, emergency medicine
//     (29-1214) about $311,000, psychiatry (29-1223) about $257,000,
//     obstetrics and gynecology (29-1218) about $277,000, physicians all
//     other, hospitalists among them (29-1229), about $239,000.
//
// OEWS covers employees, so locum tenens, travel and per-diem work, which
// the survey does not separate, is modelled at a premium over the
// employed hourly rate (annual ÷ 2,080 hours): 30 % for physicians, NPs
// and PAs, 40 % for travel nurses, 15 % for per-diem nurses. Those
// premiums are the generator's assumption, not BLS figures.
const (
	rnHourly  = 41.38
	rnHourP90 = 63.0
	npAnnual  = 126260.0
	paAnnual  = 130020.0
)

// physicianAnnual is the BLS mean annual wage of the physicians a role
// hires, by the role's first taxonomy code.
var physicianAnnual = map[string]float64{
	"207Q00000X": 255000, // family medicine
	"207R00000X": 242000, // internal medicine
	"208000000X": 206000, // pediatrics
	"208M00000X": 239000, // hospitalist (physicians, all other)
	"207P00000X": 311000, // emergency medicine
	"2084P0800X": 257000, // psychiatry
	"207V00000X": 277000, // obstetrics and gynecology
}

// annualBase is the typical employed annual pay of a role's clinicians.
func annualBase(ro role) float64 {
	switch ro.creds[0] {
	case taxonomy.NP:
		return npAnnual
	case taxonomy.PA:
		return paAnnual
	case taxonomy.RN:
		return rnHourly * hoursPerYear
	}
	if v, ok := physicianAnnual[ro.codes[0]]; ok {
		return v
	}
	return 240000
}

const hoursPerYear = 2080

// setPay draws the pay range of p: annual for permanent physician, NP and
// PA roles, hourly for nurses and for locum, travel and per-diem work, in
// each case spread about the role's typical pay.
func (g *gen) setPay(p *jobs.Position, ro role, rn bool) {
	base := annualBase(ro)
	if !rn && p.EmploymentType == taxonomy.EmploymentPermanent {
		lo := math.Round(g.normal(base, base*0.1, base*0.7, base*1.5)/1000) * 1000
		p.Pay = jobs.Pay{Min: lo, Max: lo + float64(10+g.r.IntN(40))*1000, Period: jobs.PayAnnual, Currency: jobs.CurrencyUSD}
		return
	}
	hourly, premium := base/hoursPerYear, 1.3
	switch {
	case rn && p.EmploymentType == taxonomy.EmploymentTravel:
		premium = 1.4
	case rn && p.EmploymentType == taxonomy.EmploymentPerDiem:
		premium = 1.15
	case rn:
		premium = 1
	}
	mean := hourly * premium
	hi := mean * 1.4
	if rn {
		hi = rnHourP90 * premium
	}
	lo := math.Round(g.normal(mean, mean*0.1, mean*0.7, hi))
	p.Pay = jobs.Pay{Min: lo, Max: lo + math.Round(mean*(0.05+0.1*g.r.Float64())), Period: jobs.PayHourly, Currency: jobs.CurrencyUSD}
}

// payFloor draws the least pay a clinician of cred accepts (half of them
// state one), a little under the credential's typical pay so that most
// postings meet it: annual for physicians and NPs, hourly for PAs and
// nurses.
func (g *gen) payFloor(cred taxonomy.Credential) candidates.PayFloor {
	thousands := func(v float64) float64 { return math.Round(v/1000) * 1000 }
	switch cred {
	case taxonomy.RN:
		return candidates.PayFloor{Hourly: known(g, 0.5, math.Round(g.normal(rnHourly*0.95, 5, 28, 60)))}
	case taxonomy.PA:
		return candidates.PayFloor{Hourly: known(g, 0.5, math.Round(g.normal(paAnnual/hoursPerYear*0.92, 6, 40, 85)))}
	case taxonomy.NP:
		return candidates.PayFloor{Annual: known(g, 0.5, thousands(g.normal(npAnnual*0.9, 14000, 80000, 180000)))}
	}
	return candidates.PayFloor{Annual: known(g, 0.5, thousands(g.normal(225000, 40000, 120000, 400000)))}
}
