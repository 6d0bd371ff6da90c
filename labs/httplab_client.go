package labs

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// dropUnreadResponse forgets what the server wrote to a client that had
// already gone: net/http still finishes a handler's response (a bare
// "200 OK, Content-Length: 0"), which no client ever read.
func dropUnreadResponse(ex *Exchange) {
	if ex.ClientGaveUp {
		ex.RawResponse = nil
	}
}

// Outcome is the exchange's response in a few words: the status line, or
// why there was none.
func (ex Exchange) Outcome() string {
	switch {
	case ex.ClientGaveUp:
		return fmt.Sprintf("no response: the client gave up after %.1f s", ex.GaveUpAfter.Seconds())
	case ex.Status > 0:
		return fmt.Sprintf("%d %s", ex.Status, http.StatusText(ex.Status))
	case len(ex.RawResponse) > 0:
		return "a response that is not valid HTTP"
	default:
		return "no response"
	}
}

// preferredAddr is the context key of StartHTTPAt's wish.
type preferredAddr struct{}

// StartHTTPAt is StartHTTP on addr (a 127.0.0.1 host:port the lab had
// before) when it is free, so curl lines the learner keeps elsewhere stay
// valid; when it is not, on a free port. BaseURL says which.
func StartHTTPAt(ctx context.Context, addr, scenarioName string, taskIDs ...string) (*HTTPLab, error) {
	return StartHTTP(context.WithValue(ctx, preferredAddr{}, addr), scenarioName, taskIDs...)
}

// listenLab listens on loopback: on the address the context prefers, if
// it is a loopback one and free, else on a free port.
func listenLab(ctx context.Context, lc *net.ListenConfig) (net.Listener, error) {
	if addr, _ := ctx.Value(preferredAddr{}).(string); addr != "" {
		if host, _, err := net.SplitHostPort(addr); err == nil && host == "127.0.0.1" {
			if ln, err := lc.Listen(ctx, "tcp", addr); err == nil {
				return ln, nil
			}
		}
	}
	return lc.Listen(ctx, "tcp", "127.0.0.1:0")
}

// Cookie is one cookie a lab server set for the composer.
type Cookie struct{ Name, Value string }

// CookieJar holds the cookies the lab server set in answers to requests
// sent from the lab screen, to send back on the next ones as a browser
// would. It is a value: every change returns a new jar.
type CookieJar struct{ cookies []Cookie }

// maxJar bounds the cookies a jar keeps; a server setting more loses the
// oldest.
const maxJar = 20

// Update takes the Set-Cookie headers of ex's response: a cookie is set,
// replaced, or removed when it is expired (Max-Age ≤ 0 or a past Expires).
func (j CookieJar) Update(ex Exchange, now time.Time) CookieJar {
	if ex.ClientGaveUp || ex.ResponseHeader == nil {
		return j
	}
	out := append([]Cookie(nil), j.cookies...)
	for _, line := range ex.ResponseHeader.Values("Set-Cookie") {
		c, err := http.ParseSetCookie(line)
		if err != nil {
			continue
		}
		gone := c.MaxAge < 0 || (!c.Expires.IsZero() && !c.Expires.After(now))
		kept := out[:0]
		for _, o := range out {
			if o.Name != c.Name {
				kept = append(kept, o)
			}
		}
		out = kept
		if !gone {
			out = append(out, Cookie{Name: c.Name, Value: c.Value})
		}
	}
	if len(out) > maxJar {
		out = out[len(out)-maxJar:]
	}
	return CookieJar{cookies: out}
}

// Cookies lists the jar, oldest first.
func (j CookieJar) Cookies() []Cookie { return append([]Cookie(nil), j.cookies...) }

// Len is how many cookies the jar holds.
func (j CookieJar) Len() int { return len(j.cookies) }

// Header is the jar as a Cookie header value ("a=1; b=2").
func (j CookieJar) Header() string {
	parts := make([]string, len(j.cookies))
	for i, c := range j.cookies {
		parts[i] = c.Name + "=" + c.Value
	}
	return strings.Join(parts, "; ")
}

// Apply adds the jar's Cookie header to req, unless req writes its own.
func (j CookieJar) Apply(req Request) Request {
	if len(j.cookies) == 0 {
		return req
	}
	for _, h := range req.Headers {
		if strings.EqualFold(h.Name, "Cookie") {
			return req
		}
	}
	req.Headers = append(append([]Header(nil), req.Headers...), Header{Name: "Cookie", Value: j.Header()})
	return req
}
