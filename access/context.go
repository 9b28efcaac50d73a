package access

import "context"

// principalKey is the context key of the authenticated caller.
type principalKey struct{}

// NewContext returns a context carrying p, the caller a request was
// authenticated as. The API sets it once per request, so that a store
// keeping a record of who acted (the consent record: see ConsentEvent)
// stamps the caller's key without every signature carrying it.
func NewContext(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the caller ctx carries, and false when it carries
// none (a background task, a command run by an operator).
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// KeyFrom returns the API key ID of the caller ctx carries, or "" when it
// carries none.
func KeyFrom(ctx context.Context) string {
	p, _ := FromContext(ctx)
	return p.KeyID
}
