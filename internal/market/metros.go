package market

import "fmt"

// metro is a US metropolitan area where the generated market places
// employers and clinicians. Coordinates are the city centres; weights are
// rough relative populations so large markets get more postings. Zip3 is
// the range of the metro's three-digit ZIP Code prefixes (USPS, the
// National Five-Digit ZIP Code and Post Office Directory), so a postal
// code belongs to the metro's state.
type metro struct {
	City, State, TimeZone string
	Lat, Lng              float64
	Weight                int
	Zip3                  [2]int
}

var metros = []metro{
	{"New York", "NY", "America/New_York", 40.7128, -74.0060, 190, [2]int{100, 104}},
	{"Los Angeles", "CA", "America/Los_Angeles", 34.0522, -118.2437, 130, [2]int{900, 908}},
	{"Chicago", "IL", "America/Chicago", 41.8781, -87.6298, 95, [2]int{606, 608}},
	{"Dallas", "TX", "America/Chicago", 32.7767, -96.7970, 75, [2]int{750, 753}},
	{"Houston", "TX", "America/Chicago", 29.7604, -95.3698, 71, [2]int{770, 772}},
	{"Washington", "DC", "America/New_York", 38.9072, -77.0369, 63, [2]int{200, 200}},
	{"Philadelphia", "PA", "America/New_York", 39.9526, -75.1652, 62, [2]int{190, 191}},
	{"Miami", "FL", "America/New_York", 25.7617, -80.1918, 61, [2]int{330, 331}},
	{"Atlanta", "GA", "America/New_York", 33.7490, -84.3880, 60, [2]int{300, 303}},
	{"Boston", "MA", "America/New_York", 42.3601, -71.0589, 49, [2]int{21, 22}},
	{"Phoenix", "AZ", "America/Phoenix", 33.4484, -112.0740, 48, [2]int{850, 853}},
	{"San Francisco", "CA", "America/Los_Angeles", 37.7749, -122.4194, 47, [2]int{940, 941}},
	{"Riverside", "CA", "America/Los_Angeles", 33.9533, -117.3962, 46, [2]int{924, 925}},
	{"Detroit", "MI", "America/Detroit", 42.3314, -83.0458, 43, [2]int{480, 482}},
	{"Seattle", "WA", "America/Los_Angeles", 47.6062, -122.3321, 40, [2]int{980, 981}},
	{"Minneapolis", "MN", "America/Chicago", 44.9778, -93.2650, 37, [2]int{553, 555}},
	{"San Diego", "CA", "America/Los_Angeles", 32.7157, -117.1611, 33, [2]int{919, 921}},
	{"Tampa", "FL", "America/New_York", 27.9506, -82.4572, 32, [2]int{335, 336}},
	{"Denver", "CO", "America/Denver", 39.7392, -104.9903, 30, [2]int{800, 802}},
	{"Baltimore", "MD", "America/New_York", 39.2904, -76.6122, 28, [2]int{210, 212}},
	{"St. Louis", "MO", "America/Chicago", 38.6270, -90.1994, 28, [2]int{630, 631}},
	{"Orlando", "FL", "America/New_York", 28.5383, -81.3792, 27, [2]int{327, 328}},
	{"Charlotte", "NC", "America/New_York", 35.2271, -80.8431, 27, [2]int{280, 282}},
	{"San Antonio", "TX", "America/Chicago", 29.4241, -98.4936, 26, [2]int{780, 782}},
	{"Portland", "OR", "America/Los_Angeles", 45.5152, -122.6784, 25, [2]int{970, 972}},
	{"Sacramento", "CA", "America/Los_Angeles", 38.5816, -121.4944, 24, [2]int{956, 958}},
	{"Pittsburgh", "PA", "America/New_York", 40.4406, -79.9959, 23, [2]int{150, 152}},
	{"Austin", "TX", "America/Chicago", 30.2672, -97.7431, 23, [2]int{786, 787}},
	{"Las Vegas", "NV", "America/Los_Angeles", 36.1699, -115.1398, 23, [2]int{889, 891}},
	{"Cincinnati", "OH", "America/New_York", 39.1031, -84.5120, 22, [2]int{450, 452}},
	{"Kansas City", "MO", "America/Chicago", 39.0997, -94.5786, 22, [2]int{640, 641}},
	{"Columbus", "OH", "America/New_York", 39.9612, -82.9988, 21, [2]int{430, 432}},
	{"Indianapolis", "IN", "America/Indiana/Indianapolis", 39.7684, -86.1581, 21, [2]int{460, 462}},
	{"Cleveland", "OH", "America/New_York", 41.4993, -81.6944, 20, [2]int{440, 441}},
	{"Nashville", "TN", "America/Chicago", 36.1627, -86.7816, 20, [2]int{370, 372}},
	{"Virginia Beach", "VA", "America/New_York", 36.8529, -75.9780, 18, [2]int{233, 234}},
	{"Milwaukee", "WI", "America/Chicago", 43.0389, -87.9065, 16, [2]int{530, 532}},
	{"Jacksonville", "FL", "America/New_York", 30.3322, -81.6557, 16, [2]int{320, 322}},
	{"Oklahoma City", "OK", "America/Chicago", 35.4676, -97.5164, 14, [2]int{730, 731}},
	{"Raleigh", "NC", "America/New_York", 35.7796, -78.6382, 14, [2]int{275, 276}},
	{"Memphis", "TN", "America/Chicago", 35.1495, -90.0490, 13, [2]int{380, 381}},
	{"Louisville", "KY", "America/New_York", 38.2527, -85.7585, 13, [2]int{400, 402}},
	{"Salt Lake City", "UT", "America/Denver", 40.7608, -111.8910, 13, [2]int{840, 841}},
	{"New Orleans", "LA", "America/Chicago", 29.9511, -90.0715, 10, [2]int{700, 701}},
	{"Albuquerque", "NM", "America/Denver", 35.0844, -106.6504, 9, [2]int{870, 871}},
	{"Omaha", "NE", "America/Chicago", 41.2565, -95.9345, 10, [2]int{680, 681}},
	{"Boise", "ID", "America/Boise", 43.6150, -116.2023, 8, [2]int{836, 837}},
	{"Des Moines", "IA", "America/Chicago", 41.5868, -93.6250, 7, [2]int{500, 503}},
	{"Little Rock", "AR", "America/Chicago", 34.7465, -92.2896, 7, [2]int{720, 722}},
	{"Charleston", "WV", "America/New_York", 38.3498, -81.6326, 3, [2]int{250, 253}},
	{"Portland", "ME", "America/New_York", 43.6591, -70.2568, 5, [2]int{40, 41}},
	{"Anchorage", "AK", "America/Anchorage", 61.2181, -149.9003, 4, [2]int{995, 995}},
	{"Honolulu", "HI", "Pacific/Honolulu", 21.3069, -157.8583, 10, [2]int{967, 968}},
	{"Billings", "MT", "America/Denver", 45.7833, -108.5007, 2, [2]int{590, 591}},
	{"Fargo", "ND", "America/Chicago", 46.8772, -96.7898, 2, [2]int{580, 581}},
	{"Sioux Falls", "SD", "America/Chicago", 43.5446, -96.7311, 3, [2]int{570, 571}},
	{"Burlington", "VT", "America/New_York", 44.4759, -73.2121, 2, [2]int{54, 54}},
	{"Cheyenne", "WY", "America/Denver", 41.1400, -104.8202, 1, [2]int{820, 820}},
	{"San Juan", "PR", "America/Puerto_Rico", 18.4655, -66.1057, 5, [2]int{9, 9}},
}

// postalCode draws a five-digit postal code of the metro: one of its
// three-digit prefixes and two more digits.
func (g *gen) postalCode(m metro) string {
	prefix := m.Zip3[0] + g.r.IntN(m.Zip3[1]-m.Zip3[0]+1)
	return fmt.Sprintf("%03d%02d", prefix, 1+g.r.IntN(99))
}
