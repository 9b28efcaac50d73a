package api

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
)

//go:embed docs.html
var docsHTML string

// mountDocs serves the OpenAPI document at /openapi.yaml and its rendering
// at /docs, both without authentication. The page is rendered once, here,
// from the embedded document; it loads nothing from elsewhere, since
// deployments may have no internet access.
func mountDocs(e *echo.Echo) {
	page, err := renderDocs(mustSpec().doc)
	if err != nil {
		panic(err) // the embedded document and template are covered by tests
	}
	e.GET("/openapi.yaml", func(c echo.Context) error {
		return c.Blob(http.StatusOK, "application/yaml", openapiYAML)
	})
	e.GET("/docs", func(c echo.Context) error {
		c.Response().Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		return c.HTMLBlob(http.StatusOK, page)
	})
}

// The view of the document the template renders.
type (
	docsView struct {
		Title, Version string
		Intro          template.HTML
		Security       []docsSecurity
		Tags           []docsTag
		Schemas        []docsSchema
	}
	docsSecurity struct {
		Name, Scheme, Format string
		Desc                 template.HTML
	}
	docsTag struct {
		Name string
		Desc template.HTML
		Ops  []docsOp
	}
	docsOp struct {
		Anchor, Method, Path, Summary string
		Desc                          template.HTML
		Public                        bool
		Params                        []docsParam
		Body                          []docsMedia
		BodyRequired                  bool
		Responses                     []docsResponse
	}
	docsParam struct {
		Name, In string
		Type     template.HTML
		Required bool
		Rules    string
		Desc     template.HTML
	}
	docsMedia struct {
		Type   string
		Schema template.HTML
	}
	docsResponse struct {
		Status  string
		Desc    template.HTML
		Body    []docsMedia
		Headers []docsParam
	}
	docsSchema struct {
		Name  string
		Desc  template.HTML
		Type  template.HTML
		Rules string
		Props []docsParam
	}
)

// renderDocs renders the document as one HTML page.
func renderDocs(doc *openapi3.T) ([]byte, error) {
	tmpl, err := template.New("docs").Parse(docsHTML)
	if err != nil {
		return nil, fmt.Errorf("api: docs template: %w", err)
	}
	v := docsView{Title: doc.Info.Title, Version: doc.Info.Version, Intro: prose(doc.Info.Description)}
	for _, name := range sortedKeys(doc.Components.SecuritySchemes) {
		s := doc.Components.SecuritySchemes[name].Value
		v.Security = append(v.Security, docsSecurity{Name: name, Scheme: s.Scheme, Format: s.BearerFormat, Desc: prose(s.Description)})
	}

	byTag := map[string]*docsTag{}
	for _, t := range doc.Tags {
		v.Tags = append(v.Tags, docsTag{Name: t.Name, Desc: prose(t.Description)})
	}
	for i := range v.Tags {
		byTag[v.Tags[i].Name] = &v.Tags[i]
	}
	paths := doc.Paths.Map()
	for _, path := range sortedKeys(paths) {
		item := paths[path]
		for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			op := item.GetOperation(method)
			if op == nil {
				continue
			}
			tag := "other"
			if len(op.Tags) > 0 {
				tag = op.Tags[0]
			}
			t := byTag[tag]
			if t == nil {
				v.Tags = append(v.Tags, docsTag{Name: tag})
				t = &v.Tags[len(v.Tags)-1]
				byTag = map[string]*docsTag{}
				for i := range v.Tags {
					byTag[v.Tags[i].Name] = &v.Tags[i]
				}
			}
			t.Ops = append(t.Ops, docsOperation(method, path, item, op))
		}
	}

	for _, name := range sortedKeys(doc.Components.Schemas) {
		s := doc.Components.Schemas[name].Value
		ds := docsSchema{Name: name, Desc: prose(s.Description), Type: schemaType(doc.Components.Schemas[name], true), Rules: rules(s)}
		for _, p := range sortedKeys(s.Properties) {
			ps := s.Properties[p]
			ds.Props = append(ds.Props, docsParam{Name: p, Type: schemaType(ps, false), Required: slices.Contains(s.Required, p),
				Rules: rulesOf(ps), Desc: prose(describe(ps))})
		}
		v.Schemas = append(v.Schemas, ds)
	}

	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("api: render docs: %w", err)
	}
	return buf.Bytes(), nil
}

func docsOperation(method, path string, item *openapi3.PathItem, op *openapi3.Operation) docsOp {
	o := docsOp{Anchor: op.OperationID, Method: method, Path: path, Summary: op.Summary, Desc: prose(op.Description),
		Public: op.Security != nil && len(*op.Security) == 0}
	params := append(slices.Clone(item.Parameters), op.Parameters...)
	for _, pr := range params {
		p := pr.Value
		o.Params = append(o.Params, docsParam{Name: p.Name, In: p.In, Type: schemaType(p.Schema, false), Required: p.Required,
			Rules: rulesOf(p.Schema), Desc: prose(p.Description)})
	}
	if op.RequestBody != nil && op.RequestBody.Value != nil {
		o.BodyRequired = op.RequestBody.Value.Required
		o.Body = media(op.RequestBody.Value.Content)
	}
	codes := op.Responses.Map()
	for _, code := range sortedKeys(codes) {
		r := codes[code].Value
		if r == nil {
			continue
		}
		dr := docsResponse{Status: code + " " + statusText(code), Desc: prose(deref(r.Description)), Body: media(r.Content)}
		for _, h := range sortedKeys(r.Headers) {
			hv := r.Headers[h].Value
			dr.Headers = append(dr.Headers, docsParam{Name: h, Type: schemaType(hv.Schema, false), Required: hv.Required, Desc: prose(hv.Description)})
		}
		o.Responses = append(o.Responses, dr)
	}
	return o
}

