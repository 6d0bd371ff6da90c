package hostile

import (
	"bufio"
	"fmt"
	"net"
	"testing"

	"serverside/termsafe"
)

// RawService listens on a loopback port until the test ends and answers
// each connection with reply, once the request's head has been read: a
// learner's service that can send anything at all. It returns host:port.
func RawService(t testing.TB, reply func(c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					if line, err := br.ReadString('\n'); err != nil || line == "\r\n" {
						break
					}
				}
				reply(c)
			}()
		}
	}()
	return ln.Addr().String()
}

// EscapingReply answers with escape sequences in the status line (OSC 0, a
// window title), a header (OSC 52, a clipboard write, and a bidi override)
// and the body (termsafe.Hostile): what must never reach a terminal.
func EscapingReply(c net.Conn) {
	body := termsafe.Hostile()
	fmt.Fprintf(c, "HTTP/1.1 200 OK\x1b]0;pwned\x07\r\nX-Evil: \x1b]52;c;eA==\x07\u202e\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
}
