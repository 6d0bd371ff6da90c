package labs

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"
)

// The TTL the checker sets, and how long it waits before expecting the key
// gone: generous, so a loaded machine doesn't fail a correct server.
const (
	kvCheckTTL  = 300 * time.Millisecond
	kvCheckWait = 800 * time.Millisecond
)

const kvTTLSpec = "# Build: a key-value store with expiry\n\n" +
	"Write an HTTP service, in any language, that stores string values under keys, in memory, and can\n" +
	"forget a key after a time to live (TTL), like a small Redis or Memcached. Run it on `127.0.0.1`,\n" +
	"then check it with `serverside check kv-ttl --addr 127.0.0.1:PORT`.\n\n" +
	"Keys are made of letters, digits, `-` and `_`. Every response with a body sends\n" +
	"`Content-Type: application/json`; every error body is an object with an `error` message (or Problem\n" +
	"Details: `application/problem+json` with a `title`).\n\n" +
	"| Request | Answer |\n" +
	"| --- | --- |\n" +
	"| `GET /health` | `200` (any body) |\n" +
	"| `PUT /kv/{key}` with `{\"value\": \"…\"}` | `200`, `201` or `204`; the key now holds the value (replacing any old one) and never expires |\n" +
	"| `PUT /kv/{key}` with `{\"value\": \"…\", \"ttl_ms\": 300}` | the same, but the key expires 300 ms later |\n" +
	"| `PUT /kv/{key}` with a body that is not JSON, no string `value`, or a `ttl_ms` that is not a positive whole number | `400` and an error body |\n" +
	"| `GET /kv/{key}` | `200` and `{\"key\": \"…\", \"value\": \"…\"}` |\n" +
	"| `GET /kv/{key}` of a key never set, deleted, or expired | `404` and an error body |\n" +
	"| `DELETE /kv/{key}` | `204` (or `200`); `404` if the key does not exist |\n\n" +
	"An expired key must be gone for readers at once, whether or not anything has cleaned it up yet.\n" +
	"Many clients write at the same time: the checker sends 50 PUTs at once, half of them to the same\n" +
	"key. Every write must succeed, none may be lost, and the shared key must end up holding one of the\n" +
	"values written to it, whole.\n\n" +
	"The checker runs in stages. When a stage passes, the earlier ones run again, so a change that breaks\n" +
	"something that used to work is caught at once.\n"

func kvTTLLab() BuildLab {
	return BuildLab{
		ID:      "kv-ttl",
		Title:   "A key-value store with expiry",
		Summary: "PUT, GET and DELETE keys over HTTP, with a time to live, safe under concurrent writers.",
		Spec:    kvTTLSpec,
		stages: []stage{
			{id: "health", title: "GET /health answers 200", run: checkHealth},
			{id: "put-get", title: "PUT then GET a key", run: kvPutGet},
			{id: "missing", title: "a missing key is 404 with a JSON error", run: kvMissing},
			{id: "overwrite", title: "a second PUT replaces the value", run: kvOverwrite},
			{id: "delete", title: "DELETE removes a key", run: kvDelete},
			{id: "bad-input", title: "a bad body is 400 with a JSON error", run: kvBadInput},
			{id: "ttl", title: "a key with ttl_ms expires; one without stays", run: kvTTL},
			{id: "concurrent-writers", title: "50 concurrent PUTs: none lost", run: kvConcurrent},
		},
	}
}

func kvPut(ctx context.Context, c *checkClient, key, value string, ttl time.Duration) error {
	body := map[string]any{"value": value}
	if ttl > 0 {
		body["ttl_ms"] = ttl.Milliseconds()
	}
	b, _ := json.Marshal(body)
	step := fmt.Sprintf("setting %s with PUT /kv/%s", key, key)
	r, err := c.send(ctx, step, http.MethodPut, "/kv/"+key, jsonHeader, string(b))
	if err != nil {
		return err
	}
	return r.expectStatus(step, http.StatusOK, http.StatusCreated, http.StatusNoContent)
}

func kvExpect(ctx context.Context, c *checkClient, step, key, value string) error {
	r, err := c.send(ctx, step, http.MethodGet, "/kv/"+key, nil, "")
	if err != nil {
		return err
	}
	if err := r.expectStatus(step, http.StatusOK); err != nil {
		return err
	}
	obj, err := r.expectJSONObject(step)
	if err != nil {
		return err
	}
	if obj["key"] != key || obj["value"] != value {
		return r.fail(step, `the body {"key": %q, "value": %q}`, key, value)
	}
	return nil
}

func kvExpectMissing(ctx context.Context, c *checkClient, step, key string) error {
	r, err := c.send(ctx, step, http.MethodGet, "/kv/"+key, nil, "")
	if err != nil {
		return err
	}
	if err := r.expectStatus(step, http.StatusNotFound); err != nil {
		return err
	}
	return r.expectJSONError(step)
}

func kvPutGet(ctx context.Context, c *checkClient) error {
	key, value := "k-"+token(), "hello "+token()
	if err := kvPut(ctx, c, key, value, 0); err != nil {
		return err
	}
	return kvExpect(ctx, c, "reading the key just set", key, value)
}

