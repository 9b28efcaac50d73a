package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"carefit/internal/kit/errs"
)

// The operators' pages: rematch runs with their live progress and change
// counts, and the button that starts one.

type runsData struct {
	Runs   []runView
	Queues string
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
	d := runsData{Queues: QueuesPath}
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
