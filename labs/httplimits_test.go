package labs

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

func startBookshop(t *testing.T) *HTTPLab {
	t.Helper()
	l, err := StartHTTP(t.Context(), "bookshop")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// rawRequest sends text as it is and returns the status code.
func rawRequest(t *testing.T, l *HTTPLab, text string) (int, string) {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(l.BaseURL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, text); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(body)
}

// Only the lab's own names reach the scenario: a browser tricked by DNS
// rebinding sends Host evil.example.
func TestHTTPLabRefusesOtherHosts(t *testing.T) {
	l := startBookshop(t)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(l.BaseURL(), "http://"))
	for host, want := range map[string]int{
		"127.0.0.1:" + port:    200,
		"localhost:" + port:    200,
		"LOCALHOST:" + port:    200,
		"[::1]:" + port:        200,
		"evil.example":         421,
		"evil.example:" + port: 421,
		"127.0.0.1":            421,
		"127.0.0.1:1":          421,
	} {
		got, body := rawRequest(t, l, "GET /books HTTP/1.1\r\nHost: "+host+"\r\nConnection: close\r\n\r\n")
		if got != want {
			t.Errorf("Host %s: %d, want %d (%s)", host, got, want, body)
		}
	}
	got, body := rawRequest(t, l, "GET http://evil.example/books HTTP/1.1\r\nHost: 127.0.0.1:"+port+"\r\nConnection: close\r\n\r\n")
	if got != 421 || !strings.Contains(body, "only answers for 127.0.0.1") {
		t.Errorf("absolute-form target for another host: %d %s", got, body)
	}
}

// The bookshop's state is bounded: long fields get 413, a full shop 507.
func TestBookshopBoundsItsState(t *testing.T) {
	l := startBookshop(t)
	post := func(title string) (int, string) {
		body := fmt.Sprintf(`{"title": %q, "author": "A"}`, title)
		return rawRequest(t, l, fmt.Sprintf("POST /books HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
			strings.TrimPrefix(l.BaseURL(), "http://"), len(body), body))
	}
	if got, body := post(strings.Repeat("x", 900_000)); got != http.StatusRequestEntityTooLarge || !strings.Contains(body, "at most") {
		t.Errorf("a 900 KB title: %d %s", got, body)
	}
	created := 0
	for range MaxBooks + 5 {
		got, body := post("t")
		switch got {
		case http.StatusCreated:
			created++
		case http.StatusInsufficientStorage:
			if !strings.Contains(body, "DELETE some") {
				t.Errorf("507 without saying what to do: %s", body)
			}
		default:
			t.Fatalf("POST: %d %s", got, body)
		}
	}
	if created+3 != MaxBooks { // three books are there from the start
		t.Errorf("%d books created; the shop should stop at %d", created, MaxBooks)
	}
	got, body := rawRequest(t, l, "GET /books HTTP/1.1\r\nHost: "+strings.TrimPrefix(l.BaseURL(), "http://")+"\r\nConnection: close\r\n\r\n")
	if got != 200 || len(body) > MaxBooks*(2*MaxBookField+200) {
		t.Errorf("GET /books: %d, %d bytes", got, len(body))
	}
}
