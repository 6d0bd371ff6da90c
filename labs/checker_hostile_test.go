package labs

import (
	"fmt"
	"net"
	"serverside/internal/hostile"
	"strings"
	"testing"
	"time"

	"serverside/termsafe"
)

// A service's status line, headers and body reach the failure report,
// and so the terminal, only through the sanitiser.
func TestCheckFailureReportIsSanitised(t *testing.T) {
	body := termsafe.Hostile()
	addr := hostile.RawService(t, func(c net.Conn) {
		fmt.Fprintf(c, "HTTP/1.1 200 OK\x1b]0;pwned\x07\r\nX-Evil: a\x1b]52;c;ZWNobyBoaQ==\x07b\u202e\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	})
	rep, err := Check(t.Context(), "rest-resource", addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed == nil {
		t.Fatal("the check passed")
	}
	for name, text := range map[string]string{"report": rep.Text(), "failure": rep.Failed.Failure.Text(), "got": rep.Failed.Failure.Got} {
		if bad := termsafe.Reaches(text); bad != "" {
			t.Errorf("the %s lets %s reach the terminal:\n%q", name, bad, text)
		}
	}
	if !strings.Contains(rep.Failed.Failure.Got, "X-Evil: ab") {
		t.Errorf("the header should still show, without its escapes:\n%s", rep.Failed.Failure.Got)
	}
}

// An endless header line, or thousands of headers, stop the checker at a
// bound with a message that says so, instead of filling memory.
func TestCheckBoundsResponseHeaders(t *testing.T) {
	endless := hostile.RawService(t, func(c net.Conn) {
		c.Write([]byte("HTTP/1.1 200 OK\r\nX-Long: "))
		chunk := []byte(strings.Repeat("a", 32<<10))
		c.SetWriteDeadline(time.Now().Add(10 * time.Second))
		for i := 0; i < 64<<10/32*1024; i++ { // up to 2 GB, unless the reader stops
			if _, err := c.Write(chunk); err != nil {
				return
			}
		}
	})
	many := hostile.RawService(t, func(c net.Conn) {
		var b strings.Builder
		b.WriteString("HTTP/1.1 200 OK\r\n")
		for i := range 3000 {
			fmt.Fprintf(&b, "X-H%d: v\r\n", i)
		}
		b.WriteString("Content-Length: 0\r\n\r\n")
		c.Write([]byte(b.String()))
	})
	for name, c := range map[string]struct{ addr, want string }{
		"endless line": {endless, "longer than 64 KB"},
		"3000 headers": {many, "header fields; the checker reads at most 100"},
	} {
		lab, _ := FindBuildLab("rest-resource")
		rep := runCheck(t.Context(), lab, &checkClient{addr: c.addr, timeout: 30 * time.Second}, nil)
		if rep.Failed == nil || !strings.Contains(rep.Failed.Failure.Got, c.want) {
			t.Errorf("%s: the failure should say %q:\n%s", name, c.want, rep.Text())
			continue
		}
		if n := len(rep.Failed.Failure.Got); n > 2*maxShown+1024 {
			t.Errorf("%s: the failure holds %d bytes", name, n)
		}
	}
}
