package jobs_test

import (
	"encoding/json"
	"testing"

	"carefit/internal/kit/domaintest"
	"carefit/internal/kit/factor"
	"carefit/jobs"
	"carefit/jobs/jobstest"
)

func TestPositionPatchRejectsUnpatchable(t *testing.T) {
	for _, body := range []string{`{"status":"open"}`, `{"version":3}`, `{"id":"x"}`, `{"environment":{"panelsize":3}}`} {
		t.Run(body, func(t *testing.T) { domaintest.CheckRejected(t, body, &jobs.PositionPatch{}) })
	}
}

func TestPositionPatchEncodeOmitsAbsent(t *testing.T) {
	var pp jobs.PositionPatch
	if err := domaintest.DecodeStrict(`{"environment":{"ehr":null,"panel_size":1500}}`, &pp); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(pp)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"environment":{"panel_size":1500,"ehr":null}}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestPositionPatchApply(t *testing.T) {
	// A row's func edits jobstest.Position into the expected result; its
	// last argument is the rejected member, "" for none.
	check := domaintest.Patching(t, jobstest.Position, jobs.PositionPatch.Apply)
	check("empty keeps everything", `{}`, func(p *jobs.Position) {}, "")
	check("absent fact unchanged", `{"environment":{}}`, func(p *jobs.Position) {}, "")
	check("null fact becomes unknown", `{"environment":{"panel_size":null}}`, func(p *jobs.Position) {
		p.Environment.PanelSize = nil
	}, "")
	check("zero fact is known zero", `{"environment":{"panel_size":0,"scribe":true}}`, func(p *jobs.Position) {
		p.Environment.PanelSize = ptr(0)
		p.Environment.Scribe = ptr(true)
	}, "")
	check("null environment clears all", `{"environment":null}`, func(p *jobs.Position) {
		p.Environment = jobs.Environment{}
	}, "")
	check("title set", `{"title":"Lead Physician"}`, func(p *jobs.Position) { p.Title = "Lead Physician" }, "")
	check("title null rejected", `{"title":null}`, func(p *jobs.Position) {}, "title")
	check("description null empties", `{"description":null}`, func(p *jobs.Position) { p.Description = "" }, "")
	check("pay merges", `{"pay":{"max":320000}}`, func(p *jobs.Position) { p.Pay.Max = 320000 }, "")
	check("pay null rejected", `{"pay":null}`, func(p *jobs.Position) {}, "pay")
	check("pay.min null rejected", `{"pay":{"min":null}}`, func(p *jobs.Position) {}, "pay.min")
	check("schedule merges", `{"schedule":{"shift":"night"}}`, func(p *jobs.Position) { p.Schedule.Shift = "night" }, "")
	check("expires null", `{"expires_at":null}`, func(p *jobs.Position) { p.ExpiresAt = nil }, "")
	check("wants null", `{"wants":null}`, func(p *jobs.Position) { p.Wants = jobs.Wants{} }, "")
	check("wants min years", `{"wants":{"min_years":5}}`, func(p *jobs.Position) { p.Wants.MinYears = ptr(5) }, "")
	check("taxonomies replace", `{"taxonomies":["207R00000X"]}`, func(p *jobs.Position) {
		p.Taxonomies = []string{"207R00000X"}
	}, "")
}

func TestOrganizationPatchApply(t *testing.T) {
	check := domaintest.Patching(t, jobstest.Org, jobs.OrganizationPatch.Apply)
	check("rename", `{"name":"New Name"}`, func(o *jobs.Organization) { o.Name = "New Name" }, "")
	check("kind null rejected", `{"kind":null}`, func(o *jobs.Organization) {}, "kind")
	check("overrides null clears", `{"weight_overrides":null}`, func(o *jobs.Organization) { o.WeightOverrides = nil }, "")
	check("overrides replace", `{"weight_overrides":{"pay":2}}`, func(o *jobs.Organization) {
		o.WeightOverrides = map[factor.Name]float64{factor.Pay: 2}
	}, "")
}
