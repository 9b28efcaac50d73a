package app

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"carefit/access"
	"carefit/candidates"
	"carefit/intro"
	"carefit/jobs"
	"carefit/search"
)

// Every field of every domain type that reaches a response has a placement
// in every audience's view: S (shown) or W (withheld). A field added to a
// domain type fails TestEveryFieldIsPlaced until it is placed here, and
// TestViewsFollowPlacements checks each view against the table, so a field
// cannot leak by default.
//
// Profile audiences, in column order: own (the clinician), admin single
// read, admin list, recruiter introduced (an accepted introduction) single
// read, recruiter introduced list (ranked rows and search hits too),
// recruiter seeing the clinician by name without an introduction (any
// read), recruiter seeing the clinician anonymously (any read).
var profilePlacement = map[string]string{
	"ID": "SSSSSSS", "Credential": "SSSSSSS", "Taxonomies": "SSSSSSS", "YearsExperience": "SSSSSSS",
	"Name.Given": "SSSSSSW", "Name.Family": "SSSSSSW", "NPI": "SSSSSSW",
	"Contact.Email": "SSWSWWW", "Contact.Phone": "SSWSWWW",
	"BoardCertifications.Board": "SSSSSSS", "BoardCertifications.Specialty": "SSSSSSS", "BoardCertifications.Expires": "SSSSSSS",
	"Licences.State": "SSSSSSS", "Licences.Number": "SSWSWWW", "Licences.Expires": "SSSSSSS", "Licences.Multistate": "SSSSSSS",
	"Languages": "SSSSSSS", "EHRsUsed": "SSSSSSS", "EHRsAvoid": "SSSSSSS",
	"Home.Lat": "SSSWWWW", "Home.Lng": "SSSWWWW", "Home.State": "SSSSSSS", "Home.PostalCode": "SSSSSSW",
	"MaxCommuteMiles": "SSSSSSS", "WillingToMoveStates": "SSSSSSS", "AvailableFrom": "SSSSSSS", "EmploymentTypes": "SSSSSSS",
	"Schedule.MaxDaysPerWeek": "SSSSSSS", "Schedule.Shifts": "SSSSSSS", "Schedule.FTEMin": "SSSSSSS", "Schedule.FTEMax": "SSSSSSS",
	"PayFloor.Annual": "SSSSSSS", "PayFloor.Hourly": "SSSSSSS",
	"Wishes.PanelMax": "SSSSSSS", "Wishes.VisitMinNew": "SSSSSSS", "Wishes.VisitMinFollowUp": "SSSSSSS",
	"Wishes.PatientsPerDayMax": "SSSSSSS", "Wishes.ContinuityMin": "SSSSSSS", "Wishes.ContinuityModels": "SSSSSSS",
	"Wishes.InboxMax": "SSSSSSS", "Wishes.MAsMin": "SSSSSSS", "Wishes.ScribeWanted": "SSSSSSS", "Wishes.TelehealthMin": "SSSSSSS",
	"Wishes.TelehealthMax": "SSSSSSS", "Wishes.CallMaxOneInN": "SSSSSSS", "Wishes.NoCall": "SSSSSSS", "Wishes.Settings": "SSSSSSS",
	"Wishes.Populations": "SSSSSSS", "Wishes.TeamBasedWanted": "SSSSSSS", "Wishes.PatientsPerNurseMax": "SSSSSSS",
	"Importance": "SSSSSSS", "VisibleToRecruiters": "SSSSSSS", "ConsentUpdatedAt": "SSSSSSS",
	"Version": "SSSSSSS", "CreatedAt": "SSSSSSS", "UpdatedAt": "SSSSSSS",
}

// introPlacement: intro.Introduction's fields; columns: the
// organization's staff (recruiters, admins), the clinician.
var introPlacement = map[string]string{
	"ID": "SS", "OrgID": "SS", "PositionID": "SS", "ProfileID": "SW", "Initiator": "SS", "RequestedByKey": "SW",
	"Message": "SS", "Status": "SS", "Reply": "SS", "CreatedAt": "SS", "ExpiresAt": "SS", "AnsweredAt": "SS",
	"AnsweredByKey": "SW", "RevokedAt": "SS", "RevokedByKey": "SW",
}

