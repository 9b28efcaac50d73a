package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// The clinicians' pages: the roles that fit them, their profile and
// wishes, and their introductions.

type rolesData struct {
	Roles []roleCard
	Total int
	Next  string
	Query string
}

// rolesPage ranks the open positions the clinician is eligible for, by
// their own fit; it reads the same query as GET /v1/me/roles.
func (s *Server) rolesPage(c echo.Context) error {
	q, err := bindRoles(c)
	if err != nil {
		return err
	}
	page, err := s.app.Roles(c.Request().Context(), caller(c), q)
	if err != nil {
		return err
	}
	d := rolesData{Total: page.Total, Next: page.NextCursor, Query: q.Q}
	for _, r := range page.Items {
		d.Roles = append(d.Roles, roleCardOf(r))
	}
	return s.render(c, http.StatusOK, "roles", "Roles that fit you", d)
}
