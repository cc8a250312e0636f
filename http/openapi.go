package http

import (
	_ "embed"
	"fmt"
	"html"
	"slices"
	"strings"

	"github.com/valyala/fasthttp"
	"gopkg.in/yaml.v3"

	"github.com/topoforge/topoforge/messages"
)

// openAPISpec is the API description served at /openapi.yaml; a test checks it covers every
// registered route.
//
//go:embed openapi.yaml
var openAPISpec []byte

func (s *Server) openAPI(ctx *fasthttp.RequestCtx, _ *messages.Principal) {
	ctx.SetContentType("application/yaml")
	ctx.SetBody(openAPISpec)
}

// SpecOperations returns "METHOD path" for every operation in the embedded OpenAPI document.
func SpecOperations() ([]string, error) {
	doc, err := parseSpec()
	if err != nil {
		return nil, err
	}
	var ops []string
	for path, item := range doc.Paths {
		for method := range item {
			ops = append(ops, strings.ToUpper(method)+" "+path)
		}
	}
	slices.Sort(ops)
	return ops, nil
}

type specDoc struct {
	Info struct {
		Title       string `yaml:"title"`
		Description string `yaml:"description"`
	} `yaml:"info"`
	Paths map[string]map[string]specOp `yaml:"-"`
}

type specOp struct {
	Summary   string         `yaml:"summary"`
	Security  []any          `yaml:"security"`
	Responses map[string]any `yaml:"responses"`
}

// httpMethods are the keys of a path item that are operations (others, such as parameters, are not).
var httpMethods = map[string]bool{"get": true, "put": true, "post": true, "delete": true, "patch": true, "head": true, "options": true}

func parseSpec() (*specDoc, error) {
	var raw struct {
		Info  yaml.Node                       `yaml:"info"`
		Paths map[string]map[string]yaml.Node `yaml:"paths"`
	}
	if err := yaml.Unmarshal(openAPISpec, &raw); err != nil {
		return nil, fmt.Errorf("parse openapi.yaml: %w", err)
	}
	doc := &specDoc{Paths: map[string]map[string]specOp{}}
	if err := raw.Info.Decode(&doc.Info); err != nil {
		return nil, fmt.Errorf("parse openapi.yaml info: %w", err)
	}
	for path, item := range raw.Paths {
		ops := map[string]specOp{}
		for method, node := range item {
			if !httpMethods[method] {
				continue
			}
			var op specOp
			if err := node.Decode(&op); err != nil {
				return nil, fmt.Errorf("parse openapi.yaml %s %s: %w", method, path, err)
			}
			ops[method] = op
		}
		doc.Paths[path] = ops
	}
	return doc, nil
}

// docs renders the OpenAPI document as a self-contained HTML page (no scripts or CDN), one
// section per path with its methods, summaries and response codes.
func (s *Server) docs(ctx *fasthttp.RequestCtx, _ *messages.Principal) {
	doc, err := parseSpec()
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	var b strings.Builder
	b.WriteString("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
	b.WriteString(html.EscapeString(doc.Info.Title))
	b.WriteString("</title><style>body{font-family:sans-serif;max-width:960px;margin:2em auto}" +
		"code{background:#f4f4f4;padding:2px 4px}.m{font-weight:bold;display:inline-block;width:5em}" +
		"li{margin:.3em 0}</style></head><body><h1>")
	b.WriteString(html.EscapeString(doc.Info.Title))
	b.WriteString("</h1><p>")
	b.WriteString(html.EscapeString(doc.Info.Description))
	b.WriteString("</p><p>Machine-readable: <a href=\"/openapi.yaml\">/openapi.yaml</a></p>")
	paths := make([]string, 0, len(doc.Paths))
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		fmt.Fprintf(&b, "<h3><code>%s</code></h3><ul>", html.EscapeString(p))
		methods := make([]string, 0, len(doc.Paths[p]))
		for m := range doc.Paths[p] {
			methods = append(methods, m)
		}
		slices.Sort(methods)
		for _, m := range methods {
			op := doc.Paths[p][m]
			codes := make([]string, 0, len(op.Responses))
			for c := range op.Responses {
				codes = append(codes, c)
			}
			slices.Sort(codes)
			auth := "authenticated"
			if op.Security != nil && len(op.Security) == 0 {
				auth = "public"
			}
			fmt.Fprintf(&b, "<li><span class=\"m\">%s</span> %s <em>(%s; responses %s)</em></li>",
				strings.ToUpper(m), html.EscapeString(op.Summary), auth, strings.Join(codes, ", "))
		}
		b.WriteString("</ul>")
	}
	b.WriteString("</body></html>")
	ctx.SetContentType("text/html; charset=utf-8")
	ctx.SetBodyString(b.String())
}
