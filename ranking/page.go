package ranking

import (
	"encoding/base64"
	"math"
	"slices"
	"strconv"
	"strings"

	"carefit/internal/kit/errs"
	"carefit/match"
)

// Pages of ranked lists: facet counts, cursors, and the bounded heap that
// keeps a page.

// ErrBadCursor means a page cursor was not issued by this list: a
// malformed request naming the cursor parameter.
var ErrBadCursor = &errs.Error{Op: "ranking", Kind: errs.Malformed, Message: "the cursor is not from this list",
	Fields: []errs.Field{{Path: "cursor", Message: "not a cursor of this list"}}}

// Facets counts the values of the filterable attributes in a result.
type Facets map[string]map[string]int

func (f Facets) add(name, value string) {
	if value == "" {
		return
	}
	m := f[name]
	if m == nil {
		m = map[string]int{}
		f[name] = m
	}
	m[value]++
}

// Page is one page of a ranked list.
type Page struct {
	// Items are ranked best first in the list's order (match.Order), ties
	// broken by ID.
	Items []match.Ranked
	// Total is the number of items in the whole filtered list.
	Total int
	// Facets count the filter values over the whole filtered list.
	Facets Facets
	// NextCursor continues after the last item; empty on the last page.
	NextCursor string
}

// IDs returns the IDs of the page's items in order.
func (p Page) IDs() []string {
	ids := make([]string, len(p.Items))
	for i, r := range p.Items {
		ids[i] = r.ID
	}
	return ids
}

// A cursor encodes the order of its list and the last item of a page: the
// list continues with the items ranked strictly after it. A cursor of
// another order is not one of this list.
func encodeCursor(r match.Ranked, by match.Order) string {
	f := func(v float64) string { return strconv.FormatUint(math.Float64bits(v), 16) }
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(int(by)) + ":" + f(r.Score) + ":" + f(r.Fit) + ":" + r.ID))
}

func decodeCursor(s string, by match.Order) (*match.Ranked, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(s) > 200 {
		return nil, ErrBadCursor
	}
	parts := strings.SplitN(string(b), ":", 4)
	if len(parts) != 4 || parts[0] != strconv.Itoa(int(by)) || parts[3] == "" {
		return nil, ErrBadCursor
	}
	score, err1 := strconv.ParseUint(parts[1], 16, 64)
	fit, err2 := strconv.ParseUint(parts[2], 16, 64)
	if err1 != nil || err2 != nil {
		return nil, ErrBadCursor
	}
	return &match.Ranked{ID: parts[3], Score: math.Float64frombits(score), Fit: math.Float64frombits(fit)}, nil
}

// best keeps the k items ranked first in order by among those pushed, or
// among those ranked after after when it is set: a heap whose root is the
// worst item kept, so a list of any length costs k items of memory.
type best struct {
	k      int
	by     match.Order
	after  *match.Ranked
	h      []match.Ranked
	pushed int // items pushed that rank after after
}

func (b *best) push(r match.Ranked) {
	if b.after != nil && b.by.Compare(r, *b.after) <= 0 {
		return
	}
	b.pushed++
	if b.k <= 0 {
		return
	}
	if len(b.h) < b.k {
		b.h = append(b.h, r)
		for i := len(b.h) - 1; i > 0; {
			up := (i - 1) / 2
			if b.by.Compare(b.h[up], b.h[i]) >= 0 {
				break
			}
			b.h[up], b.h[i] = b.h[i], b.h[up]
			i = up
		}
		return
	}
	if b.by.Compare(r, b.h[0]) >= 0 {
		return
	}
	b.h[0] = r
	for i := 0; ; {
		l, worst := 2*i+1, i
		if l < len(b.h) && b.by.Compare(b.h[l], b.h[worst]) > 0 {
			worst = l
		}
		if l+1 < len(b.h) && b.by.Compare(b.h[l+1], b.h[worst]) > 0 {
			worst = l + 1
		}
		if worst == i {
			break
		}
		b.h[i], b.h[worst] = b.h[worst], b.h[i]
		i = worst
	}
}

// sorted returns the items kept, best first; more is true when items
// were pushed past them.
func (b *best) sorted() (items []match.Ranked, more bool) {
	slices.SortFunc(b.h, b.by.Compare)
	return b.h, b.pushed > len(b.h)
}
