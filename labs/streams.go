package labs

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// StreamsGuide describes the streams scenario's routes for the learner.
const StreamsGuide = `The streams server answers slowly on purpose: its responses arrive in pieces, or wait for news.

| Route | What it does |
| --- | --- |
| GET /events | server-sent events (text/event-stream): 5 events, one every 0.3 s, each with an id; ?count=N for up to 20 |
| GET /events + Last-Event-ID: N | the same stream, resumed after event N |
| GET /poll?after=N | long polling: waits (up to ?wait=S seconds, default 10, at most 25) for a message newer than N |
| POST /messages | publish a message (any text body, at most 1 KiB): wakes every waiting /poll |
| GET /files/report.csv | a 20,000-byte file with an ETag; honours Range, If-Range and HEAD |
| GET /ws | a WebSocket opening handshake (RFC 6455): 101 with Sec-WebSocket-Accept, then the connection closes; a foreign Origin gets 403 |

Every response closes its connection (Connection: close). With curl, -N shows events as they arrive.`

// Timing and size bounds of the streams scenario.
const (
	streamGap      = 300 * time.Millisecond
	streamDefault  = 5
	streamMax      = 20
	pollDefault    = 10 * time.Second
	pollMax        = 25 * time.Second // below the lab server's 30 s WriteTimeout
	messageMax     = 1 << 10
	messagesKept   = 100
	reportSize     = 20000
	reportETag     = `"report-v1"`
	reportFileName = "report.csv"
)

func streamsScenario() *scenario {
	return &scenario{
		name:    "streams",
		title:   "Streams, long polls and ranges",
		guide:   StreamsGuide,
		starter: "GET /events?count=3\nAccept: text/event-stream\n",
		handler: newStreams,
		tasks: []httpTask{
			{ID: "sse-stream", Title: "Read an event stream",
				Do: "GET /events (curl -N shows each event as it arrives): 200 with Content-Type text/event-stream, events separated by blank lines.",
				done: anyExchange(func(e Exchange) bool {
					return e.Method == http.MethodGet && e.Path == "/events" && e.Status == http.StatusOK &&
						strings.HasPrefix(e.ResponseHeader.Get("Content-Type"), "text/event-stream")
				})},
			{ID: "sse-resume", Title: "Resume after a drop",
				Do: "GET /events again with a Last-Event-ID header naming the last id you saw: the stream starts after it.",
				done: anyExchange(func(e Exchange) bool {
					return e.Method == http.MethodGet && e.Path == "/events" && e.Status == http.StatusOK &&
						e.RequestHeader.Get("Last-Event-ID") != ""
				})},
			{ID: "leave-stream", Title: "Leave in the middle",
				Do:   "GET /events?count=20 and stop reading after a few events (Ctrl-C in curl): the server notices the client left and stops producing.",
				done: anyExchange(func(e Exchange) bool { return e.Path == "/events" && e.ClientGaveUp })},
			{ID: "long-poll", Title: "Be woken by news",
				Do:   "GET /poll?after=0 in one terminal and, while it waits, POST /messages from another: the poll answers at once with the message.",
				done: wokenPoll},
			{ID: "ws-handshake", Title: "Open a WebSocket",
				Do: "GET /ws with Connection: Upgrade, Upgrade: websocket, Sec-WebSocket-Version: 13 and Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ== : 101 Switching Protocols, with the Sec-WebSocket-Accept the RFC's example gives.",
				done: anyExchange(func(e Exchange) bool {
					return e.Path == "/ws" && e.Status == http.StatusSwitchingProtocols && e.ResponseHeader.Get("Sec-WebSocket-Accept") != ""
				})},
			{ID: "ws-foreign-origin", Title: "Be refused from another site",
				Do:   "Send the same handshake with Origin: https://evil.example : 403, because the server only accepts pages from its own origin.",
				done: anyExchange(func(e Exchange) bool { return e.Path == "/ws" && e.Status == http.StatusForbidden })},
			{ID: "range-206", Title: "Ask for part of a file",
				Do: "GET /files/report.csv with Range: bytes=0-99: 206 Partial Content and a Content-Range header.",
				done: anyExchange(func(e Exchange) bool {
					return e.Method == http.MethodGet && e.Path == "/files/"+reportFileName && e.Status == http.StatusPartialContent &&
						e.ResponseHeader.Get("Content-Range") != ""
				})},
			{ID: "range-416", Title: "Ask for bytes that are not there",
				Do: "GET /files/report.csv with a Range that starts past the end (bytes=50000-): 416 Range Not Satisfiable.",
				done: anyExchange(func(e Exchange) bool {
					return e.Path == "/files/"+reportFileName && e.Status == http.StatusRequestedRangeNotSatisfiable
				})},
			{ID: "if-range-resume", Title: "Resume safely",
				Do: "GET /files/report.csv with a Range and If-Range set to the file's ETag: 206, because the file is unchanged.",
				done: anyExchange(func(e Exchange) bool {
					return e.Path == "/files/"+reportFileName && e.Status == http.StatusPartialContent &&
						e.RequestHeader.Get("If-Range") != "" && e.RequestHeader.Get("Range") != ""
				})},
			{ID: "if-range-stale", Title: "Resume a file that changed",
				Do: `GET /files/report.csv with a Range and an If-Range that does not match (say "report-v0"): the whole file, 200.`,
				done: anyExchange(func(e Exchange) bool {
					return e.Path == "/files/"+reportFileName && e.Method == http.MethodGet && e.Status == http.StatusOK &&
						e.RequestHeader.Get("If-Range") != "" && e.RequestHeader.Get("Range") != ""
				})},
		},
	}
}

