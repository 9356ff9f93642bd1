package httpapi_test

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labstack/echo/v4"

	"github.com/xinwen/xinwen/internal/httpapi"
	"github.com/xinwen/xinwen/internal/news"
)

// openAPIDoc is the part of the document the tests read.
type openAPIDoc struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]struct {
			Required   []string                   `json:"required"`
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"schemas"`
	} `json:"components"`
}

// operationKeys are the keys of an OpenAPI path item that are operations.
var operationKeys = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// fullServer is New with every dependency, the reader's page included, so
// that every route New can register is registered.
func fullServer() *echo.Echo {
	cfg := opsConfig(io.Discard)
	cfg.Web = fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>新闻</title>")}}
	cfg.Ready = func() error { return nil }
	return httpapi.New(cfg)
}

// servedOpenAPI is the document as GET /api/openapi.json serves it.
func servedOpenAPI(t *testing.T, srv http.Handler) []byte {
	t.Helper()
	rec := do(t, srv, "GET", "/api/openapi.json", "")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/openapi.json: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	return rec.Body.Bytes()
}

var echoParam = regexp.MustCompile(`:([^/]+)`)

// TestOpenAPIRoutes: every route the server registers is documented with its
// method, and every documented operation is a registered route. It compares
// against e.Routes() as built now, so a route added without documentation,
// or documented without being added, fails here.
func TestOpenAPIRoutes(t *testing.T) {
	srv := fullServer()
	var doc openAPIDoc
	if err := json.Unmarshal(servedOpenAPI(t, srv), &doc); err != nil {
		t.Fatal(err)
	}
	routes := map[string]bool{}
	catchAll := false
	for _, r := range srv.Routes() {
		switch {
		case r.Path == "/*":
			catchAll = true // the reader's page and its files
			continue
		case r.Method == http.MethodHead, r.Method == echo.RouteNotFound:
			continue
		}
		routes[strings.ToLower(r.Method)+" "+echoParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	if !catchAll {
		t.Error("the reader's page (GET /*) is not registered; the exclusion below is untested")
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths {
		for key := range item {
			if slices.Contains(operationKeys, key) {
				documented[key+" "+path] = true
			}
		}
	}
	for _, r := range sortedKeys(routes) {
		if !documented[r] {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for _, d := range sortedKeys(documented) {
		if !routes[d] {
			t.Errorf("openapi.json documents %s, which the server does not register", d)
		}
	}
}

// TestOpenAPIValid: the document is OpenAPI 3.0 JSON, every $ref points at
// something in it, every {param} of a path is declared, and operation IDs
// are unique.
func TestOpenAPIValid(t *testing.T) {
	raw := servedOpenAPI(t, fullServer())
	var root any
	if err := json.Unmarshal(raw, &root); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	var doc openAPIDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^3\.0\.\d+$`).MatchString(doc.OpenAPI) {
		t.Errorf("openapi = %q, want 3.0.x", doc.OpenAPI)
	}
	info, _ := root.(map[string]any)["info"].(map[string]any)
	if info["title"] == nil || info["version"] == nil {
		t.Errorf("info needs a title and a version: %v", info)
	}

	refs := 0
	walk(root, "#", func(at string, v map[string]any) {
		ref, ok := v["$ref"].(string)
		if !ok {
			return
		}
		refs++
		if _, err := resolve(root, ref); err != nil {
			t.Errorf("%s: $ref %q: %v", at, ref, err)
		}
	})
	if refs == 0 {
		t.Error("no $ref found: the walk is broken")
	}

	ids := map[string]string{}
	pathParam := regexp.MustCompile(`\{([^}]+)\}`)
	for path, item := range doc.Paths {
		for _, key := range operationKeys {
			opRaw, ok := item[key]
			if !ok {
				continue
			}
			where := strings.ToUpper(key) + " " + path
			var op struct {
				OperationID string            `json:"operationId"`
				Parameters  []json.RawMessage `json:"parameters"`
				Responses   map[string]any    `json:"responses"`
			}
			if err := json.Unmarshal(opRaw, &op); err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			if op.OperationID == "" {
				t.Errorf("%s has no operationId", where)
			} else if other, dup := ids[op.OperationID]; dup {
				t.Errorf("%s and %s share operationId %q", where, other, op.OperationID)
			}
			ids[op.OperationID] = where
			if len(op.Responses) == 0 {
				t.Errorf("%s has no responses", where)
			}
			for status := range op.Responses {
				if n, err := strconv.Atoi(status); (err != nil || n < 100 || n > 599) && status != "default" {
					t.Errorf("%s: response %q is not a status", where, status)
				}
			}
			declared := map[string]bool{}
			for _, p := range op.Parameters {
				var v any
				json.Unmarshal(p, &v)
				if m, ok := v.(map[string]any); ok {
					if ref, ok := m["$ref"].(string); ok {
						got, err := resolve(root, ref)
						if err != nil {
							continue // reported by the $ref walk
						}
						m, _ = got.(map[string]any)
					}
					if m["in"] == "path" {
						declared[m["name"].(string)] = true
						if m["required"] != true {
							t.Errorf("%s: path parameter %v must be required", where, m["name"])
						}
					}
				}
			}
			for _, want := range pathParam.FindAllStringSubmatch(path, -1) {
				if !declared[want[1]] {
					t.Errorf("%s: path parameter {%s} is not declared", where, want[1])
				}
			}
		}
	}
}

