package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"carefit/app"
	"carefit/internal/kit/errs"
	kitpage "carefit/internal/kit/page"
	"carefit/jobs"
	"carefit/pipeline"
)

// The recruiters' pages: their organization's positions, a position with
// its ranked candidates, and one pair explained.

type positionsData struct {
	Positions []positionListRow
	Next      string
	// Alerts lists the new strong matches since this key last marked
	// them seen (GET /v1/alerts); Since is that mark.
	Alerts []alertRow
	Since  whenView
	Min    string
}

// positionListRow is one position in the recruiter's list, with its
// placements against its headcount and its strong matches, those new
// since the recruiter last opened its page counted apart.
type positionListRow struct {
	positionRow
	Placed, Strong, New int
	// Visited is the recruiter's last visit of the position's page; zero
	// when they never opened it (every strong match is then new).
	Visited whenView
}

// alertRow is one new strong match: the position and the candidate's
// place, linking to the candidate's page (which shows them as the
// recruiter's view allows).
type alertRow struct {
	PositionID, ClinicianID, Title, Score string
	Rank                                  int
	At                                    whenView
}

// maxAlerts is how many new strong matches the positions page lists.
const maxAlerts = 100

// positionsPage lists the recruiter's organization's positions (the
// app layer scopes the list to it) with each one's summary.
func (s *Server) positionsPage(c echo.Context) error {
	if err := queryParams(c, "cursor"); err != nil {
		return err
	}
	ctx := c.Request().Context()
	page, err := s.app.ListPositions(ctx, caller(c), jobs.PositionFilter{Limit: 50, Cursor: c.QueryParam("cursor")})
	if err != nil {
		return err
	}
	rows := make([]positionRow, 0, len(page.Items))
	ids := make([]string, 0, len(page.Items))
	for _, v := range page.Items {
		r := positionRowOf(v)
		rows, ids = append(rows, r), append(ids, r.ID)
	}
	sums, err := s.app.PositionSummaries(ctx, caller(c), ids)
	if err != nil {
		return err
	}
	alerts, err := s.app.Alerts(ctx, caller(c), maxAlerts)
	if err != nil {
		return err
	}
	d := positionsData{Next: page.NextCursor, Min: strconv.FormatFloat(sums.MinScore, 'f', -1, 64)}
	if alerts.Since != nil {
		d.Since = whenOf(*alerts.Since)
	}
	for _, a := range alerts.Items {
		d.Alerts = append(d.Alerts, alertRow{PositionID: a.PositionID, ClinicianID: a.ClinicianID, Title: a.PositionTitle,
			Score: strconv.FormatFloat(a.Score, 'f', 0, 64), Rank: a.Rank, At: whenOf(a.FirstSeenAt)})
	}
	for _, r := range rows {
		sum := sums.Items[r.ID]
		row := positionListRow{positionRow: r, Placed: sum.Placed, Strong: sum.Strong, New: sum.New}
		if sum.VisitedAt != nil {
			row.Visited = whenOf(*sum.VisitedAt)
		}
		d.Positions = append(d.Positions, row)
	}
	return s.render(c, http.StatusOK, "positions", "Positions", d)
}