// wokenPoll: a /poll answered 200 after a message was published while it
// was waiting, so the answer came from the publish, not the timeout.
func wokenPoll(log []Exchange) bool {
	for _, p := range log {
		if p.Method != http.MethodGet || p.Path != "/poll" || p.Status != http.StatusOK {
			continue
		}
		end := p.Time.Add(p.Duration)
		for _, m := range log {
			if m.Method == http.MethodPost && m.Path == "/messages" && m.Status == http.StatusCreated &&
				m.Time.After(p.Time) && !m.Time.After(end) {
				return true
			}
		}
	}
	return false
}

type message struct {
	ID   int    `json:"id"`
	Text string `json:"text"`
}

type streams struct {
	start  time.Time
	report []byte

	mux *http.ServeMux

	mu       sync.Mutex
	messages []message
	nextID   int
	wake     chan struct{} // closed and replaced on every publish
	waiting  int           // polls blocked now, for tests to publish at the right moment
}

func (s *streams) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func newStreams(clock func() time.Time) http.Handler {
	s := &streams{start: clock().UTC().Truncate(time.Second), report: reportCSV(), wake: make(chan struct{})}
	mux := http.NewServeMux()
	s.mux = mux
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
		io.WriteString(w, StreamsGuide+"\n")
	})
	mux.HandleFunc("GET /events", s.events)
	mux.HandleFunc("GET /poll", s.poll)
	mux.HandleFunc("POST /messages", s.publish)
	mux.HandleFunc("GET /files/"+reportFileName, s.file)
	mux.HandleFunc("/ws", s.websocket)
	return s
}

// reportCSV is the downloadable file: the same bytes every run, so a range
// can be checked against the whole.
func reportCSV() []byte {
	var b bytes.Buffer
	b.WriteString("day,orders,revenue_cents\n")
	for day := 1; b.Len() < reportSize; day++ {
		fmt.Fprintf(&b, "%d,%d,%d\n", day, 40+day*7%31, 125000+day*3917%50000)
	}
	return b.Bytes()[:reportSize]
}

func (s *streams) events(w http.ResponseWriter, r *http.Request) {
	count := streamDefault
	if v := r.URL.Query().Get("count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > streamMax {
			http.Error(w, fmt.Sprintf("count must be a whole number from 1 to %d", streamMax), http.StatusBadRequest)
			return
		}
		count = n
	}
	first := 1
	if v := r.Header.Get("Last-Event-ID"); v != "" {
		last, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || last < 0 {
			http.Error(w, "Last-Event-ID must be the id of an event this server sent (a whole number)", http.StatusBadRequest)
			return
		}
		first = last + 1
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	rc := http.NewResponseController(w)
	plural := "s"
	if count == 1 {
		plural = ""
	}
	fmt.Fprintf(w, ": %d event%s follow, one every %s\nretry: 2000\n\n", count, plural, streamGap)
	rc.Flush()
	timer := time.NewTimer(streamGap)
	defer timer.Stop()
	for id := first; id < first+count; id++ {
		select {
		case <-r.Context().Done():
			noteClientGaveUp(r) // the client left; stop producing
			return
		case <-timer.C:
		}
		fmt.Fprintf(w, "id: %d\nevent: tick\ndata: {\"n\": %d}\n\n", id, id)
		if rc.Flush() != nil {
			noteClientGaveUp(r)
			return
		}
		timer.Reset(streamGap)
	}
}

