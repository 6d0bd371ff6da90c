package labs

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
)

const restResourceSpec = "# Build: a REST resource\n\n" +
	"Write a small HTTP service, in any language, that keeps **books** in memory and serves them as JSON.\n" +
	"Run it on `127.0.0.1` at a port of your choice, then check it with\n" +
	"`serverside check rest-resource --addr 127.0.0.1:PORT`.\n\n" +
	"A book is a JSON object with an `id` (a number or a string: your choice), a `title` and an `author`\n" +
	"(both non-empty strings). Every response with a body sends `Content-Type: application/json`; every\n" +
	"error body is an object with an `error` message, e.g. `{\"error\": \"no book 42\"}`; Problem Details\n" +
	"(`application/problem+json` with a `title`, RFC 9457) are fine too.\n\n" +
	"| Request | Answer |\n" +
	"| --- | --- |\n" +
	"| `GET /health` | `200` (any body) |\n" +
	"| `POST /books` with `{\"title\": \"…\", \"author\": \"…\"}` | `201 Created`, a `Location: /books/{id}` header, and the new book (with its `id`) as the body |\n" +
	"| `POST /books` with a body that is not JSON, or lacks `title` or `author` | `400 Bad Request` (or `422`) and an error body |\n" +
	"| `GET /books` | `200` and a JSON array of every book |\n" +
	"| `GET /books/{id}` | `200` and the book, with an `ETag` header |\n" +
	"| `GET /books/{id}` with `If-None-Match` equal to the book's current `ETag` | `304 Not Modified`, no body |\n" +
	"| `GET /books/{id}` for an id that does not exist (e.g. `999999999`) | `404 Not Found` and an error body |\n" +
	"| `PUT /books/{id}` with `{\"title\": \"…\", \"author\": \"…\"}` | `200` (with the book) or `204`; the book is replaced and its `ETag` changes. Sending the same PUT twice leaves one book, as once would: PUT is idempotent |\n" +
	"| `PUT /books/{id}` for an id that does not exist | `404` and an error body |\n" +
	"| `DELETE /books/{id}` | `204 No Content` (or `200`); afterwards `GET` and `DELETE` of it answer `404` |\n\n" +
	"The service must stay correct under load: the checker sends 50 `POST /books` at once and expects 50\n" +
	"books with 50 different ids. Protect your data from concurrent access (a mutex, a channel, a database).\n\n" +
	"The checker runs in stages. When a stage passes, the earlier ones run again, so a change that breaks\n" +
	"something that used to work is caught at once.\n"

func restResourceLab() BuildLab {
	return BuildLab{
		ID:      "rest-resource",
		Title:   "A REST resource",
		Summary: "A JSON CRUD resource with proper status codes, ETags and safe concurrency.",
		Spec:    restResourceSpec,
		stages: []stage{
			{id: "health", title: "GET /health answers 200", run: checkHealth},
			{id: "create", title: "POST /books creates a book: 201, Location, JSON", run: restCreate},
			{id: "read", title: "GET /books/{id} returns the book", run: restRead},
			{id: "not-found", title: "a missing book is 404 with a JSON error", run: restNotFound},
			{id: "list", title: "GET /books lists the books", run: restList},
			{id: "bad-input", title: "a bad body is 400 with a JSON error", run: restBadInput},
			{id: "update", title: "PUT replaces a book and is idempotent", run: restUpdate},
			{id: "delete", title: "DELETE removes a book", run: restDelete},
			{id: "conditional-get", title: "If-None-Match gets 304 until the book changes", run: restConditional},
			{id: "concurrency", title: "50 concurrent POSTs make 50 books", run: restConcurrency},
		},
	}
}

func checkHealth(ctx context.Context, c *checkClient) error {
	r, err := c.send(ctx, "checking GET /health", http.MethodGet, "/health", nil, "")
	if err != nil {
		return err
	}
	return r.expectStatus("checking GET /health", http.StatusOK)
}

var jsonHeader = map[string]string{"Content-Type": "application/json"}

func bookJSON(title, author string) string {
	b, _ := json.Marshal(map[string]string{"title": title, "author": author})
	return string(b)
}

// createBook posts a book and checks the answer; it returns the book's path
// (from Location) and its id.
func createBook(ctx context.Context, c *checkClient, title, author string) (path, id string, err error) {
	step := "creating a book with POST /books"
	r, err := c.send(ctx, step, http.MethodPost, "/books", jsonHeader, bookJSON(title, author))
	if err != nil {
		return "", "", err
	}
	if err := r.expectStatus(step, http.StatusCreated); err != nil {
		return "", "", err
	}
	path, ok := resolve(r.header.Get("Location"))
	if !ok || !strings.HasPrefix(path, "/books/") || len(path) == len("/books/") {
		return "", "", r.fail(step, "a Location header with the new book's path, like /books/7")
	}
	obj, err := r.expectJSONObject(step)
	if err != nil {
		return "", "", err
	}
	if obj["title"] != title || obj["author"] != author {
		return "", "", r.fail(step, "the new book as the body, with title %q and author %q", title, author)
	}
	id = jsonText(obj["id"])
	if id == "" {
		return "", "", r.fail(step, `the new book's "id" in the body`)
	}
	if !strings.HasSuffix(path, "/"+id) {
		return "", "", r.fail(step, "the Location to end with the book's id %q", id)
	}
	return path, id, nil
}

