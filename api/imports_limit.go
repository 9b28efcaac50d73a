package api

import (
	"strconv"
	"sync"

	"github.com/labstack/echo/v4"

	"carefit/internal/kit/errs"
)

// importSlots bounds how many NDJSON imports one API key runs at once. An
// import streams its body, so memory stays bounded per import; the slots
// bound the imports, so one key cannot hold every database connection or
// starve the other callers.
type importSlots struct {
	limit   int
	mu      sync.Mutex
	running map[string]int
}

func newImportSlots(limit int) *importSlots {
	if limit <= 0 {
		limit = 2
	}
	return &importSlots{limit: limit, running: map[string]int{}}
}

// middleware answers 429, naming the limit, to a key already running its
// limit of imports, and frees the slot when the import ends.
func (sl *importSlots) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		key := principal(c).KeyID
		sl.mu.Lock()
		if sl.running[key] >= sl.limit {
			sl.mu.Unlock()
			c.Response().Header().Set("Retry-After", "5")
			return &errs.Error{Op: "api", Kind: errs.RateLimited,
				Message: "this API key is already running " + strconv.Itoa(sl.limit) + " imports (CAREFIT_IMPORTS_PER_KEY): wait for one to finish"}
		}
		sl.running[key]++
		sl.mu.Unlock()
		defer func() {
			sl.mu.Lock()
			if sl.running[key]--; sl.running[key] == 0 {
				delete(sl.running, key)
			}
			sl.mu.Unlock()
		}()
		return next(c)
	}
}
