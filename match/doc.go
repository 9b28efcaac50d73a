// Package match is carefit's fit engine: which clinicians may be offered a
// position (eligibility), how well each pair fits from both sides (a score
// from 0 to 100 with a reason per factor), and the best pairs for one
// position, one clinician or a whole batch of positions (the planner and
// shards the nightly rematch runs on: tasks/rematch.go). It is pure Go with no
// I/O: callers convert their domain objects into Position and Clinician and
// the package never imports a database, queue, HTTP or search client.
//
// # API
//
//   - Position, Clinician: the feature view scored. Optional facts are
//     pointers (nil = unknown, distinct from zero); Ptr fills them. Clinician
//     has no protected attribute (name, gender, age, …), so neither rules nor
//     fit can use one, directly or by proxy.
//   - Check(p, c, now, opts) Eligibility: eligible or not, with a Reason
//     (Rule, Message) for every failed rule.
//   - Explain(p, c, now, opts) Explanation: score, both sides, and per factor
//     its fit, weight, contribution, missing flag and sentence.
//   - NewIndex(clinicians) *Index, Upsert, Remove, Len: the compact store.
//     (*Index).TopClinicians(p, k, now, opts, filter) []Ranked ranks it.
//   - TopPositions(c, positions, k, now, opts, by) []Ranked: the clinician's
//     view, ordered ByFit (their own side) or ByMutual.
//   - NewPlanner(ix, positions, k, now, opts), PlanShards(n) []Shard,
//     RunShard(ctx, shard, workers), Run(ctx, workers) []Result: the batch.
//
// Time is always passed in (now); there is no global state.
//
// # Eligibility
//
// Eligibility is enforced, never scored (the primer: offers in excluded
// states or roles are the first complaint about today's platforms). A pair
// is eligible when the position is open and unexpired; the clinician's
// credential is accepted; one of their taxonomy codes is accepted; they hold
// a licence valid on the start date (or today, if later) in every licence
// state, where an RN's multistate licence issued by a Nurse Licensure Compact
// state counts in every compact state (geo.NLC) and a physician's compact
// participation counts for nothing; they are available by the start date
// plus Options.AvailabilitySlackDays (a pair eligible only thanks to that
// allowance says so in Eligibility.Notes, and a later date's reason names
// the allowance); the employment type is one they accept;
// and the site is within their maximum commute (DefaultCommuteMiles when
// unstated) or in a state they would move to. Empty accepted lists accept
// anything. A licence with no recorded expiry is taken as valid.
//
// Must-haves are rules too (must.go). A clinician marks a wish a
// must-have with the importance MustHave, a position its wants with
// Position.MustHave; a must-have the pair misses (verdict misses: a fit
// below ½, one fall-off width or more outside the wish) makes the pair
// ineligible, one reason each in the reader's words ("You marked
// follow-up visits of at least 30 minutes as a must-have, and this
// position misses it: follow-up visits are 15 minutes."), rather than
// being averaged away by factors that fit. An unknown fact misses no
// must-have (unknown is not known bad), nor does a fact that does not
// apply; a met must-have weighs as importance 3.
//
// # Fit
//
// Every factor compares one fact with one wish and gives a fit in [0, 1].
// Numeric factors use one shape: 1 inside the wished range and, at distance
// d outside it, falloff(d, w) = 1 / (1 + (d/w)²), so the fit is ½ at one
// width w, ⅕ at two widths, smooth and monotone: moving a fact toward the
// wish never lowers its fit. The rational form keeps a little credit for far
// misses and costs one division. Widths, with the primer facts behind them:
//
//   - panel size, at most N: w = 400 patients, about the gap between a
//     feasible team panel (1,400–1,950, Altschuler 2012) and the average
//     2,300;
//   - new-patient visit, at least N minutes: w = 10, the gap between time
//     given (35) and needed (46) that went with burnout and intent to leave;
//   - follow-up visit: w = 5, the same gap for follow-ups (20 vs 24);
//   - patients a day, at most N: w = 4, one hour of 15-minute visits;
//   - continuity rate, at least N %: w = 15 points;
//   - inbox, at most N messages a week: w = 50 (a heavy inbox goes with
//     burnout; 5.9 of 11.4 hours are spent in the EHR);
//   - medical assistants per clinician, at least N: w = 0.5;
//   - patients per nurse, at most N: w = 1, since each extra patient raised
//     burnout by 23 %;
//   - telehealth share, a range: w = 15 points (the evidence is mixed, so a
//     gentle slope and a low default weight);
//   - call: compared as nights per night worked, 1/N (0 for no call), at
//     most the clinician's 1/N: w = 0.1, so 1-in-4 against "no call" fits 0.14;
//   - days a week, at most N: w = 1; FTE, a range: w = 0.2;
//   - pay: the top of the range (PayMax, else PayMin) against the floor,
//     converted between annual and hourly at HoursPerYear: w = 10 % of the
//     floor;
//   - commute: full fit up to half the maximum commute, then w = the whole
//     maximum (0.8 at the limit); a relocation the clinician offered fits 0.7;
//   - years of experience, at least the position's minimum: w = 2 years.
//
// Categorical factors: continuity model, shift, setting, care model and
// population fit 1 when matched and 0.2 otherwise (an all-ages population
// fits 0.6 for a clinician who asked for one age group); EHR fits 1 if used,
// 0.7 if neither used nor avoided, 0.05 if avoided; scribe wanted but absent
// 0.3; board certification required but not held 0.2; languages fit the
// share of wanted and needed languages spoken; EHR experience 1 if any
// wanted EHR was used, else 0.4.
//
// A fact that is unknown fits 0.5 and is flagged Missing: below any fit
// inside the wished range, so a posting that hides its panel size never
// outranks one that states a good one, but above a known bad fit, because
// unknown is not known bad. A wish that is not stated removes its factor,
// and so does a want or wish that every pair meets (a minimum of zero
// years, minutes, percent or medical assistants; the whole telehealth or
// FTE range): it would carry points for nothing (a position wanting "at
// least 0 years" once carried half of every score on that one want).
//
// A fact that does not exist in the position's setting does not apply
// (applies.go): panel, visit lengths and continuity in a hospital; panel,
// visit lengths, continuity and call in urgent care; call, medical
// assistants and the commute in a telehealth-only role. When the position
// does not state such a fact its factor is dropped, as if the wish were
// not stated, and shown with the reason (verdict not applicable); a
// stated fact is scored wherever it is. A telehealth-only role has no
// commute, so location is no eligibility rule for it (the licence still
// is), and one that states no telehealth share has all visits remote.
//
// # Weights
//
// A factor's weight is its default (DefaultWeight), replaced by the
// organisation's override (Position.Weights) and, on the clinician side,
// multiplied by the clinician's importance 0..3 (1 when unstated). A weight
// of zero removes the factor. Defaults: 1.0 for the factors the primer ties
// to burnout or that decide a move (panel, both visit lengths, patients per
// nurse, pay, and on the employer side experience, board certification and
// languages); 0.8 for patients a day, call, shift and population; 0.6 for
// continuity, EHR, inbox, days, FTE, commute and setting; 0.5 for medical
// assistants, scribe and EHR experience; 0.4 for the continuity model,
// telehealth (mixed evidence) and care model.
//
// # Score
//
// C and E are the weighted mean fits of the clinician side and the employer
// side. The score is the product of the two sides after flooring each at
// ε = 0.05:
//
//	score = 100 · (ε + (1−ε)·C) · (ε + (1−ε)·E)
//
// People read a score as a grade, so a side enters as it is: a job that
// meets half of what the clinician weighs (C = 0.5) from an employer who
// wants nothing reads 52.5, not the 72 that the geometric mean of the two
// sides, √(0.525 · 1), used to show. The product ranks pairs exactly as
// that geometric mean did (it is its square): it rewards both sides and
// lets a poor side pull the score down strongly. A job perfect for the
// clinician (C = 1) that the clinician barely qualifies for (E = 0.25)
// scores 29, below a pair that is fair for both (C = E = 0.6, 38); a side
// that fits not at all caps the score at 100·ε = 5. The floor keeps the
// score strictly increasing in each side: with the plain C·E, one side at
// 0 (say the employer's only want is a language no candidate speaks) made
// every score 0 and the list fell back to ID order; now such candidates
// are still ordered by how well the job fits them. ε = 0.05 is small
// enough that the floor moves the score of a pair whose sides are both 0.5
// or better by at most 2.6 points. Both sides enter alike because the fit
// is mutual: neither side's wishes count more. A side with no weighted
// factor counts as 1, so the score is then the other side alone; with no
// factor at all the score is 0. The score lies in [100·ε², 100] whenever
// a factor is weighed.
//
// Every score comes with a band (band.go): 85 and above excellent, 70 to
// 85 good, 55 to 70 fair, below 55 poor, set from the distribution of
// eligible pairs on the synthetic market (about 15 %, 25 %, 20 % and 40 %
// of them).
//
// A factor's contribution is its points on its side: 100 × w × fit ÷ W,
// where W is the side's total weight. A side's points add up to that side
// (C or E times 100), a better fit never gets fewer points than a worse
// one of the same weight, and the same fit at the same weight is worth the
// same points in every pair that weighs the same factors, so rows can be
// compared factor by factor. The points do not add up to the score, which
// multiplies the sides: no additive split of a product can keep a factor's
// points independent of the other side.
//
// Each factor also carries a verdict a reader takes in without numbers
// (verdict.go): meets (inside the wished range; a commute within the
// limit), misses (a fit below ½, one fall-off width or more outside the
// range, or a category not asked for), close (between), unknown and not
// applicable. Explanation.Strongest and Weakest pick the factors a row
// leads with: those that meet with the most points, and those that lose
// the most points on their side.
//
// # Sentences
//
// Every factor and every failed eligibility rule comes with one sentence in
// the reader's words (Options.Reader): recruiters read about the clinician
// in the third person ("the clinician asked for at least 30 minutes"), and
// a clinician reading their own pair is "you" ("you asked for at least 30
// minutes"). Both halves of a sentence carry their units ("the panel is
// 2,100 patients; you asked for at most 1,800 patients"), a wish with one
// bound reads as that bound ("at least 50%", not "50% to 100%"), one
// language is "it" and two "both" or "neither", and languages the patients
// need read as a need ("Patients here need Spanish"), apart from those the
// employer wants. Values are shown in words, never as codes: languages by
// name (ISO 639-1 "ru" is "Russian"), EHRs as products ("Oracle Health
// (Cerner)", "Veradigm (Allscripts)", "MEDITECH", "athenahealth",
// "eClinicalWorks"), states by name, settings, populations, shifts,
// employment types and continuity models in plain words, specialties by
// their NUCC name and code, dates as "April 1, 2026", and counts with the
// right plural.
//
// # Layout and speed
//
// The Index keeps two fixed-size rows per clinician, in two arrays with the
// same numbering. The hot row (40 bytes) holds what eligibility reads for
// every candidate: credential and employment bits, first available day, the
// home as a unit vector (distances are chord lengths, no trigonometry), the
// squared chord of the maximum commute, the states the clinician would move
// to as a bit set, the reciprocal of the commute chord, and where their
// licences start in one flat slice. The scoring row (one 64-byte cache
// line) is read only for eligible pairs: each wish quantised to one byte
// (panel in steps of 25, minutes, percent, …) with the clinician's
// importance above it (importance<<8 | code), the employer-side facts as
// bytes, languages and EHRs as bit sets, and the reciprocals of the pay
// floors and of the clinician-side weight sum. Most candidates fail on
// distance or licence, so the scan streams 40 bytes per candidate and one
// more line per eligible pair. A must-have sits in the scoring row too: a
// bit above the importance of its wish entry, or a flag for the EHR and
// pay, and a flag byte says whether the row holds any. Only such rows, or
// positions with must-have wants, take the check, against per-plan bit
// sets of the codes that miss, built from the same fits as the tables.
//
// Buckets of row numbers keyed by (credential, taxonomy, licence state) —
// plus a compact pseudo-state for multistate RN licences — give each
// position only the clinicians who can hold it, and rows are stored in
// bucket order so a scan streams memory. Within a bucket a spatial block
// (spatial.go) leaves out the clinicians too far away: its clinicians
// with a home are kept in a grid of quarter-degree cells in tiers by
// commute, and a position reads only each tier's cells within that
// tier's longest commute of it, plus the clinicians with a longer commute
// and those who would move to its state; each eligible row is still
// visited exactly once. The scan loop has the position's
// side of every eligibility test in registers and makes no call until a
// pair is eligible. For each position a pooled plan holds, once, a table of
// importance × weight × fit for each importance and code of each wish,
// filled only up to the largest code any row holds (the tables of
// different wishes are padded apart so they do not share L1 cache sets); a
// pair then costs one load and one add per wish (three instructions), one
// division (shared by the pay and commute fall-offs, which are both
// 1/(1+d²)) and one square root, and its few branches on row data are
// rarely taken. Explain computes the same fits
// from the same functions in float64, so the index's scores agree with
// Explain's to float32 precision.
//
// A position in a setting where facts may not apply reads the row's
// clinician-side weight sum without that setting's factors from a
// parallel array (12 bytes a row, the three settings' sums), so dropping
// them costs one load, not a correction per factor; a fact stated there
// after all, like an organisation's override, corrects the sum by
// importance × weight off the common path.
//
// Upsert and Remove are cheap: a removed row becomes a tombstone and rows
// are compacted once more than half are dead. Reads may run concurrently;
// writes need the caller's lock. The language table holds 63 languages;
// further languages still count as "stated" but cannot be matched.
//
// # Batch
//
// The Planner orders positions by credential, taxonomy and state, so
// neighbours scan the same buckets, and the work grows with the pairs that
// can be eligible. PlanShards(n) cuts that order into n runs of about equal
// estimated work; every worker that builds the same Planner gets the same
// shards, so an asynq task can carry just the shard number. Explanations are
// not built in the batch; call Explain for the pairs that are shown.
package match
