package httpapi

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/xinwen/xinwen/internal/audit"
	"github.com/xinwen/xinwen/internal/news"
)

// Token scopes. An editor token may do everything an ingest token may.
const (
	ScopeIngest = "ingest" // POST /api/articles only
	ScopeEditor = "editor" // ingest, delete, reindex, dictionary, jobs
)

// Token is a configured bearer token. Only the SHA-256 of its secret is kept.
type Token struct {
	Name  string // who, in the audit log
	Scope string // ScopeIngest or ScopeEditor
	Hash  [sha256.Size]byte
}

// allows reports whether a token of this scope may act on a route that
// requires scope.
func (t Token) allows(scope string) bool {
	return t.Scope == ScopeEditor || t.Scope == scope
}

// Auditor records audited requests; *audit.Log is one.
type Auditor interface {
	Record(audit.Entry) error
}

// ParseTokens reads tokens, one a line: NAME:SCOPE:SECRET or
// NAME:SCOPE:sha256:HEX (the hex SHA-256 of the secret, to keep plaintext out
// of the file). Blank lines and lines starting with # are skipped. A secret
// that itself starts with "sha256:" must be given in the hash form. Errors
// name source and line ("tokens.txt:3: ...") and never contain the secret.
func ParseTokens(r io.Reader, source string) ([]Token, error) {
	var out []Token
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		t, err := parseToken(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", source, n, err)
		}
		out = append(out, t)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", source, err)
	}
	if err := CheckTokens(out); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	return out, nil
}

// EnvTokens reads the environment's forms: tokens is XINWEN_TOKENS, entries
// as in ParseTokens separated by commas or newlines; editorTokens is the
// older XINWEN_EDITOR_TOKENS, comma-separated plaintext secrets that get scope
// editor and the names editor1, editor2, … Errors name the variable and the
// entry's position (1-based) and never contain the secret.
func EnvTokens(tokens, editorTokens string) ([]Token, error) {
	var out []Token
	entries := strings.FieldsFunc(tokens, func(r rune) bool { return r == ',' || r == '\n' })
	n := 0
	for _, e := range entries {
		if e = strings.TrimSpace(e); e == "" {
			continue
		}
		n++
		t, err := parseToken(e)
		if err != nil {
			return nil, fmt.Errorf("XINWEN_TOKENS entry %d: %w", n, err)
		}
		out = append(out, t)
	}
	n = 0
	for _, s := range strings.Split(editorTokens, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n++
		out = append(out, Token{Name: fmt.Sprint("editor", n), Scope: ScopeEditor, Hash: sha256.Sum256([]byte(s))})
	}
	if err := CheckTokens(out); err != nil {
		return nil, fmt.Errorf("XINWEN_TOKENS/XINWEN_EDITOR_TOKENS: %w", err)
	}
	return out, nil
}

// CheckTokens returns an error if two tokens share a name or a secret: the
// audit log could not tell them apart.
func CheckTokens(ts []Token) error {
	names := make(map[string]bool, len(ts))
	hashes := make(map[[sha256.Size]byte]string, len(ts))
	for _, t := range ts {
		if names[t.Name] {
			return fmt.Errorf("token name %q is used twice", t.Name)
		}
		names[t.Name] = true
		if other, ok := hashes[t.Hash]; ok {
			return fmt.Errorf("tokens %q and %q have the same secret", other, t.Name)
		}
		hashes[t.Hash] = t.Name
	}
	return nil
}

// parseToken parses NAME:SCOPE:SECRET or NAME:SCOPE:sha256:HEX. Its errors
// may name the name and the scope, never the secret.
func parseToken(s string) (Token, error) {
	name, rest, ok1 := strings.Cut(s, ":")
	scope, secret, ok2 := strings.Cut(rest, ":")
	if !ok1 || !ok2 {
		return Token{}, errors.New("want NAME:SCOPE:SECRET or NAME:SCOPE:sha256:HEX")
	}
	name, scope = strings.TrimSpace(name), strings.TrimSpace(scope)
	if !validName(name) {
		return Token{}, errors.New("the name must be letters, digits, '.', '_' or '-' (want NAME:SCOPE:SECRET)")
	}
	if scope != ScopeIngest && scope != ScopeEditor {
		return Token{}, fmt.Errorf("token %q: unknown scope %q (want %s or %s)", name, scope, ScopeIngest, ScopeEditor)
	}
	t := Token{Name: name, Scope: scope}
	if h, ok := strings.CutPrefix(secret, "sha256:"); ok {
		b, err := hex.DecodeString(h)
		if err != nil || len(b) != sha256.Size {
			return Token{}, fmt.Errorf("token %q: after sha256: give the 64 hex digits of the secret's SHA-256", name)
		}
		copy(t.Hash[:], b)
		return t, nil
	}
	if secret == "" {
		return Token{}, fmt.Errorf("token %q: the secret is empty", name)
	}
	if len(secret) < 8 {
		return Token{}, fmt.Errorf("token %q: the secret is shorter than 8 characters", name)
	}
	t.Hash = sha256.Sum256([]byte(secret))
	return t, nil
}

