package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"carefit/app"
	"carefit/candidates"
	"carefit/internal/kit/errs"
	"carefit/internal/kit/factor"
)

// The clinician's profile form: their wishes, commute and the importance
// of each of their factors. A save builds the JSON merge patch an API
// client would send to PATCH /v1/profiles/{id}, decodes it as strictly,
// and writes it through the same store call, so the form validates
// exactly as the API does; each field error is shown next to its field.

// wishField is one number in the form: its patch path and label.
type wishField struct {
	Path, Label, Hint string
	Float             bool
}

// wishFields are the form's numbers, in the order shown.
var wishFields = []wishField{
	{Path: "wishes.panel_max", Label: "Largest panel", Hint: "patients, 0 to 6,000"},
	{Path: "wishes.visit_min_new", Label: "Shortest new-patient visit", Hint: "minutes, 5 to 120"},
	{Path: "wishes.visit_min_follow_up", Label: "Shortest follow-up visit", Hint: "minutes, 5 to 120"},
	{Path: "wishes.patients_per_day_max", Label: "Most patients a day", Hint: "0 to 80"},
	{Path: "wishes.continuity_min", Label: "Lowest continuity", Hint: "percent of visits with your own patients, 0 to 100", Float: true},
	{Path: "wishes.inbox_max", Label: "Most inbox messages a week", Hint: "0 to 2,000"},
	{Path: "wishes.call_max_one_in_n", Label: "Call no more often than 1 in", Hint: "nights, 1 to 30"},
	{Path: "max_commute_miles", Label: "Longest commute", Hint: "miles"},
}

// fieldView is a form field with its value and error.
type fieldView struct {
	wishField
	ID, Value, Error string
}

// importanceView is one factor's importance select and, for factors that
// can be one, its must-have checkbox.
type importanceView struct {
	ID, Name, Label, Error string
	Options                []importanceOption
	// CanMust is false for the place, which cannot be a must-have (the
	// commute and the states to move to are already rules).
	CanMust          bool
	MustID, MustName string
	Must             bool
}

// importanceOption is one weight a factor can have, in words.
type importanceOption struct {
	Value, Label string
	Selected     bool
}

// importanceWords name the weights 0 to 3; the engine weighs an unstated
// factor as 1.
var importanceWords = []string{"0 · not at all", "1 · some", "2 · much", "3 · a lot"}

type profileData struct {
	Name       string // empty when the form is shown again with errors
	Version    int
	Fields     []fieldView
	Importance []importanceView
	Problem    string
	Saved      bool
}

// mustPath is the form name of a factor's must-have checkbox.
func mustPath(n factor.Name) string { return "must." + string(n) }

func fieldID(path string) string { return "f-" + strings.ReplaceAll(path, ".", "-") }

// profileValues reads the form's values from a profile.
func profileValues(p app.FullProfile) map[string]string {
	w := p.Wishes
	v := map[string]string{"max_commute_miles": strconv.Itoa(p.MaxCommuteMiles)}
	ints := map[string]*int{"wishes.panel_max": w.PanelMax, "wishes.visit_min_new": w.VisitMinNew,
		"wishes.visit_min_follow_up": w.VisitMinFollowUp, "wishes.patients_per_day_max": w.PatientsPerDayMax,
		"wishes.inbox_max": w.InboxMax, "wishes.call_max_one_in_n": w.CallMaxOneInN}
	for k, n := range ints {
		if n != nil {
			v[k] = strconv.Itoa(*n)
		}
	}
	if w.ContinuityMin != nil {
		v["wishes.continuity_min"] = strconv.FormatFloat(*w.ContinuityMin, 'f', -1, 64)
	}
	for name, n := range p.Importance {
		if n == candidates.MustHave {
			// A met must-have weighs as the highest importance.
			v["importance."+string(name)], v[mustPath(name)] = strconv.Itoa(candidates.MustHave-1), "1"
			continue
		}
		v["importance."+string(name)] = strconv.Itoa(n)
	}
	return v
}