// positionFields are jobs.Position's fields; columns: the owning
// organization (and admins), everyone else (published view).
var positionPlacement = map[string]string{
	"ID": "SS", "OrgID": "SS", "LocationID": "SS", "Title": "SS", "Description": "SS", "Credentials": "SS",
	"Taxonomies": "SS", "LicenceStates": "SS", "EmploymentType": "SS", "StartDate": "SS", "DurationWeeks": "SS",
	"Schedule.DaysPerWeek": "SS", "Schedule.Shift": "SS", "Schedule.FTE": "SS",
	"Pay.Min": "SS", "Pay.Max": "SS", "Pay.Period": "SS", "Pay.Currency": "SS",
	"Headcount": "SS", "Status": "SS", "ExpiresAt": "SS",
	"Environment.PanelSize": "SS", "Environment.VisitMinutesNew": "SS", "Environment.VisitMinutesFollowUp": "SS",
	"Environment.PatientsPerDay": "SS", "Environment.ContinuityRate": "SS", "Environment.ContinuityModel": "SS",
	"Environment.EHR": "SS", "Environment.InboxMessagesPerWeek": "SS", "Environment.MAsPerClinician": "SS",
	"Environment.Scribe": "SS", "Environment.TelehealthPct": "SS", "Environment.CallOneInN": "SS",
	"Environment.Setting": "SS", "Environment.Population": "SS", "Environment.LanguagesNeeded": "SS",
	"Environment.TeamBasedCare": "SS", "Environment.SharedDecisionMaking": "SS",
	"Environment.CollaborativePractice": "SS", "Environment.PatientsPerNurse": "SS",
	"Wants.MinYears": "SS", "Wants.BoardCertRequired": "SS", "Wants.LanguagesWanted": "SS", "Wants.EHRExperienceWanted": "SS",
	"Wants.MustHave": "SS",
	"Version":        "SS", "CreatedAt": "SS", "UpdatedAt": "SS",
}

// versionPlacement adds jobs.PositionVersion's own fields (its Position is
// placed by positionPlacement); same columns.
var versionPlacement = map[string]string{"Version": "SS", "ChangedAt": "SS", "ChangedByKey": "SW"}

// organizationPlacement: organizations and their locations reach only their
// own recruiters and admins (organization routes, /v1/me), as stored; one
// column.
var organizationPlacement = map[string]string{
	"ID": "S", "Name": "S", "Kind": "S", "WeightOverrides": "S", "Version": "S", "CreatedAt": "S", "UpdatedAt": "S",
	"Locations.ID": "S", "Locations.Name": "S", "Locations.AddressLine": "S", "Locations.City": "S",
	"Locations.PostalCode": "S", "Locations.State": "S", "Locations.Lat": "S", "Locations.Lng": "S", "Locations.TimeZone": "S",
}

// positionHitPlacement: position search hits are public listings, served
// as indexed to every role; one column.
var positionHitPlacement = map[string]string{
	"ID": "S", "OrgID": "S", "OrgName": "S", "Title": "S", "Description": "S", "Status": "S", "Credentials": "S",
	"Taxonomies": "S", "TaxonomyNames": "S", "LicenceStates": "S", "State": "S", "City": "S", "EmploymentType": "S",
	"Setting": "S", "Population": "S", "EHR": "S", "LanguagesNeeded": "S", "LanguageNames": "S", "PayMin": "S",
	"PayMax": "S", "PayPeriod": "S", "StartDate": "S", "ExpiresAt": "S", "Listed": "S", "Geo.Lat": "S", "Geo.Lng": "S",
	"UpdatedAt": "S",
}

// leaves lists the field paths of t: nested structs (also inside pointers
// and slices) are walked, other types are leaves. time.Time is a leaf.
func leaves(t reflect.Type, prefix string) []string {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == reflect.TypeFor[time.Time]() {
		return []string{prefix}
	}
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		p := f.Name
		if prefix != "" {
			p = prefix + "." + f.Name
		}
		out = append(out, leaves(f.Type, p)...)
	}
	return out
}