func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
		default:
			return false
		}
	}
	return true
}

// lookup returns the token whose hash matches secret's. It compares against
// every configured hash in constant time, with no early exit.
func (h *handlers) lookup(secret string) (Token, bool) {
	sum := sha256.Sum256([]byte(secret))
	found := -1
	for i, t := range h.cfg.Tokens {
		eq := subtle.ConstantTimeCompare(sum[:], t.Hash[:])
		found = subtle.ConstantTimeSelect(eq, i, found)
	}
	if found < 0 {
		return Token{}, false
	}
	return h.cfg.Tokens[found], true
}

// requireScope lets a request through only with a bearer token that has
// scope (an editor token has every scope), and puts the token's name in the
// context under "token". No or an unknown token is 401 with a message that
// says nothing about why; a token without the scope is 403; with no tokens
// configured every request is 403. Every request, let through or not, is
// audited when an Auditor is configured.
func (h *handlers) requireScope(scope string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			who, detail, err := h.authorize(c, scope)
			if err == nil {
				c.Set("token", who)
				err = next(c)
			}
			if err != nil {
				// Let the error handler write the status now, so the audit
				// entry holds the status the client gets.
				c.Error(err)
				if detail == "" {
					detail = news.ErrorMessage(err)
				}
			}
			h.audit(c, who, detail)
			return nil
		}
	}
}

// editor is requireScope(ScopeEditor), for routes that only editors may use.
func (h *handlers) editor(next echo.HandlerFunc) echo.HandlerFunc {
	return h.requireScope(ScopeEditor)(next)
}

// authorize checks the request's bearer token for scope. It returns the
// token's name ("anonymous" if none matched) and, when refused, the reason
// for the audit log and the error for the client.
func (h *handlers) authorize(c echo.Context, scope string) (who, detail string, err error) {
	if len(h.cfg.Tokens) == 0 {
		return "anonymous", "no tokens configured", news.Errorf(news.EFORBIDDEN, "changing articles over HTTP is disabled on this server: configure tokens with XINWEN_TOKENS or serve --tokens")
	}
	secret, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
	var t Token
	if ok && secret != "" {
		t, ok = h.lookup(secret)
	} else {
		ok = false
	}
	if !ok {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="xinwen"`)
		detail = "unknown token"
		if secret == "" {
			detail = "no bearer token"
		}
		return "anonymous", detail, news.Errorf(news.EUNAUTHORIZED, "a valid bearer token is required")
	}
	if !t.allows(scope) {
		return t.Name, "token scope " + t.Scope + " lacks " + scope, news.Errorf(news.EFORBIDDEN, "this token may not do this: it needs scope %s", scope)
	}
	return t.Name, "", nil
}

// audit records the finished request, if an Auditor is configured. A failed
// write is logged; the request has been answered already.
func (h *handlers) audit(c echo.Context, who, detail string) {
	if h.cfg.Audit == nil {
		return
	}
	status := c.Response().Status
	outcome := "ok"
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		outcome = "denied"
	case status >= 400:
		outcome = "failed"
	default:
		detail = ""
	}
	e := audit.Entry{
		Who:       who,
		Action:    c.Request().Method + " " + c.Path(),
		Target:    c.Request().URL.Path,
		Outcome:   outcome,
		Detail:    detail,
		Status:    status,
		RequestID: c.Response().Header().Get(echo.HeaderXRequestID),
	}
	if err := h.cfg.Audit.Record(e); err != nil {
		h.cfg.Logger.Error("audit log write failed", "err", err, "request_id", e.RequestID, "who", who, "action", e.Action)
	}
}