// profileForm is the form with values and errors by patch path.
func profileForm(name string, version int, values, problems map[string]string) profileData {
	d := profileData{Name: name, Version: version}
	for _, f := range wishFields {
		d.Fields = append(d.Fields, fieldView{wishField: f, ID: fieldID(f.Path), Value: values[f.Path], Error: problems[f.Path]})
	}
	for _, n := range factor.Names(factor.Clinician) {
		path := "importance." + string(n)
		iv := importanceView{ID: fieldID(path), Name: path, Label: factorLabel(string(n)), Error: problems[path],
			CanMust: n != factor.Place, MustID: fieldID(mustPath(n)), MustName: mustPath(n), Must: values[mustPath(n)] != ""}
		for i, words := range importanceWords {
			s := strconv.Itoa(i)
			iv.Options = append(iv.Options, importanceOption{Value: s, Label: words, Selected: values[path] == s})
		}
		d.Importance = append(d.Importance, iv)
	}
	return d
}

// profilePage shows the clinician's own profile form.
func (s *Server) profilePage(c echo.Context) error {
	if err := queryParams(c, "saved"); err != nil {
		return err
	}
	view, version, err := s.app.Profile(c.Request().Context(), caller(c), principal(c).ProfileID)
	if err != nil {
		return err
	}
	p, ok := view.(app.FullProfile)
	if !ok {
		return errs.E("api.pages", errs.Internal, "a clinician's own profile is not a full view")
	}
	d := profileForm(personName(p.Name), version, profileValues(p), nil)
	d.Saved = c.QueryParam("saved") != ""
	return s.render(c, http.StatusOK, "profile", "Your profile and wishes", d)
}

// saveProfile patches the profile from the form; invalid values render
// the form again with each error next to its field.
func (s *Server) saveProfile(c echo.Context) error {
	values := map[string]string{}
	form, _ := c.FormParams()
	for k, vs := range form {
		if len(vs) > 0 && k != csrfField {
			values[k] = strings.TrimSpace(vs[0])
		}
	}
	version, _ := strconv.Atoi(values["version"])
	body, problems := profilePatchBody(values)
	var patch candidates.ProfilePatch
	var err error = errs.E("api.pages", errs.Invalid, "some values are not numbers")
	if len(problems) == 0 {
		if err = decodeBytes(body, &patch); err == nil {
			_, err = s.cands.PatchProfile(c.Request().Context(), principal(c).ProfileID, version, patch)
		}
	}
	if err == nil {
		s.changed(c)
		return c.Redirect(http.StatusSeeOther, "/profile?saved=1")
	}
	if k := errs.KindOf(err); k != errs.Invalid && k != errs.Malformed {
		return err
	}
	if problems == nil {
		problems = map[string]string{}
	}
	for _, f := range errs.Fields(err) {
		problems[f.Path] = f.Message
	}
	d := profileForm("", version, values, problems)
	d.Problem = "Some values are not valid: see the fields marked."
	if len(problems) == 0 {
		d.Problem = errs.Message(err) // a rule across fields, named by no one field
	}
	return s.render(c, http.StatusUnprocessableEntity, "profile", "Your profile and wishes", d)
}

// profilePatchBody builds the merge patch from the form: an empty number
// clears the wish (null); text that is not a number is a field error.
func profilePatchBody(values map[string]string) ([]byte, map[string]string) {
	problems := map[string]string{}
	wishes, importance := map[string]any{}, map[string]any{}
	body := map[string]any{"wishes": wishes, "importance": importance}
	for _, f := range wishFields {
		v, ok := numberOf(values[f.Path], f.Float)
		if !ok {
			problems[f.Path] = "must be a number"
			continue
		}
		if key, isWish := strings.CutPrefix(f.Path, "wishes."); isWish {
			wishes[key] = v
		} else if v != nil {
			body[f.Path] = v
		}
	}
	for _, n := range factor.Names(factor.Clinician) {
		path := "importance." + string(n)
		v, ok := numberOf(values[path], false)
		switch {
		case !ok:
			problems[path] = "must be a number"
		case values[mustPath(n)] != "":
			// The toggle marks a must-have, whatever the weight says: the
			// API's importance 4.
			importance[string(n)] = candidates.MustHave
		case v != nil:
			importance[string(n)] = v
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	b, _ := json.Marshal(body)
	return b, nil
}

// numberOf reads a form number; empty is nil (null in the patch).
func numberOf(s string, float bool) (any, bool) {
	if s == "" {
		return nil, true
	}
	if float {
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}
