package labs

import (
	"fmt"
	"strings"
)

// withLoadHint adds, to a failure under n requests sent at once that is a
// timeout or a refused or reset connection (not a wrong answer), the
// usual causes: a server that serves one connection at a time, so the
// rest wait their turn past the checker's timeout, or a listen backlog
// too small to hold them, so the kernel refuses or drops the surplus.
// Python's stock http.server.HTTPServer is both.
func withLoadHint(err error, n int) error {
	f, ok := err.(*Failure)
	if !ok || f.Hint != "" || !underLoad(f.Got) {
		return err
	}
	f.Hint = fmt.Sprintf("Your service answers one request at a time but not %d at once. The usual causes:\n"+
		"- it serves one connection at a time, so the others wait past the %s timeout: handle each\n"+
		"  connection concurrently (a thread, goroutine or async task per connection; in Python,\n"+
		"  http.server.ThreadingHTTPServer instead of HTTPServer);\n"+
		"- its listen backlog is small (Python's socketserver queues 5), so the kernel refuses or\n"+
		"  drops the extra connections: raise it (request_queue_size = 128, listen(128)).", n, RequestTimeout)
	return f
}

// underLoad reports whether what came back is the service failing to keep
// up: no response in time, or a refused, reset or closed connection.
func underLoad(got string) bool {
	for _, s := range []string{"no complete response within", "no connection within", "connection refused",
		"connection reset", "broken pipe", "EOF"} {
		if strings.Contains(got, s) {
			return true
		}
	}
	return false
}
