package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"carefit/app"
	"carefit/pipeline"
)

// The recruiter's pipeline on a position's clinicians. Each handler binds
// its input, calls one app.Service method and renders the result; who may
// see which position is the use case's rule (app/pipeline.go).

// pipelineChange is the body of PUT /v1/positions/{id}/pipeline/{clinician_id}.
type pipelineChange struct {
	State pipeline.State `json:"state"`
	Note  string         `json:"note"`
}

// optionalIfMatch reads If-Match when it is sent (0 when not). A pipeline
// entry is the recruiter's latest word on a pair, so a PUT without it
// replaces the entry; with it, a stale version is refused (412).
func optionalIfMatch(c echo.Context) (int, error) {
	if strings.TrimSpace(c.Request().Header.Get("If-Match")) == "" {
		return 0, nil
	}
	return ifMatch(c)
}

// statesParam reads a comma-separated list of pipeline states.
func statesParam(c echo.Context, name string) ([]pipeline.State, error) {
	vals, err := listParam(c, name, func(s string) bool { return pipeline.State(s).Valid() })
	if err != nil {
		return nil, err
	}
	var out []pipeline.State
	for _, v := range vals {
		out = append(out, pipeline.State(v))
	}
	return out, nil
}

// setPipeline records a pair's state and note: 201 when it creates the
// entry, 200 otherwise. A change that fills the position wakes the search
// sync, as any other write to a position does.
func (s *Server) setPipeline(c echo.Context) error {
	version, err := optionalIfMatch(c)
	if err != nil {
		return err
	}
	var req pipelineChange
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	out, created, err := s.app.SetPipeline(c.Request().Context(), caller(c), app.PipelineChange{PositionID: c.Param("id"),
		ClinicianID: c.Param("clinician_id"), State: req.State, Note: req.Note, IfVersion: version})
	if err != nil {
		return err
	}
	if out.PositionFilled {
		s.changed(c)
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		c.Response().Header().Set(echo.HeaderLocation, "/v1/positions/"+out.PositionID+"/pipeline/"+out.ClinicianID)
	}
	return writeVersioned(c, status, out.Version, out)
}

// positionPipeline lists a position's pipeline, optionally in some states.
func (s *Server) positionPipeline(c echo.Context) error {
	if err := queryParams(c, "state"); err != nil {
		return err
	}
	states, err := statesParam(c, "state")
	if err != nil {
		return err
	}
	items, err := s.app.PositionPipeline(c.Request().Context(), caller(c), c.Param("id"), states)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// pipelinePair reads one pair's entry with its history.
func (s *Server) pipelinePair(c echo.Context) error {
	out, err := s.app.PipelinePairOf(c.Request().Context(), caller(c), c.Param("id"), c.Param("clinician_id"))
	if err != nil {
		return err
	}
	return writeVersioned(c, http.StatusOK, out.Version, out)
}
