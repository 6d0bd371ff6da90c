package labs

import (
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A request the client gave up on is logged as no response, with how long
// the client waited: not as the empty 200 net/http writes to nobody.
func TestClientGaveUpIsNoResponse(t *testing.T) {
	l, _ := startLab(t)
	if _, err := l.Send(t.Context(), Request{Path: "/slow?ms=5000", Timeout: 200 * time.Millisecond}); err == nil {
		t.Fatal("the send did not time out")
	}
	// The way curl --max-time does it: a raw connection closed early.
	host := strings.TrimPrefix(l.BaseURL(), "http://")
	c, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write([]byte("GET /slow?ms=5000 HTTP/1.1\r\nHost: " + host + "\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	c.Close()
	waitFor(t, func() bool { return len(l.Log()) == 2 })
	for _, ex := range l.Log() {
		if !ex.ClientGaveUp || ex.Status != 0 || len(ex.RawResponse) != 0 || ex.GaveUpAfter <= 0 {
			t.Fatalf("gave up: %+v\n%s", ex, ex.RawResponse)
		}
		if o := ex.Outcome(); !strings.HasPrefix(o, "no response: the client gave up after ") || !strings.HasSuffix(o, " s") {
			t.Fatalf("outcome %q", o)
		}
	}
	if o := (Exchange{ClientGaveUp: true, GaveUpAfter: time.Second}).Outcome(); o != "no response: the client gave up after 1.0 s" {
		t.Fatalf("outcome %q", o)
	}
}

func TestCookieJar(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	resp := func(lines ...string) Exchange {
		return Exchange{Status: 200, ResponseHeader: http.Header{"Set-Cookie": lines}}
	}
	var j CookieJar
	j = j.Update(resp("session=abc; Path=/; HttpOnly", "theme=dark"), now)
	if j.Header() != "session=abc; theme=dark" {
		t.Fatalf("jar %q", j.Header())
	}
	j = j.Update(resp("session=def; Path=/"), now)
	if j.Header() != "theme=dark; session=def" {
		t.Fatalf("replaced: %q", j.Header())
	}
	req := j.Apply(Request{Method: "GET", Path: "/me"})
	if len(req.Headers) != 1 || req.Headers[0] != (Header{"Cookie", "theme=dark; session=def"}) {
		t.Fatalf("applied: %+v", req.Headers)
	}
	own := j.Apply(Request{Path: "/me", Headers: []Header{{"cookie", "mine=1"}}})
	if len(own.Headers) != 1 || own.Headers[0].Value != "mine=1" {
		t.Fatalf("a request's own Cookie header was changed: %+v", own.Headers)
	}
	j = j.Update(resp("session=; Max-Age=0"), now)
	j = j.Update(resp("theme=; Expires=Thu, 01 Jan 1970 00:00:00 GMT"), now)
	if j.Len() != 0 {
		t.Fatalf("expired cookies kept: %q", j.Header())
	}
	if j.Update(Exchange{ClientGaveUp: true, ResponseHeader: http.Header{"Set-Cookie": {"a=1"}}}, now).Len() != 0 {
		t.Fatal("a response nobody read set a cookie")
	}
	for i := range 30 {
		j = j.Update(resp("c"+string(rune('a'+i))+"=1"), now)
	}
	if j.Len() != maxJar {
		t.Fatalf("jar holds %d", j.Len())
	}
}

// The bookshop's login works through the jar: the cookie it sets comes
// back on the next request.
func TestCookieJarLogsIn(t *testing.T) {
	l, clock := startLab(t)
	ex, err := l.Send(t.Context(), Request{Method: "POST", Path: "/login", Body: `{"username": "ada", "password": "lovelace"}`,
		Headers: []Header{{"Content-Type", "application/json"}}})
	if err != nil || ex.Status != 200 {
		t.Fatalf("login: %v %d", err, ex.Status)
	}
	j := CookieJar{}.Update(ex, clock.Now())
	me, err := l.Send(t.Context(), j.Apply(Request{Path: "/me"}))
	if err != nil || me.Status != 200 || !taskDone(l, "login-cookie-roundtrip") {
		t.Fatalf("me: %v %d\n%s", err, me.Status, me.RawRequest)
	}
}

// Reopening a lab asks for its old address and gets it while it is free;
// when something else holds it, the lab starts on another port.
func TestStartHTTPAtReusesTheAddress(t *testing.T) {
	first, err := StartHTTP(t.Context(), "bookshop")
	if err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimPrefix(first.BaseURL(), "http://")
	first.Close()
	again, err := StartHTTPAt(t.Context(), addr, "bookshop")
	if err != nil {
		t.Fatal(err)
	}
	if again.BaseURL() != "http://"+addr {
		t.Fatalf("reopened at %s, had %s", again.BaseURL(), addr)
	}
	// Now it is taken (by the lab itself): a second one moves.
	other, err := StartHTTPAt(t.Context(), addr, "bookshop")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	again.Close()
	if other.BaseURL() == "http://"+addr {
		t.Fatal("two labs on one address")
	}
	// Anything but a loopback address is not even tried.
	far, err := StartHTTPAt(t.Context(), "0.0.0.0:0", "bookshop")
	if err != nil {
		t.Fatal(err)
	}
	defer far.Close()
	if !strings.HasPrefix(far.BaseURL(), "http://127.0.0.1:") {
		t.Fatalf("listening on %s", far.BaseURL())
	}
}
