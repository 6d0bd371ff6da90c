package labs

import (
	"bufio"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func startStreams(t *testing.T, tasks ...string) *HTTPLab {
	t.Helper()
	// The real clock: the long-poll task compares when exchanges arrived.
	l, err := startHTTP(t.Context(), "streams", time.Now, tasks)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func TestStreamsEventsArriveAsEventsAndResume(t *testing.T) {
	l := startStreams(t)
	ex := send(t, l, "GET", "/events?count=3", "")
	if ex.Status != http.StatusOK || !strings.HasPrefix(ex.ResponseHeader.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("status %d, Content-Type %q", ex.Status, ex.ResponseHeader.Get("Content-Type"))
	}
	raw := string(ex.RawResponse)
	for _, want := range []string{"id: 1\nevent: tick\ndata: {\"n\": 1}\n\n", "id: 3\n", "retry: 2000\n"} {
		if !strings.Contains(raw, want) {
			t.Errorf("the stream lacks %q:\n%s", want, raw)
		}
	}
	if strings.Contains(raw, "id: 4\n") {
		t.Errorf("count=3 sent a fourth event:\n%s", raw)
	}
	if !taskDone(l, "sse-stream") || taskDone(l, "sse-resume") {
		t.Fatalf("tasks after a plain stream: %+v", l.Tasks())
	}

	ex = send(t, l, "GET", "/events?count=2", "", Header{"Last-Event-ID", "7"})
	raw = string(ex.RawResponse)
	if !strings.Contains(raw, "id: 8\n") || !strings.Contains(raw, "id: 9\n") || strings.Contains(raw, "id: 7\n") {
		t.Errorf("resuming after 7 should send 8 and 9:\n%s", raw)
	}
	if !taskDone(l, "sse-resume") {
		t.Fatal("sse-resume not done after a Last-Event-ID request")
	}

	for _, bad := range []string{"/events?count=0", "/events?count=21", "/events?count=x"} {
		if ex := send(t, l, "GET", bad, ""); ex.Status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", bad, ex.Status)
		}
	}
	if ex := send(t, l, "GET", "/events", "", Header{"Last-Event-ID", "abc"}); ex.Status != http.StatusBadRequest {
		t.Errorf("a non-numeric Last-Event-ID: status %d, want 400", ex.Status)
	}
}

// Each event must leave the server when it is written, not when the stream
// ends: the client reads the first event while the stream is still open.
func TestStreamsEventsAreFlushedOneByOne(t *testing.T) {
	l := startStreams(t)
	resp, err := http.Get(l.BaseURL() + "/events?count=20")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := bufio.NewReader(resp.Body)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("the stream ended before its first event: %v", err)
		}
		if line == "id: 1\n" {
			break
		}
	}
	// The server has not finished (it logs an exchange when it closes the
	// connection), so the event was flushed, not buffered to the end.
	if n := len(l.Log()); n != 0 {
		t.Fatalf("the first event arrived only after the stream had ended (%d exchange logged)", n)
	}
	// The rest of a 20-event stream is still to come: closing now is a
	// client leaving mid-stream, which the server must notice.
	resp.Body.Close()
	waitFor(t, func() bool { return len(l.Log()) == 1 })
	if strings.Contains(string(l.Log()[0].RawResponse), "id: 20\n") {
		t.Fatal("the server kept producing events for a client that had left")
	}
	if !l.Log()[0].ClientGaveUp || !taskDone(l, "leave-stream") {
		t.Errorf("leaving mid-stream was not noticed: %+v", l.Tasks())
	}
}