func restCreate(ctx context.Context, c *checkClient) error {
	_, _, err := createBook(ctx, c, "Check "+token(), "Create Stage")
	return err
}

func getBook(ctx context.Context, c *checkClient, step, path, title, author string) (*checkResponse, error) {
	r, err := c.send(ctx, step, http.MethodGet, path, nil, "")
	if err != nil {
		return nil, err
	}
	if err := r.expectStatus(step, http.StatusOK); err != nil {
		return nil, err
	}
	obj, err := r.expectJSONObject(step)
	if err != nil {
		return nil, err
	}
	if obj["title"] != title || obj["author"] != author {
		return nil, r.fail(step, "the book with title %q and author %q", title, author)
	}
	return r, nil
}

func restRead(ctx context.Context, c *checkClient) error {
	title := "Check " + token()
	path, _, err := createBook(ctx, c, title, "Read Stage")
	if err != nil {
		return err
	}
	_, err = getBook(ctx, c, "reading the book just created, at its Location", path, title, "Read Stage")
	return err
}

func restNotFound(ctx context.Context, c *checkClient) error {
	for _, m := range []string{http.MethodGet, http.MethodDelete} {
		step := m + " of a book that does not exist"
		r, err := c.send(ctx, step, m, "/books/999999999", nil, "")
		if err != nil {
			return err
		}
		if err := r.expectStatus(step, http.StatusNotFound); err != nil {
			return err
		}
		if err := r.expectJSONError(step); err != nil {
			return err
		}
	}
	step := "PUT of a book that does not exist"
	r, err := c.send(ctx, step, http.MethodPut, "/books/999999999", jsonHeader, bookJSON("Nobody", "Nowhere"))
	if err != nil {
		return err
	}
	if err := r.expectStatus(step, http.StatusNotFound); err != nil {
		return err
	}
	return r.expectJSONError(step)
}

// listBooks returns GET /books as id -> book.
func listBooks(ctx context.Context, c *checkClient, step string) (map[string]map[string]any, *checkResponse, error) {
	r, err := c.send(ctx, step, http.MethodGet, "/books", nil, "")
	if err != nil {
		return nil, nil, err
	}
	if err := r.expectStatus(step, http.StatusOK); err != nil {
		return nil, nil, err
	}
	if !r.isJSON() {
		return nil, nil, r.fail(step, "Content-Type: application/json")
	}
	var list []map[string]any
	if err := json.Unmarshal(r.body, &list); err != nil {
		return nil, nil, r.fail(step, "a JSON array of books as the body")
	}
	out := map[string]map[string]any{}
	for _, b := range list {
		out[jsonText(b["id"])] = b
	}
	return out, r, nil
}

func restList(ctx context.Context, c *checkClient) error {
	title := "Check " + token()
	_, id, err := createBook(ctx, c, title, "List Stage")
	if err != nil {
		return err
	}
	step := "listing the books after creating one"
	books, r, err := listBooks(ctx, c, step)
	if err != nil {
		return err
	}
	if b, ok := books[id]; !ok || b["title"] != title {
		return r.fail(step, "the list to hold the book just created (id %s, title %q)", id, title)
	}
	return nil
}

func restBadInput(ctx context.Context, c *checkClient) error {
	for _, bad := range []struct{ what, body string }{
		{"a body that is not JSON", `{"title": "unfinished`},
		{"a book without an author", `{"title": "No Author"}`},
		{"a book with an empty title", `{"title": "", "author": "Someone"}`},
	} {
		step := "sending POST /books with " + bad.what
		r, err := c.send(ctx, step, http.MethodPost, "/books", jsonHeader, bad.body)
		if err != nil {
			return err
		}
		if err := r.expectStatus(step, http.StatusBadRequest, http.StatusUnprocessableEntity); err != nil {
			return err
		}
		if err := r.expectJSONError(step); err != nil {
			return err
		}
	}
	return nil
}

