package api

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"carefit/access"
	"carefit/internal/kit/errs"
	"carefit/internal/platform/logging"
)

// The web pages for recruiters, clinicians and operators. They are plain
// server-rendered html/template pages (every value is escaped by the
// template) with their stylesheet and one small script embedded in the
// binary; nothing is fetched from elsewhere. Each page handler binds its
// input, calls the same app.Service method as its API route and renders
// the audience view that method returns through a small view model
// (pages_view.go), so a page can never show what the API withholds.

//go:embed pages
var pageFiles embed.FS

// pageCSP allows the pages' own stylesheet, script and nothing else.
const pageCSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// pageTemplates are the pages, each parsed with the layout.
type pageTemplates map[string]*template.Template

// parsePages parses every page template with the layout and the helpers.
func parsePages() (pageTemplates, error) {
	names, err := fs.Glob(pageFiles, "pages/*.html")
	if err != nil {
		return nil, err
	}
	out := pageTemplates{}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "pages/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(pageFuncs).ParseFS(pageFiles, "pages/layout.html", n)
		if err != nil {
			return nil, err
		}
		out[base] = t
	}
	return out, nil
}

// mustPages parses the embedded pages; they are covered by tests, so a
// failure is a bug in the build.
func mustPages() pageTemplates {
	t, err := parsePages()
	if err != nil {
		panic(err)
	}
	return t
}

// pageData is what the layout reads; Data is the page's own view model.
type pageData struct {
	Title string
	Role  access.Role
	CSRF  string
	Nav   []navLink
	Data  any
}

type navLink struct {
	Href, Label string
	Current     bool
}

// navFor is the links each role's pages show.
func navFor(r access.Role, path string) []navLink {
	var links []navLink
	switch r {
	case access.Recruiter:
		links = []navLink{{Href: "/positions", Label: "Positions"}}
	case access.Clinician:
		links = []navLink{{Href: "/roles", Label: "Roles"}, {Href: "/profile", Label: "Profile"}, {Href: "/introductions", Label: "Introductions"},
			{Href: "/access-log", Label: "Who read my details"}, {Href: "/consents", Label: "Consent record"},
			{Href: "/blocked", Label: "Blocked organizations"}}
	case access.Admin:
		links = []navLink{{Href: "/runs", Label: "Rematch runs"}, {Href: QueuesPath, Label: "Queues"}}
	}
	for i := range links {
		links[i].Current = path == links[i].Href || strings.HasPrefix(path, links[i].Href+"/")
	}
	return links
}

// render writes the named page with the layout.
func (s *Server) render(c echo.Context, status int, name, title string, data any) error {
	t, ok := s.pages[name]
	if !ok {
		return errs.E("api.pages", errs.Internal, "no page "+name)
	}
	token, _ := c.Get(csrfKey).(string)
	p := principal(c)
	d := pageData{Title: title, Role: p.Role, CSRF: token, Data: data, Nav: navFor(p.Role, c.Request().URL.Path)}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", d); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	return c.HTMLBlob(status, buf.Bytes())
}

// pageErrors renders a page handler's error as a page, with the status and
// words the API would answer with; faults are logged, never shown.
func (s *Server) pageErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err == nil || c.Response().Committed {
			return err
		}
		p, fault := problemFor(err)
		ctx := c.Request().Context()
		if fault {
			s.log.ErrorContext(ctx, "page failed", "err", err, "status", p.Status, "path", c.Path())
		}
		if p.Status == http.StatusUnauthorized {
			return c.Redirect(http.StatusSeeOther, "/")
		}
		p.RequestID = logging.RequestID(ctx)
		return s.render(c, p.Status, "error", p.Title, p)
	}
}

// pageRoute is one page or form target; no roles means no sign-in.
type pageRoute struct {
	method, path string
	h            echo.HandlerFunc
	roles        []access.Role
}

// pageRoutes lists every page. They are the browser's interface, not the
// API: openapi.yaml documents only / (the sign-in page) among them.
func (s *Server) pageRoutes() []pageRoute {
	rec, clin, adm := []access.Role{access.Recruiter}, []access.Role{access.Clinician}, []access.Role{access.Admin}
	anyone := []access.Role{access.Admin, access.Recruiter, access.Clinician}
	return []pageRoute{
		{http.MethodGet, "/", s.signinPage, nil},
		{http.MethodPost, "/signin", s.signin, nil},
		{http.MethodPost, "/signout", s.signout, anyone},
		{http.MethodGet, "/positions", s.positionsPage, rec},
		{http.MethodPost, "/alerts/seen", s.alertsSeenPage, rec},
		{http.MethodGet, "/positions/:id", s.positionDetail, rec},
		{http.MethodGet, "/positions/:id/candidates/:clinician_id", s.candidatePage, rec},
		{http.MethodPost, "/positions/:id/candidates/:clinician_id/pipeline", s.setPipelinePage, rec},
		{http.MethodPost, "/positions/:id/candidates/:clinician_id/introduction", s.requestIntroductionPage, rec},
		{http.MethodGet, "/roles", s.rolesPage, clin},
		{http.MethodGet, "/profile", s.profilePage, clin},
		{http.MethodPost, "/profile", s.saveProfile, clin},
		{http.MethodGet, "/introductions", s.introductionsPage, clin},
		{http.MethodGet, "/access-log", s.accessLogPage, clin},
		{http.MethodPost, "/introductions/:id/accept", s.answerIntroductionPage(true), clin},
		{http.MethodPost, "/introductions/:id/decline", s.answerIntroductionPage(false), clin},
		{http.MethodPost, "/introductions/:id/revoke", s.revokeIntroductionPage, clin},
		{http.MethodGet, "/blocked", s.blockedPage, clin},
		{http.MethodPost, "/blocked", s.blockPage, clin},
		{http.MethodPost, "/blocked/:org_id/unblock", s.unblockPage, clin},
		{http.MethodGet, "/consents", s.consentPage, clin},
		{http.MethodGet, "/runs", s.runsPage, adm},
		{http.MethodPost, "/runs", s.startRunPage, adm},
		{http.MethodGet, "/runs/:id/progress", s.runProgress, adm},
	}
}

// assetsPath serves the pages' embedded stylesheet and script.
const assetsPath = "/assets/*"

// mountPages registers the pages. Page text is checked as the API's
// parameters are (checkParams); forms are bounded by the body limit. Each
// route gets its middleware itself: an echo group at the root would catch
// every unknown path, the API's included.
func (s *Server) mountPages(e *echo.Echo, bodyLimit string) {
	static, _ := fs.Sub(pageFiles, "pages/static")
	files := http.StripPrefix("/assets/", http.FileServer(http.FS(static)))
	e.GET(assetsPath, func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "public, max-age=300")
		files.ServeHTTP(c.Response(), c.Request())
		return nil
	})
	for _, r := range s.pageRoutes() {
		mw := []echo.MiddlewareFunc{checkParams, middleware.BodyLimit(bodyLimit), s.pageErrors}
		if r.roles != nil {
			mw = append(mw, s.signedIn, only(r.roles...))
		}
		e.Add(r.method, r.path, r.h, mw...)
	}
}