func media(c openapi3.Content) []docsMedia {
	var out []docsMedia
	for _, mt := range sortedKeys(c) {
		out = append(out, docsMedia{Type: mt, Schema: schemaType(c[mt].Schema, false)})
	}
	return out
}

// schemaType renders a schema's type, linking named schemas. top renders a
// named schema itself rather than a link to it.
func schemaType(ref *openapi3.SchemaRef, top bool) template.HTML {
	if ref == nil || ref.Value == nil {
		return "any"
	}
	if ref.Ref != "" && !top {
		name := ref.Ref[strings.LastIndex(ref.Ref, "/")+1:]
		return template.HTML(`<a href="#schema-` + template.HTMLEscapeString(name) + `">` + template.HTMLEscapeString(name) + `</a>`)
	}
	s := ref.Value
	var t template.HTML
	switch {
	case len(s.AllOf) == 1:
		t = schemaType(s.AllOf[0], false)
	case s.Type.Is(openapi3.TypeArray):
		t = "array of " + schemaType(s.Items, false)
	case s.Type.Is(openapi3.TypeObject) && s.AdditionalProperties.Schema != nil && len(s.Properties) == 0:
		t = "map of string to " + schemaType(s.AdditionalProperties.Schema, false)
	case s.Type != nil && len(s.Type.Slice()) > 0:
		t = template.HTML(template.HTMLEscapeString(strings.Join(s.Type.Slice(), " or ")))
		if s.Format != "" {
			t += template.HTML(" (" + template.HTMLEscapeString(s.Format) + ")")
		}
	default:
		t = "any"
	}
	if s.Nullable {
		t += " or null"
	}
	return t
}

// rulesOf lists the constraints of an inline schema; named schemas show
// theirs in their own section.
func rulesOf(ref *openapi3.SchemaRef) string {
	if ref == nil || ref.Value == nil || ref.Ref != "" {
		return ""
	}
	return rules(ref.Value)
}

func rules(s *openapi3.Schema) string {
	var r []string
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	if len(s.Enum) > 0 {
		vals := make([]string, len(s.Enum))
		for i, e := range s.Enum {
			vals[i] = fmt.Sprint(e)
		}
		r = append(r, "one of: "+strings.Join(vals, ", "))
	}
	switch {
	case s.Min != nil && s.Max != nil:
		r = append(r, num(*s.Min)+" to "+num(*s.Max))
	case s.Min != nil:
		r = append(r, "at least "+num(*s.Min))
	case s.Max != nil:
		r = append(r, "at most "+num(*s.Max))
	}
	if s.MinLength > 0 {
		r = append(r, fmt.Sprintf("at least %d characters", s.MinLength))
	}
	if s.MaxLength != nil {
		r = append(r, fmt.Sprintf("at most %d characters", *s.MaxLength))
	}
	if s.Pattern != "" {
		r = append(r, "matches "+s.Pattern)
	}
	if s.MinItems > 0 {
		r = append(r, fmt.Sprintf("at least %d items", s.MinItems))
	}
	if s.MaxItems != nil {
		r = append(r, fmt.Sprintf("at most %d items", *s.MaxItems))
	}
	if s.UniqueItems {
		r = append(r, "no duplicates")
	}
	if s.ReadOnly {
		r = append(r, "set by the server")
	}
	if s.Default != nil {
		r = append(r, fmt.Sprintf("default %v", s.Default))
	}
	return strings.Join(r, "; ")
}

// describe is a property's description, or that of the schema it wraps.
func describe(ref *openapi3.SchemaRef) string {
	if ref == nil || ref.Value == nil {
		return ""
	}
	if ref.Ref != "" {
		return "" // shown with the named schema
	}
	return ref.Value.Description
}

var (
	codeSpan = regexp.MustCompile("`([^`]+)`")
	boldSpan = regexp.MustCompile(`\*\*([^*]+)\*\*`)
)

// prose renders the document's light Markdown (paragraphs, `code`,
// **bold**) as HTML, escaping everything else.
func prose(s string) template.HTML {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	var b strings.Builder
	for _, para := range strings.Split(s, "\n\n") {
		p := template.HTMLEscapeString(strings.Join(strings.Fields(para), " "))
		p = codeSpan.ReplaceAllString(p, "<code>$1</code>")
		p = boldSpan.ReplaceAllString(p, "<strong>$1</strong>")
		b.WriteString("<p>" + p + "</p>")
	}
	return template.HTML(b.String())
}

func statusText(code string) string {
	n, err := strconv.Atoi(code)
	if err != nil {
		return ""
	}
	return http.StatusText(n)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
