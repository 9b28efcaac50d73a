package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"carefit/jobs"
)

// The recruiters' pages: their organization's positions, a position with
// its ranked candidates, and one pair explained.

type positionsData struct {
	Positions []positionRow
	Next      string
}

// positionsPage lists the recruiter's organization's positions (the
// app layer scopes the list to it).
func (s *Server) positionsPage(c echo.Context) error {
	if err := queryParams(c, "cursor"); err != nil {
		return err
	}
	page, err := s.app.ListPositions(c.Request().Context(), caller(c), jobs.PositionFilter{Limit: 50, Cursor: c.QueryParam("cursor")})
	if err != nil {
		return err
	}
	d := positionsData{Next: page.NextCursor}
	for _, v := range page.Items {
		d.Positions = append(d.Positions, positionRowOf(v))
	}
	return s.render(c, http.StatusOK, "positions", "Positions", d)
}