func (s *streams) poll(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	after, err := strconv.Atoi(q.Get("after"))
	if q.Get("after") == "" {
		after, err = 0, nil
	}
	if err != nil || after < 0 {
		http.Error(w, "after must be the id of the last message you have (0 for none)", http.StatusBadRequest)
		return
	}
	wait := pollDefault
	if v := q.Get("wait"); v != "" {
		secs, err := strconv.Atoi(v)
		if err != nil || secs < 0 || time.Duration(secs)*time.Second > pollMax {
			http.Error(w, fmt.Sprintf("wait must be a whole number of seconds from 0 to %d", int(pollMax.Seconds())), http.StatusBadRequest)
			return
		}
		wait = time.Duration(secs) * time.Second
	}
	timeout := time.NewTimer(wait)
	defer timeout.Stop()
	for {
		s.mu.Lock()
		var news []message
		for _, m := range s.messages {
			if m.ID > after {
				news = append(news, m)
			}
		}
		next, wake := s.nextID, s.wake
		if len(news) > 0 {
			s.mu.Unlock()
			writeJSON(w, http.StatusOK, map[string]any{"messages": news, "next": next})
			return
		}
		s.waiting++
		s.mu.Unlock()
		var woken bool
		select {
		case <-wake:
			woken = true
		case <-timeout.C:
		case <-r.Context().Done():
		}
		s.mu.Lock()
		s.waiting--
		s.mu.Unlock()
		if !woken {
			if r.Context().Err() == nil {
				writeJSON(w, http.StatusOK, map[string]any{"messages": []message{}, "next": after})
			}
			return
		}
	}
}

func (s *streams) publish(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, messageMax+1))
	if err != nil {
		http.Error(w, "could not read the body", http.StatusBadRequest)
		return
	}
	if len(body) > messageMax {
		http.Error(w, fmt.Sprintf("a message is at most %d bytes", messageMax), http.StatusRequestEntityTooLarge)
		return
	}
	text := strings.TrimSpace(string(body))
	if text == "" {
		http.Error(w, "send the message text as the body", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.nextID++
	m := message{ID: s.nextID, Text: text}
	s.messages = append(s.messages, m)
	if len(s.messages) > messagesKept {
		s.messages = s.messages[len(s.messages)-messagesKept:]
	}
	close(s.wake)
	s.wake = make(chan struct{})
	s.mu.Unlock()
	w.Header().Set("Location", "/poll?after="+strconv.Itoa(m.ID-1))
	writeJSON(w, http.StatusCreated, m)
}

func (s *streams) file(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("ETag", reportETag)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	http.ServeContent(w, r, reportFileName, s.start, bytes.NewReader(s.report))
}

// websocketGUID is the fixed string RFC 6455 §1.3 appends to the key.
const websocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// websocketAccept is the Sec-WebSocket-Accept value for a key.
func websocketAccept(key string) string {
	sum := sha1.Sum([]byte(key + websocketGUID))
	return base64.StdEncoding.EncodeToString(sum[:])
}

func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// websocket checks an opening handshake as RFC 6455 §4.2.1 asks and, when
// it is right, answers 101 and closes: the lab is about the handshake, and
// closing at once keeps binary frames out of the log.
func (s *streams) websocket(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "a WebSocket handshake is a GET", http.StatusMethodNotAllowed)
		return
	}
	if !headerHasToken(r.Header, "Upgrade", "websocket") || !headerHasToken(r.Header, "Connection", "upgrade") {
		http.Error(w, "a WebSocket handshake needs Upgrade: websocket and Connection: Upgrade", http.StatusBadRequest)
		return
	}
	if r.Header.Get("Sec-WebSocket-Version") != "13" {
		w.Header().Set("Sec-WebSocket-Version", "13")
		http.Error(w, "this server speaks WebSocket version 13: send Sec-WebSocket-Version: 13", http.StatusUpgradeRequired)
		return
	}
	key := strings.TrimSpace(r.Header.Get("Sec-WebSocket-Key"))
	if raw, err := base64.StdEncoding.DecodeString(key); err != nil || len(raw) != 16 {
		http.Error(w, "Sec-WebSocket-Key must be 16 random bytes in base64 (24 characters)", http.StatusBadRequest)
		return
	}
	// Browsers always send Origin; tools such as curl send none. Accept a
	// page served from this server only.
	if origin := r.Header.Get("Origin"); origin != "" && origin != "http://"+r.Host {
		http.Error(w, fmt.Sprintf("Origin %s is not this site (http://%s): refused, as cross-site WebSocket hijacking would otherwise work", origin, r.Host), http.StatusForbidden)
		return
	}
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "this connection cannot be upgraded", http.StatusInternalServerError)
		return
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n", websocketAccept(key))
	buf.Flush()
}
