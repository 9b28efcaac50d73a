package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// startRun records a rematch of every open position and queues it:
// 202 with the run, which GET /v1/rematch-runs/{id} follows.
func (s *Server) startRun(c echo.Context) error {
	if err := queryParams(c); err != nil {
		return err
	}
	run, err := s.app.StartRun(c.Request().Context(), caller(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/rematch-runs/"+strconv.FormatInt(run.ID, 10))
	return c.JSON(http.StatusAccepted, run)
}

// listRuns lists rematch runs, newest first.
func (s *Server) listRuns(c echo.Context) error {
	if err := queryParams(c, "limit", "before"); err != nil {
		return err
	}
	limit, err := limitParam(c, 20)
	if err != nil {
		return err
	}
	before, err := intParam(c, "before")
	if err != nil {
		return err
	}
	runs, err := s.app.Runs(c.Request().Context(), limit, int64(before))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": runs})
}

// getRun shows one run's state and progress.
func (s *Server) getRun(c echo.Context) error {
	if err := queryParams(c); err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return malformed("the run ID is a whole number", FieldError{Path: "id", Message: "must be a whole number"})
	}
	run, err := s.app.Run(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, run)
}

// alerts lists the caller's new strong matches since they last marked
// alerts seen.
func (s *Server) alerts(c echo.Context) error {
	if err := queryParams(c, "limit"); err != nil {
		return err
	}
	limit, err := limitParam(c, 50)
	if err != nil {
		return err
	}
	a, err := s.app.Alerts(c.Request().Context(), caller(c), limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// alertsSeen marks the caller's alerts seen up to now.
func (s *Server) alertsSeen(c echo.Context) error {
	if err := queryParams(c); err != nil {
		return err
	}
	if err := s.app.MarkAlertsSeen(c.Request().Context(), caller(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
