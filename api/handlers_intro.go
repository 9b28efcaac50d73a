package api

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"carefit/app"
	"carefit/intro"
)

// Contact by introduction: a recruiter's requests (/v1/introductions) and
// the clinician's side (/v1/me/introductions). Each handler binds its
// input, calls one app.Service method and renders the result; who may ask,
// answer and see is the use cases' rule (app/introductions.go), each limit
// the store's (intro/introdb).

// introductionRequest is the body of POST /v1/introductions.
type introductionRequest struct {
	PositionID  string `json:"position_id"`
	ClinicianID string `json:"clinician_id"`
	Message     string `json:"message"`
}

// interest is the body of POST /v1/me/introductions.
type interest struct {
	PositionID string `json:"position_id"`
	Message    string `json:"message"`
}

// answer is the optional body of …/accept and …/decline.
type answer struct {
	Reply string `json:"reply"`
}

// requestIntroduction records a recruiter's request: 201 with the
// introduction and its Location.
func (s *Server) requestIntroduction(c echo.Context) error {
	var req introductionRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	out, err := s.app.RequestIntroduction(c.Request().Context(), caller(c),
		app.IntroductionRequest{PositionID: req.PositionID, ClinicianID: req.ClinicianID, Message: req.Message})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/introductions/"+out.ID)
	return c.JSON(http.StatusCreated, out)
}

// expressInterest records a clinician's interest in a role: 201.
func (s *Server) expressInterest(c echo.Context) error {
	var req interest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	out, err := s.app.ExpressInterest(c.Request().Context(), caller(c), req.PositionID, req.Message)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/me/introductions")
	return c.JSON(http.StatusCreated, out)
}

// answerIntroduction accepts or declines, with an optional reply in an
// optional body.
func (s *Server) answerIntroduction(accept bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		var req answer
		if c.Request().ContentLength != 0 {
			if err := decodeJSON(c, &req); err != nil {
				return err
			}
		}
		out, err := s.app.AnswerIntroduction(c.Request().Context(), caller(c), c.Param("id"), accept, req.Reply)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, out)
	}
}

// revokeIntroduction is the clinician taking an introduction back.
func (s *Server) revokeIntroduction(c echo.Context) error {
	out, err := s.app.RevokeIntroduction(c.Request().Context(), caller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// bindIntroductions reads the query of both lists.
func bindIntroductions(c echo.Context, params ...string) (q app.IntroductionQuery, err error) {
	if err = queryParams(c, append(params, "status", "limit", "cursor")...); err != nil {
		return q, err
	}
	q.Cursor = c.QueryParam("cursor")
	statuses, err := listParam(c, "status", func(s string) bool { return intro.Status(s).Valid() })
	if err != nil {
		return q, err
	}
	for _, st := range statuses {
		q.Statuses = append(q.Statuses, intro.Status(st))
	}
	if q.PositionID = c.QueryParam("position_id"); q.PositionID != "" {
		if _, err := uuid.Parse(q.PositionID); err != nil || len(q.PositionID) != 36 {
			return q, malformed("a query parameter is not valid",
				FieldError{Path: "position_id", Message: "must be a UUID like 123e4567-e89b-12d3-a456-426614174000"})
		}
	}
	q.Limit, err = intParam(c, "limit")
	return q, err
}

// listIntroductions lists a recruiter's organization's introductions, or
// every one for admins.
func (s *Server) listIntroductions(c echo.Context) error {
	q, err := bindIntroductions(c, "position_id")
	if err != nil {
		return err
	}
	page, err := s.app.Introductions(c.Request().Context(), caller(c), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// myIntroductions lists the calling clinician's introductions with each
// position and its fit.
func (s *Server) myIntroductions(c echo.Context) error {
	q, err := bindIntroductions(c)
	if err != nil {
		return err
	}
	page, err := s.app.Introductions(c.Request().Context(), caller(c), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// getIntroduction reads one introduction as staff see it.
func (s *Server) getIntroduction(c echo.Context) error {
	out, err := s.app.Introduction(c.Request().Context(), caller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
