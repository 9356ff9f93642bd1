package httpapi

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/xinwen/xinwen/internal/news"
)

// DictEntry is one word of the user dictionary.
type DictEntry struct {
	Word string `json:"word"`
	Freq int    `json:"freq"` // 0: jieba's default weight
	Tag  string `json:"tag"`  // part of speech, e.g. nr, ns, nz; "" for none
}

// DictionaryManager edits the user dictionary of the running server: the
// dictionary package, adapted in cmd/xinwen. Replace and Edit validate
// everything first and change nothing on error; a bad entry is a *news.Error
// of code EINVALID that names it, removing an unknown word is ENOTFOUND. They
// return the new dictionary version, in effect for searches and new
// articles when they return.
type DictionaryManager interface {
	Entries() []DictEntry
	Version() string
	Replace(ctx context.Context, entries []DictEntry) (version string, err error)
	Edit(ctx context.Context, add []DictEntry, remove []string) (version string, err error)
}

// dictionaryResponse answers every /api/admin/dictionary request.
type dictionaryResponse struct {
	Version      string      `json:"version"`
	Entries      []DictEntry `json:"entries"`
	IndexVersion string      `json:"index_version,omitempty"`
	RebuildDue   bool        `json:"rebuild_due"`
	Hint         string      `json:"hint,omitempty"`
}

// rebuildHint tells an editor how to bring indexed articles up to date.
const rebuildHint = "articles indexed before this change keep their old words: POST /api/admin/reindex to rebuild the index with this dictionary"

// dictionaryRoutes registers GET, PUT and POST /api/admin/dictionary, for
// editors only; without a DictionaryManager they answer 503.
func (h *handlers) dictionaryRoutes(e *echo.Echo) {
	available := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if h.cfg.Dictionary == nil {
				return news.Errorf(news.EUNAVAILABLE, "dictionary management is not available on this server")
			}
			return next(c)
		}
	}
	e.GET("/api/admin/dictionary", h.getDictionary, h.requireScope(ScopeEditor), available)
	e.PUT("/api/admin/dictionary", h.putDictionary, h.requireScope(ScopeEditor), available)
	e.POST("/api/admin/dictionary", h.postDictionary, h.requireScope(ScopeEditor), available)
}

// getDictionary lists the user dictionary, its version and whether the index
// was built with another one.
func (h *handlers) getDictionary(c echo.Context) error {
	return c.JSON(http.StatusOK, h.dictionaryState(""))
}

// putDictionary replaces the user dictionary with {"entries": [...]}.
func (h *handlers) putDictionary(c echo.Context) error {
	var req struct {
		Entries *[]DictEntry `json:"entries"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Entries == nil {
		return news.Errorf(news.EINVALID, `the body must be {"entries": [{"word": ..., "freq": ..., "tag": ...}, ...]}`)
	}
	before := h.cfg.Dictionary.Version()
	if _, err := h.cfg.Dictionary.Replace(c.Request().Context(), *req.Entries); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h.dictionaryState(before))
}

// postDictionary edits the user dictionary with {"add": [...], "remove":
// [words]}: the removals, then the additions, in one change.
func (h *handlers) postDictionary(c echo.Context) error {
	var req struct {
		Add    []DictEntry `json:"add"`
		Remove []string    `json:"remove"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if len(req.Add) == 0 && len(req.Remove) == 0 {
		return news.Errorf(news.EINVALID, `nothing to do: the body must be {"add": [{"word": ..., "freq": ..., "tag": ...}], "remove": ["word", ...]}`)
	}
	before := h.cfg.Dictionary.Version()
	if _, err := h.cfg.Dictionary.Edit(c.Request().Context(), req.Add, req.Remove); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h.dictionaryState(before))
}

// dictionaryState describes the dictionary now. The index's version comes
// from the Rebuilder; without one, a rebuild is due when a change gave a new
// version (before is the version before the change, "" for none).
func (h *handlers) dictionaryState(before string) dictionaryResponse {
	d := h.cfg.Dictionary
	r := dictionaryResponse{Version: d.Version(), Entries: d.Entries()}
	if r.Entries == nil {
		r.Entries = []DictEntry{}
	}
	if h.cfg.Rebuild != nil {
		r.IndexVersion = h.cfg.Rebuild.DictVersion()
		r.RebuildDue = r.IndexVersion != r.Version
	} else {
		r.RebuildDue = before != "" && before != r.Version
	}
	if r.RebuildDue {
		r.Hint = rebuildHint
	}
	return r
}

// decodeJSON reads the request body as one JSON value into v, refusing
// unknown fields.
func decodeJSON(c echo.Context, v any) error {
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if err := tooLarge(err); err != nil {
			return err
		}
		return news.Errorf(news.EINVALID, "the body is not the expected JSON: %v", err)
	}
	return nil
}
