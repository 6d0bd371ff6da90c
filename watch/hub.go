package watch

import (
	"context"
	"sync"
)

// Hub hands the course to any number of readers: every terminal of a
// classroom, and the instructor's view beside them. Current is the course
// as last loaded; each subscriber has its own one-place mailbox, so a slow
// reader only ever skips to the newest course and never takes an update
// from another reader (a single shared channel would hand each update to
// whichever reader asked first).
type Hub struct {
	mu      sync.Mutex
	current Update
	subs    map[chan Update]struct{}
	stopped bool
}

func newHub(first Update) *Hub {
	return &Hub{current: first, subs: map[chan Update]struct{}{}}
}

// Current is the latest Update: the first load, or the newest change since.
// Its Course is nil only when the latest change made the folder unreadable
// (Err set).
func (h *Hub) Current() Update {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.current
}

// Subscribe returns a channel that receives every Update published after
// this call; while the reader is busy, a newer Update replaces the one
// waiting, with both Changed lists joined. It is closed when ctx is done or
// the watch stops. To miss nothing, subscribe before reading Current: an
// Update published in between then arrives on the channel as well, and
// applying a course twice is harmless.
func (h *Hub) Subscribe(ctx context.Context) <-chan Update {
	ch := make(chan Update, 1)
	h.mu.Lock()
	if h.stopped {
		h.mu.Unlock()
		close(ch)
		return ch
	}
	h.subs[ch] = struct{}{}
	h.mu.Unlock()
	if done := ctx.Done(); done != nil {
		go func() {
			<-done
			h.unsubscribe(ch)
		}()
	}
	return ch
}

func (h *Hub) unsubscribe(ch chan Update) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[ch]; ok {
		delete(h.subs, ch)
		close(ch)
	}
}

// publish makes u the current Update and puts it in every mailbox. It never
// blocks: each mailbox holds one Update, which u replaces.
func (h *Hub) publish(u Update) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.current = u
	for ch := range h.subs {
		v := u
		select {
		case old := <-ch:
			v.Changed = joinSorted(old.Changed, v.Changed)
		default:
		}
		ch <- v
	}
}

// stop closes every mailbox; later subscribers get a closed channel.
func (h *Hub) stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stopped = true
	for ch := range h.subs {
		delete(h.subs, ch)
		close(ch)
	}
}
