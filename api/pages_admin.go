package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"carefit/internal/kit/errs"
)

// The operators' pages: rematch runs with their live progress and change
// counts, and the button that starts one.

type runsData struct {
	Runs     []runView
	Services []serviceView
	Queues   string
}

// serviceView is one dependency's readiness on the operators' page.
type serviceView struct {
	Name, Status, Detail string
}

// servicesOf shows each readiness probe's answer as /readyz gives it,
// with its detail (the migration version, the feature store's lag) in
// words, sorted by name.
func servicesOf(states map[string]checkState) []serviceView {
	out := make([]serviceView, 0, len(states))
	for name, st := range states {
		v := serviceView{Name: strings.ReplaceAll(name, "_", " "), Status: st.Status, Detail: detailText(st.Detail)}
		if st.Error != "" {
			v.Detail = strings.TrimSpace(v.Detail + " " + st.Error)
		}
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// detailText writes a probe's detail as "key: value" pairs.
func detailText(d any) string {
	if d == nil {
		return ""
	}
	b, err := json.Marshal(d)
	if err != nil {
		return ""
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return strings.Trim(string(b), `"`)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %v", strings.ReplaceAll(k, "_", " "), m[k]))
	}
	return strings.Join(parts, ", ")
}

// runsPage lists the latest rematch runs.
func (s *Server) runsPage(c echo.Context) error {
	if err := queryParams(c); err != nil {
		return err
	}
	runs, err := s.app.Runs(c.Request().Context(), 20, 0)
	if err != nil {
		return err
	}
	states, _ := runChecks(c.Request().Context(), s.checks)
	d := runsData{Queues: QueuesPath, Services: servicesOf(states)}
	for _, r := range runs {
		d.Runs = append(d.Runs, runViewOf(r))
	}
	return s.render(c, http.StatusOK, "runs", "Rematch runs", d)
}

// startRunPage starts a rematch run and shows the runs, the new one first.
func (s *Server) startRunPage(c echo.Context) error {
	if _, err := s.app.StartRun(c.Request().Context(), caller(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/runs")
}

// runProgress answers one run's progress as JSON for the page's script,
// which updates the progress bar while the run is active.
func (s *Server) runProgress(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return fail(errs.NotFound, "no such run")
	}
	r, err := s.app.Run(c.Request().Context(), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, runViewOf(r))
}