func TestEveryFieldIsPlaced(t *testing.T) {
	tests := []struct {
		name    string
		typ     reflect.Type
		table   map[string]string
		columns int
		skip    string // a prefix placed by another table
	}{
		{"candidates.Profile", reflect.TypeFor[candidates.Profile](), profilePlacement, 7, ""},
		{"intro.Introduction", reflect.TypeFor[intro.Introduction](), introPlacement, 2, ""},
		{"jobs.Position", reflect.TypeFor[jobs.Position](), positionPlacement, 2, ""},
		{"jobs.PositionVersion", reflect.TypeFor[jobs.PositionVersion](), versionPlacement, 2, "Position."},
		{"jobs.Organization", reflect.TypeFor[jobs.Organization](), organizationPlacement, 1, ""},
		{"search.PositionDoc", reflect.TypeFor[search.PositionDoc](), positionHitPlacement, 1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			seen := map[string]bool{}
			for _, p := range leaves(tc.typ, "") {
				if tc.skip != "" && strings.HasPrefix(p, tc.skip) {
					continue
				}
				seen[p] = true
				cols, ok := tc.table[p]
				if !ok {
					t.Errorf("%s.%s has no placement: add it to the table with S or W for each audience", tc.name, p)
					continue
				}
				if len(cols) != tc.columns || strings.Trim(cols, "SW") != "" {
					t.Errorf("%s.%s: placement %q, want %d letters S or W", tc.name, p, cols, tc.columns)
				}
			}
			for p := range tc.table {
				if !seen[p] {
					t.Errorf("%s has no field %s any more: remove it from the table", tc.name, p)
				}
			}
		})
	}
}

// filler sets every leaf of a value to a distinct marker and remembers
// which marker each path got, so a view's JSON can be searched for it.
type filler struct {
	n       int
	markers map[string]string // path → text that appears in JSON when shown
}

func (f *filler) fill(v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		f.fill(v.Elem(), path)
		return
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		f.fill(v.Index(0), path)
		return
	case reflect.Struct:
		if v.Type() != reflect.TypeFor[time.Time]() {
			for i := range v.NumField() {
				if fld := v.Type().Field(i); fld.IsExported() {
					p := fld.Name
					if path != "" {
						p = path + "." + fld.Name
					}
					f.fill(v.Field(i), p)
				}
			}
			return
		}
	}
	f.n++
	switch v.Kind() {
	case reflect.String:
		m := fmt.Sprintf("marker-%03d", f.n)
		v.SetString(m)
		f.markers[path] = strconv.Quote(m)
	case reflect.Int, reflect.Int64:
		n := 500000 + f.n
		v.SetInt(int64(n))
		f.markers[path] = strconv.Itoa(n)
	case reflect.Float64:
		x := float64(700000+f.n) + 0.25
		v.SetFloat(x)
		f.markers[path] = strconv.FormatFloat(x, 'f', -1, 64)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		key := fmt.Sprintf("marker-%03d", f.n)
		m.SetMapIndex(reflect.ValueOf(key).Convert(v.Type().Key()), reflect.Zero(v.Type().Elem()))
		v.Set(m)
		f.markers[path] = strconv.Quote(key)
	case reflect.Struct: // time.Time
		v.Set(reflect.ValueOf(time.Date(2000+f.n, 1, 2, 3, 4, 5, 0, time.UTC)))
		f.markers[path] = strconv.Itoa(2000 + f.n)
	}
}