func kvMissing(ctx context.Context, c *checkClient) error {
	return kvExpectMissing(ctx, c, "reading a key that was never set", "never-set-"+token())
}

func kvOverwrite(ctx context.Context, c *checkClient) error {
	key := "k-" + token()
	if err := kvPut(ctx, c, key, "first", 0); err != nil {
		return err
	}
	if err := kvPut(ctx, c, key, "second", 0); err != nil {
		return err
	}
	return kvExpect(ctx, c, "reading the key after setting it twice", key, "second")
}

func kvDelete(ctx context.Context, c *checkClient) error {
	key := "k-" + token()
	if err := kvPut(ctx, c, key, "doomed", 0); err != nil {
		return err
	}
	step := "deleting the key with DELETE /kv/" + key
	r, err := c.send(ctx, step, http.MethodDelete, "/kv/"+key, nil, "")
	if err != nil {
		return err
	}
	if err := r.expectStatus(step, http.StatusNoContent, http.StatusOK); err != nil {
		return err
	}
	if err := kvExpectMissing(ctx, c, "reading the key after deleting it", key); err != nil {
		return err
	}
	step = "deleting the key a second time"
	r, err = c.send(ctx, step, http.MethodDelete, "/kv/"+key, nil, "")
	if err != nil {
		return err
	}
	return r.expectStatus(step, http.StatusNotFound)
}

func kvBadInput(ctx context.Context, c *checkClient) error {
	key := "k-" + token()
	for _, bad := range []struct{ what, body string }{
		{"a body that is not JSON", `{"value": `},
		{"no value", `{"ttl_ms": 100}`},
		{"a value that is not a string", `{"value": 42}`},
		{"a negative ttl_ms", `{"value": "x", "ttl_ms": -5}`},
		{"a ttl_ms that is not a number", `{"value": "x", "ttl_ms": "soon"}`},
	} {
		step := fmt.Sprintf("sending PUT /kv/%s with %s", key, bad.what)
		r, err := c.send(ctx, step, http.MethodPut, "/kv/"+key, jsonHeader, bad.body)
		if err != nil {
			return err
		}
		if err := r.expectStatus(step, http.StatusBadRequest); err != nil {
			return err
		}
		if err := r.expectJSONError(step); err != nil {
			return err
		}
	}
	return kvExpectMissing(ctx, c, "reading the key after only bad PUTs", key)
}

func kvTTL(ctx context.Context, c *checkClient) error {
	short, long := "short-"+token(), "long-"+token()
	if err := kvPut(ctx, c, short, "brief", kvCheckTTL); err != nil {
		return err
	}
	if err := kvPut(ctx, c, long, "lasting", 0); err != nil {
		return err
	}
	if err := kvExpect(ctx, c, fmt.Sprintf("reading a key with ttl_ms %d right away", kvCheckTTL.Milliseconds()), short, "brief"); err != nil {
		return err
	}
	if err := sleep(ctx, kvCheckWait); err != nil {
		return err
	}
	if err := kvExpectMissing(ctx, c, fmt.Sprintf("reading a key with ttl_ms %d, %d ms after setting it", kvCheckTTL.Milliseconds(), kvCheckWait.Milliseconds()), short); err != nil {
		return err
	}
	return kvExpect(ctx, c, "reading a key set without ttl_ms, after the other expired", long, "lasting")
}

func kvConcurrent(ctx context.Context, c *checkClient) error {
	const n = 50
	shared := "shared-" + token()
	keys := make([]string, n)
	values := make([]string, n)
	var written []string
	for i := range n {
		values[i] = fmt.Sprintf("value %d %s", i, token())
		if i%2 == 0 {
			keys[i] = shared
			written = append(written, values[i])
		} else {
			keys[i] = fmt.Sprintf("own-%d-%s", i, token())
		}
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = kvPut(ctx, c, keys[i], values[i], 0) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			if f, ok := err.(*Failure); ok {
				f.Step = fmt.Sprintf("%s (PUT %d of %d sent at once)", f.Step, i+1, n)
			}
			return withLoadHint(err, n)
		}
	}
	for i := 1; i < n; i += 2 {
		if err := kvExpect(ctx, c, fmt.Sprintf("reading %s, written by one of %d concurrent PUTs", keys[i], n), keys[i], values[i]); err != nil {
			return err
		}
	}
	step := fmt.Sprintf("reading %s, written by %d concurrent PUTs", shared, len(written))
	r, err := c.send(ctx, step, http.MethodGet, "/kv/"+shared, nil, "")
	if err != nil {
		return err
	}
	if err := r.expectStatus(step, http.StatusOK); err != nil {
		return err
	}
	obj, err := r.expectJSONObject(step)
	if err != nil {
		return err
	}
	if v, _ := obj["value"].(string); !slices.Contains(written, v) {
		return r.fail(step, "one of the %d values written to it, whole", len(written))
	}
	return nil
}