func TestStreamsLongPollWakesOnPublish(t *testing.T) {
	l := startStreams(t)
	type result struct {
		ex  Exchange
		err error
	}
	done := make(chan result, 1)
	go func() {
		ex, err := l.Send(t.Context(), Request{Method: "GET", Path: "/poll?after=0&wait=20", Timeout: 25 * time.Second})
		done <- result{ex, err}
	}()
	// Publish only once the poll is waiting on the server.
	st := l.state.(*streams)
	waitFor(t, func() bool {
		st.mu.Lock()
		defer st.mu.Unlock()
		return st.waiting == 1
	})
	pub := send(t, l, "POST", "/messages", "hello, pollers")
	if pub.Status != http.StatusCreated {
		t.Fatalf("publish: status %d", pub.Status)
	}
	res := <-done
	if res.err != nil {
		t.Fatal(res.err)
	}
	if res.ex.Status != http.StatusOK || !strings.Contains(string(res.ex.RawResponse), "hello, pollers") {
		t.Fatalf("the poll's answer: %d\n%s", res.ex.Status, res.ex.RawResponse)
	}
	waitFor(t, func() bool { return taskDone(l, "long-poll") })

	// A poll for messages already there answers at once, without being
	// woken, which does not count as the task.
	l2 := startStreams(t, "long-poll")
	send(t, l2, "POST", "/messages", "early")
	ex := send(t, l2, "GET", "/poll?after=0", "")
	if !strings.Contains(string(ex.RawResponse), "early") {
		t.Fatalf("poll after a publish:\n%s", ex.RawResponse)
	}
	if taskDone(l2, "long-poll") {
		t.Error("long-poll done by a poll that never waited")
	}
	if ex := send(t, l2, "GET", "/poll?after=0&wait=0", ""); ex.Status != http.StatusOK {
		t.Errorf("wait=0: status %d", ex.Status)
	}
	for _, bad := range []string{"/poll?after=-1", "/poll?wait=26", "/poll?after=x"} {
		if ex := send(t, l2, "GET", bad, ""); ex.Status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", bad, ex.Status)
		}
	}
	if ex := send(t, l2, "POST", "/messages", strings.Repeat("x", messageMax+1)); ex.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("an oversized message: status %d, want 413", ex.Status)
	}
}

func TestStreamsRangeRequests(t *testing.T) {
	l := startStreams(t)
	whole := send(t, l, "GET", "/files/report.csv", "")
	body := whole.RawResponse[strings.Index(string(whole.RawResponse), "\r\n\r\n")+4:]
	if whole.Status != http.StatusOK || len(body) != reportSize || whole.ResponseHeader.Get("Accept-Ranges") != "bytes" {
		t.Fatalf("whole file: status %d, %d bytes, Accept-Ranges %q", whole.Status, len(body), whole.ResponseHeader.Get("Accept-Ranges"))
	}

	part := send(t, l, "GET", "/files/report.csv", "", Header{"Range", "bytes=100-199"})
	if part.Status != http.StatusPartialContent || part.ResponseHeader.Get("Content-Range") != "bytes 100-199/20000" {
		t.Fatalf("range: status %d, Content-Range %q", part.Status, part.ResponseHeader.Get("Content-Range"))
	}
	got := part.RawResponse[strings.Index(string(part.RawResponse), "\r\n\r\n")+4:]
	if string(got) != string(body[100:200]) {
		t.Errorf("the range's bytes differ from the whole file's bytes 100-199")
	}
	if !taskDone(l, "range-206") {
		t.Error("range-206 not done")
	}

	if ex := send(t, l, "GET", "/files/report.csv", "", Header{"Range", "bytes=50000-"}); ex.Status != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("a range past the end: status %d, want 416", ex.Status)
	}
	etag := whole.ResponseHeader.Get("Etag")
	if ex := send(t, l, "GET", "/files/report.csv", "", Header{"Range", "bytes=0-9"}, Header{"If-Range", etag}); ex.Status != http.StatusPartialContent {
		t.Errorf("If-Range with the current ETag %s: status %d, want 206", etag, ex.Status)
	}
	if ex := send(t, l, "GET", "/files/report.csv", "", Header{"Range", "bytes=0-9"}, Header{"If-Range", `"report-v0"`}); ex.Status != http.StatusOK {
		t.Errorf("If-Range with a stale ETag: status %d, want 200 with the whole file", ex.Status)
	}
	for _, id := range []string{"range-416", "if-range-resume", "if-range-stale"} {
		if !taskDone(l, id) {
			t.Errorf("%s not done", id)
		}
	}
	head := send(t, l, "HEAD", "/files/report.csv", "")
	if head.Status != http.StatusOK || head.ResponseHeader.Get("Content-Length") != "20000" {
		t.Errorf("HEAD: status %d, Content-Length %q", head.Status, head.ResponseHeader.Get("Content-Length"))
	}
}