// alertsSeenPage marks the recruiter's alerts seen (POST /v1/alerts/seen).
func (s *Server) alertsSeenPage(c echo.Context) error {
	if err := s.app.MarkAlertsSeen(c.Request().Context(), caller(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/positions")
}

type positionData struct {
	Position positionPage
	Filters  candidateFilters
	Rows     []candidateCard
	Total    int
	Next     string
}

// positionDetail shows a position's facts and its ranked candidates; it
// reads the same query as GET /v1/positions/{id}/candidates.
func (s *Server) positionDetail(c echo.Context) error {
	ctx := c.Request().Context()
	pos, _, err := s.app.Position(ctx, caller(c), c.Param("id"))
	if err != nil {
		return err
	}
	q, err := bindCandidates(c)
	if err != nil {
		return err
	}
	page, err := s.app.Candidates(ctx, caller(c), q)
	if err != nil {
		return err
	}
	// The visit is the page being served: the positions list counts the
	// strong matches new since. A failure to record it costs the list a
	// count, not the recruiter this page.
	if err := s.app.VisitPosition(ctx, caller(c), c.Param("id")); err != nil {
		s.log.ErrorContext(ctx, "record a position visit", "err", err, "position", c.Param("id"))
	}
	d := positionData{Position: positionPageOf(pos), Filters: candidateFiltersOf(q, page.Facets), Total: page.Total}
	for _, r := range page.Items {
		d.Rows = append(d.Rows, candidateCardOf(r))
	}
	if page.NextCursor != "" {
		d.Next = withCursor(c.QueryParams(), page.NextCursor)
	}
	return s.render(c, http.StatusOK, "position", d.Position.Title, d)
}

type candidateData struct {
	Position  positionRow
	Candidate candidateCard
	States    []pipelineOption
	Entry     *app.PipelinePair
	// History is the pair's pipeline changes, newest first.
	History []historyRow
	// Introductions are the organization's introductions with the
	// clinician about this position, newest first.
	Introductions []pairIntroduction
	Notice        string
}

// candidatePage explains one pair, eligible or not, with the pipeline
// and introduction forms; contact details show only where the view
// carries them (after an accepted introduction).
func (s *Server) candidatePage(c echo.Context) error {
	if err := queryParams(c, "done"); err != nil {
		return err
	}
	ctx := c.Request().Context()
	pos, _, err := s.app.Position(ctx, caller(c), c.Param("id"))
	if err != nil {
		return err
	}
	row, err := s.app.Explain(ctx, caller(c), c.Param("id"), c.Param("clinician_id"))
	if err != nil {
		return err
	}
	d := candidateData{Position: positionRowOf(pos), Candidate: candidateCardOf(row), Notice: notices[c.QueryParam("done")]}
	intros, err := s.app.Introductions(ctx, caller(c), app.IntroductionQuery{PositionID: c.Param("id"), Limit: kitpage.MaxLimit})
	if err != nil {
		return err
	}
	var keys keyNames
	d.Introductions, keys = pairIntroductions(intros.Items, c.Param("clinician_id"), principal(c).KeyID)
	pair, err := s.app.PipelinePairOf(ctx, caller(c), c.Param("id"), c.Param("clinician_id"))
	switch {
	case err == nil:
		d.Entry = &pair
		d.States = pipelineOptions(pair.State)
		d.History = historyOf(pair.History, keys)
	case errs.KindOf(err) == errs.NotFound:
		d.States = pipelineOptions("")
	default:
		return err
	}
	return s.render(c, http.StatusOK, "candidate", d.Candidate.Name, d)
}

// notices are the confirmations a form's redirect asks for.
var notices = map[string]string{
	"pipeline":     "Saved to the pipeline.",
	"introduction": "Introduction requested: the clinician decides.",
}

func candidatePath(c echo.Context) string {
	return "/positions/" + url.PathEscape(c.Param("id")) + "/candidates/" + url.PathEscape(c.Param("clinician_id"))
}

// setPipelinePage records the pair's pipeline state and note.
func (s *Server) setPipelinePage(c echo.Context) error {
	state := pipeline.State(c.FormValue("state"))
	if !state.Valid() {
		return unprocessable("choose a pipeline state", FieldError{Path: "state", Message: "must be one of the listed states"})
	}
	_, _, err := s.app.SetPipeline(c.Request().Context(), caller(c), app.PipelineChange{PositionID: c.Param("id"),
		ClinicianID: c.Param("clinician_id"), State: state, Note: formText(c, "note")})
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, candidatePath(c)+"?done=pipeline")
}

// requestIntroductionPage asks the clinician for an introduction.
func (s *Server) requestIntroductionPage(c echo.Context) error {
	_, err := s.app.RequestIntroduction(c.Request().Context(), caller(c), app.IntroductionRequest{
		PositionID: c.Param("id"), ClinicianID: c.Param("clinician_id"), Message: formText(c, "message")})
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, candidatePath(c)+"?done=introduction")
}

// formText is a form's text field with the browser's CRLF line breaks
// made LF, as an API client sends them.
func formText(c echo.Context, name string) string {
	return strings.ReplaceAll(c.FormValue(name), "\r\n", "\n")
}