func restUpdate(ctx context.Context, c *checkClient) error {
	path, id, err := createBook(ctx, c, "Check "+token(), "Update Stage")
	if err != nil {
		return err
	}
	before, _, err := listBooks(ctx, c, "listing the books before updating one")
	if err != nil {
		return err
	}
	title := "Updated " + token()
	for i := range 2 {
		step := fmt.Sprintf("replacing the book with PUT %s (time %d of 2)", path, i+1)
		r, err := c.send(ctx, step, http.MethodPut, path, jsonHeader, bookJSON(title, "Update Stage"))
		if err != nil {
			return err
		}
		if err := r.expectStatus(step, http.StatusOK, http.StatusNoContent); err != nil {
			return err
		}
	}
	if _, err := getBook(ctx, c, "reading the book after the PUT", path, title, "Update Stage"); err != nil {
		return err
	}
	step := "listing the books after two identical PUTs"
	after, r, err := listBooks(ctx, c, step)
	if err != nil {
		return err
	}
	if b, ok := after[id]; !ok || b["title"] != title {
		return r.fail(step, "the list to show book %s with its new title %q", id, title)
	}
	if len(after) != len(before) {
		return r.fail(step, "as many books as before the PUTs (%d): PUT replaces a book, it does not add one", len(before))
	}
	return nil
}

func restDelete(ctx context.Context, c *checkClient) error {
	path, _, err := createBook(ctx, c, "Check "+token(), "Delete Stage")
	if err != nil {
		return err
	}
	step := "deleting the book with DELETE " + path
	r, err := c.send(ctx, step, http.MethodDelete, path, nil, "")
	if err != nil {
		return err
	}
	if err := r.expectStatus(step, http.StatusNoContent, http.StatusOK); err != nil {
		return err
	}
	for _, m := range []string{http.MethodGet, http.MethodDelete} {
		step := m + " " + path + " after deleting it"
		r, err := c.send(ctx, step, m, path, nil, "")
		if err != nil {
			return err
		}
		if err := r.expectStatus(step, http.StatusNotFound); err != nil {
			return err
		}
	}
	return nil
}

func restConditional(ctx context.Context, c *checkClient) error {
	title := "Check " + token()
	path, _, err := createBook(ctx, c, title, "Conditional Stage")
	if err != nil {
		return err
	}
	r, err := getBook(ctx, c, "reading the book to get its ETag", path, title, "Conditional Stage")
	if err != nil {
		return err
	}
	etag := r.header.Get("ETag")
	if etag == "" {
		return r.fail("reading the book to get its ETag", `an ETag header, e.g. ETag: "v1"`)
	}
	step := "revalidating with If-None-Match: " + etag
	r, err = c.send(ctx, step, http.MethodGet, path, map[string]string{"If-None-Match": etag}, "")
	if err != nil {
		return err
	}
	if err := r.expectStatus(step, http.StatusNotModified); err != nil {
		return err
	}
	if len(r.body) != 0 {
		return r.fail(step, "no body with 304 Not Modified")
	}
	newTitle := "Changed " + token()
	step = "changing the book with PUT " + path
	r, err = c.send(ctx, step, http.MethodPut, path, jsonHeader, bookJSON(newTitle, "Conditional Stage"))
	if err != nil {
		return err
	}
	if err := r.expectStatus(step, http.StatusOK, http.StatusNoContent); err != nil {
		return err
	}
	step = "revalidating with the old ETag after the book changed"
	r, err = c.send(ctx, step, http.MethodGet, path, map[string]string{"If-None-Match": etag}, "")
	if err != nil {
		return err
	}
	if err := r.expectStatus(step, http.StatusOK); err != nil {
		return err
	}
	if ne := r.header.Get("ETag"); ne == "" || ne == etag {
		return r.fail(step, "a new ETag, different from %s, now that the book changed", etag)
	}
	return nil
}

func restConcurrency(ctx context.Context, c *checkClient) error {
	const n = 50
	prefix := "Concurrent " + token()
	ids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, ids[i], errs[i] = createBook(ctx, c, fmt.Sprintf("%s #%d", prefix, i), "Concurrency Stage")
		})
	}
	wg.Wait()
	seen := map[string]int{}
	for i, err := range errs {
		if err != nil {
			if f, ok := err.(*Failure); ok {
				f.Step = fmt.Sprintf("%s (request %d of %d sent at once)", f.Step, i+1, n)
			}
			return withLoadHint(err, n)
		}
		if j, dup := seen[ids[i]]; dup {
			return &Failure{Step: fmt.Sprintf("sending %d POST /books at once", n), Expected: fmt.Sprintf("%d different ids", n),
				Got: fmt.Sprintf("books #%d and #%d both got id %s: two requests raced on the id counter", j, i, ids[i])}
		}
		seen[ids[i]] = i
	}
	step := fmt.Sprintf("listing the books after %d concurrent POSTs", n)
	books, r, err := listBooks(ctx, c, step)
	if err != nil {
		return err
	}
	for i, id := range ids {
		if b, ok := books[id]; !ok || b["title"] != fmt.Sprintf("%s #%d", prefix, i) {
			return r.fail(step, "the list to hold all %d books just created; book %s (%q) is missing or wrong", n, id, fmt.Sprintf("%s #%d", prefix, i))
		}
	}
	return nil
}