func TestStreamsGuideIsServedAndListed(t *testing.T) {
	l := startStreams(t)
	resp, err := http.Get(l.BaseURL() + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(b), "/events") {
		t.Errorf("the index does not describe the routes:\n%s", b)
	}
	if g, err := ScenarioGuide("streams"); err != nil || g != StreamsGuide {
		t.Errorf("ScenarioGuide(streams) = %q, %v", g, err)
	}
}

// The lab screen opens with a request that works on the scenario it runs,
// not on the bookshop.
func TestScenarioStarterFitsTheScenario(t *testing.T) {
	for name, want := range map[string]string{"bookshop": "GET /books/1\n", "streams": "GET /events"} {
		if got := ScenarioStarter(name); !strings.HasPrefix(got, want) {
			t.Errorf("ScenarioStarter(%q) = %q, want it to start with %q", name, got, want)
		}
	}
}

func TestStreamsWebSocketHandshake(t *testing.T) {
	// RFC 6455 §1.3's worked example.
	if got := websocketAccept("dGhlIHNhbXBsZSBub25jZQ=="); got != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Fatalf("accept for the RFC's key = %q", got)
	}
	l := startStreams(t, "ws-handshake", "ws-foreign-origin")
	hs := []Header{{"Connection", "Upgrade"}, {"Upgrade", "websocket"}, {"Sec-WebSocket-Version", "13"}, {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}}
	ex := send(t, l, "GET", "/ws", "", hs...)
	if ex.Status != http.StatusSwitchingProtocols || ex.ResponseHeader.Get("Sec-WebSocket-Accept") != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Fatalf("handshake: %d\n%s", ex.Status, ex.RawResponse)
	}
	if !taskDone(l, "ws-handshake") || taskDone(l, "ws-foreign-origin") {
		t.Fatalf("tasks after a good handshake: %+v", l.Tasks())
	}
	// A page from this very server may connect.
	if ex := send(t, l, "GET", "/ws", "", append(hs, Header{"Origin", l.BaseURL()})...); ex.Status != http.StatusSwitchingProtocols {
		t.Errorf("same-origin handshake: status %d", ex.Status)
	}
	if ex := send(t, l, "GET", "/ws", "", append(hs, Header{"Origin", "https://evil.example"})...); ex.Status != http.StatusForbidden {
		t.Errorf("foreign Origin: status %d, want 403", ex.Status)
	}
	if !taskDone(l, "ws-foreign-origin") {
		t.Error("ws-foreign-origin not done after a 403")
	}
	bad := map[string][]Header{
		"no upgrade":  hs[2:],
		"bad key":     {hs[0], hs[1], hs[2], {"Sec-WebSocket-Key", "short"}},
		"old version": {hs[0], hs[1], {"Sec-WebSocket-Version", "8"}, hs[3]},
	}
	want := map[string]int{"no upgrade": 400, "bad key": 400, "old version": 426}
	for name, headers := range bad {
		if ex := send(t, l, "GET", "/ws", "", headers...); ex.Status != want[name] {
			t.Errorf("%s: status %d, want %d", name, ex.Status, want[name])
		}
	}
	if ex := send(t, l, "POST", "/ws", "", hs...); ex.Status != http.StatusMethodNotAllowed {
		t.Errorf("POST /ws: status %d, want 405", ex.Status)
	}
}