func filled[T any](t *testing.T) (T, map[string]string) {
	t.Helper()
	var v T
	f := &filler{markers: map[string]string{}}
	f.fill(reflect.ValueOf(&v).Elem(), "")
	return v, f.markers
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkPlacements fails when a shown field's marker is missing from got or
// a withheld one is present. Booleans carry no marker and are checked by
// the placement table alone.
func checkPlacements(t *testing.T, view, got string, markers, table map[string]string, col int, prefix string) {
	t.Helper()
	paths := make([]string, 0, len(markers))
	for p := range markers {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		cols, ok := table[strings.TrimPrefix(p, prefix)]
		if !ok || !strings.HasPrefix(p, prefix) {
			continue
		}
		shown := strings.Contains(got, markers[p])
		switch want := cols[col]; {
		case want == 'S' && !shown:
			t.Errorf("%s: %s is placed as shown but is missing from %s", view, p, got)
		case want == 'W' && shown:
			t.Errorf("%s: %s is withheld but appears in the view", view, p)
		}
	}
}

func TestViewsFollowPlacements(t *testing.T) {
	p, markers := filled[candidates.Profile](t)
	own := access.Principal{Role: access.Clinician, ProfileID: p.ID}
	admin := access.Principal{Role: access.Admin}
	rec := access.Principal{Role: access.Recruiter, OrgID: "org"}
	anon := p
	anon.VisibleToRecruiters = false
	profileViews := []struct {
		name string
		who  access.Principal
		p    candidates.Profile
		r    Reading
	}{
		{"own", own, p, Reading{Single: true}}, {"admin single", admin, p, Reading{Single: true}}, {"admin list", admin, p, Reading{}},
		{"recruiter introduced single", rec, anon, Reading{Single: true, Introduced: true}},
		{"recruiter introduced list", rec, anon, Reading{Introduced: true}},
		{"recruiter named", rec, p, Reading{Single: true}},
		{"recruiter anonymous", rec, anon, Reading{Single: true}},
	}
	for col, v := range profileViews {
		view, _ := ProfileFor(v.who, v.p, v.r)
		checkPlacements(t, v.name, mustJSON(t, view), markers, profilePlacement, col, "")
		if v.name == "recruiter anonymous" || v.name == "recruiter named" {
			list := v.r
			list.Single = false
			if lv, _ := ProfileFor(v.who, v.p, list); mustJSON(t, lv) != mustJSON(t, view) {
				t.Errorf("%s: a single read shows more than a list", v.name)
			}
		}
	}

	in, im := filled[intro.Introduction](t)
	checkPlacements(t, "introduction staff", mustJSON(t, staffIntroduction(in, time.Time{})), im, introPlacement, 0, "")
	checkPlacements(t, "introduction clinician", mustJSON(t, clinicianIntroduction(in, time.Time{}, "", nil, nil)), im, introPlacement, 1, "")

	pos, pm := filled[jobs.Position](t)
	owner := access.Principal{Role: access.Recruiter, OrgID: pos.OrgID}
	for col, who := range []access.Principal{owner, own} {
		checkPlacements(t, fmt.Sprint("position column ", col), mustJSON(t, PositionFor(who, pos)), pm, positionPlacement, col, "")
	}
	ver, vm := filled[jobs.PositionVersion](t)
	for col, who := range []access.Principal{{Role: access.Recruiter, OrgID: ver.Position.OrgID}, own} {
		got := mustJSON(t, VersionsFor(who, ver.Position.OrgID, []jobs.PositionVersion{ver}))
		checkPlacements(t, fmt.Sprint("version column ", col), got, vm, versionPlacement, col, "")
		checkPlacements(t, fmt.Sprint("version position column ", col), got, vm, positionPlacement, col, "Position.")
	}
}

// TestPublishedHistoryHasNoDrafts: outside the owning organization, a
// position's history shows no draft and no key.
func TestPublishedHistoryHasNoDrafts(t *testing.T) {
	vs := []jobs.PositionVersion{
		{Version: 1, Position: jobs.Position{OrgID: "o", Status: jobs.StatusDraft}, ChangedByKey: "k1"},
		{Version: 2, Position: jobs.Position{OrgID: "o", Status: jobs.StatusOpen}, ChangedByKey: "k2"},
	}
	got := VersionsFor(access.Principal{Role: access.Clinician}, "o", vs)
	if len(got) != 1 || got[0].(PublishedVersion).Version != 2 {
		t.Fatalf("published history: got %+v, want version 2 only", got)
	}
	if s := mustJSON(t, got); strings.Contains(s, "k2") || strings.Contains(s, "changed_by_key") {
		t.Errorf("published history carries a key: %s", s)
	}
	other := access.Principal{Role: access.Recruiter, OrgID: "another"}
	if n := len(VersionsFor(other, "o", vs)); n != 1 {
		t.Errorf("another organization's recruiter: got %d versions, want 1", n)
	}
	if n := len(VersionsFor(access.Principal{Role: access.Admin}, "o", vs)); n != 2 {
		t.Errorf("admin: got %d versions, want 2", n)
	}
}