// TestOpenAPISchemasMatchJSON: the schemas name exactly the JSON fields the
// server writes, and require exactly those it always writes.
func TestOpenAPISchemasMatchJSON(t *testing.T) {
	srv := fullServer()
	var doc openAPIDoc
	if err := json.Unmarshal(servedOpenAPI(t, srv), &doc); err != nil {
		t.Fatal(err)
	}
	check := func(schema string, props, required []string) {
		t.Helper()
		s, ok := doc.Components.Schemas[schema]
		if !ok {
			t.Errorf("no schema %s", schema)
			return
		}
		if got := sortedKeys(s.Properties); !slices.Equal(got, props) {
			t.Errorf("schema %s has properties %v, the JSON has %v", schema, got, props)
		}
		got := slices.Sorted(slices.Values(s.Required))
		if !slices.Equal(got, required) {
			t.Errorf("schema %s requires %v, the JSON always has %v", schema, got, required)
		}
	}
	for schema, v := range map[string]any{
		"SearchResult":  news.SearchResult{},
		"Hit":           news.Hit{},
		"Region":        news.Region{},
		"Facets":        news.Facets{},
		"FacetCount":    news.FacetCount{},
		"Article":       news.Article{},
		"IngestOutcome": news.IngestOutcome{},
		"Job":           news.Job{},
	} {
		props, required := jsonFields(reflect.TypeOf(v))
		check(schema, props, required)
	}

	// The values a status or a state can take are the news constants.
	for _, tc := range []struct {
		schema, prop string
		want         []string
	}{
		{"IngestOutcome", "status", []string{news.OutcomeAdded, news.OutcomeUpdated, news.OutcomeUnchanged, news.OutcomeDuplicate, news.OutcomeFailed}},
		{"Job", "state", []string{news.JobRunning, news.JobDone, news.JobFailed, news.JobCancelled}},
	} {
		var p struct {
			Enum []string `json:"enum"`
		}
		if err := json.Unmarshal(doc.Components.Schemas[tc.schema].Properties[tc.prop], &p); err != nil {
			t.Errorf("schema %s, property %s: %v", tc.schema, tc.prop, err)
			continue
		}
		if got, want := slices.Sorted(slices.Values(p.Enum)), slices.Sorted(slices.Values(tc.want)); !slices.Equal(got, want) {
			t.Errorf("schema %s: %s is one of %v, the news constants are %v", tc.schema, tc.prop, got, want)
		}
	}

	// Unexported or built inline: read what the server sends.
	keys := func(body []byte) []string {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		return sortedKeys(m)
	}
	rec := do(t, srv, "POST", "/api/articles", `{"title":"甲","body":"乙"}`, "Authorization", "Bearer "+opsToken)
	ir := keys(rec.Body.Bytes())
	check("IngestResponse", ir, ir)
	rec = do(t, srv, "GET", "/api/articles/no-such-id", "")
	er := keys(rec.Body.Bytes())
	check("Error", er, er)
}

// jsonFields lists the JSON names of t's fields, and those without omitempty
// or omitzero, sorted.
func jsonFields(t reflect.Type) (all, always []string) {
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		all = append(all, name)
		if !strings.Contains(","+opts+",", ",omitempty,") && !strings.Contains(","+opts+",", ",omitzero,") {
			always = append(always, name)
		}
	}
	sort.Strings(all)
	sort.Strings(always)
	return all, always
}

// walk calls fn for every object in v, with its JSON pointer.
func walk(v any, at string, fn func(at string, obj map[string]any)) {
	switch v := v.(type) {
	case map[string]any:
		fn(at, v)
		for k, c := range v {
			walk(c, at+"/"+k, fn)
		}
	case []any:
		for i, c := range v {
			walk(c, at+"/"+strconv.Itoa(i), fn)
		}
	}
}

// resolve follows a local $ref (a JSON pointer after "#").
func resolve(root any, ref string) (any, error) {
	ptr, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, errNotLocal
	}
	cur := root
	for _, tok := range strings.Split(ptr, "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, errDangling
		}
		if cur, ok = m[tok]; !ok {
			return nil, errDangling
		}
	}
	return cur, nil
}

type refError string

func (e refError) Error() string { return string(e) }

const (
	errNotLocal refError = "not a reference into this document"
	errDangling refError = "points at nothing"
)

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
