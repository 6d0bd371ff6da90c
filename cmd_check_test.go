package main

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"serverside/labs/testdata/refserver"
)

func runCheckCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newCheckCmd(&globals{})
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	cmd.SetContext(t.Context())
	err := cmd.Execute()
	return out.String(), err
}

func TestCheckCmdList(t *testing.T) {
	out, err := runCheckCmd(t, "--list")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "rest-resource\t") || !strings.HasPrefix(lines[1], "kv-ttl\t") {
		t.Fatalf("--list:\n%s", out)
	}
}

func TestCheckCmdPassAndFail(t *testing.T) {
	good := httptest.NewServer(refserver.KV(""))
	defer good.Close()
	out, err := runCheckCmd(t, "kv-ttl", "--addr", good.URL)
	if err != nil || !strings.Contains(out, "✓ 8. 50 concurrent PUTs") || !strings.Contains(out, "All 8 stages pass") {
		t.Fatalf("reference: %v\n%s", err, out)
	}

	bad := httptest.NewServer(refserver.KV("keep-first"))
	defer bad.Close()
	out, err = runCheckCmd(t, "kv-ttl", "--addr", strings.TrimPrefix(bad.URL, "http://"))
	var ec *exitCodeError
	if !errors.As(err, &ec) || ec.code != 1 || !ec.quiet {
		t.Fatalf("broken variant: err = %v", err)
	}
	for _, want := range []string{"✗ 4. a second PUT replaces the value", "Sent:", "Expected:", "Got:", "Not run yet:\n  5. DELETE removes a key"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckCmdErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"no-such-lab"}, {"kv-ttl", "--addr", "192.168.1.1:80"}, {"--list", "kv-ttl"}} {
		if _, err := runCheckCmd(t, args...); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
	out, err := runCheckCmd(t, "rest-resource", "--spec")
	if err != nil || !strings.HasPrefix(out, "# Build: a REST resource") {
		t.Fatalf("--spec: %v\n%s", err, out)
	}
}

// --spec is rendered markdown, here in a pipe as plain text: a table drawn,
// not its pipes and dashes, and no escapes.
func TestCheckSpecIsRendered(t *testing.T) {
	out, err := runCheckCmd(t, "rest-resource", "--spec")
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{"| --- |", "| Request |", "**books**", "\x1b["} {
		if strings.Contains(out, raw) {
			t.Errorf("--spec shows %q:\n%s", raw, out)
		}
	}
	if !strings.Contains(out, "Build: a REST resource") || !strings.Contains(out, "GET /health") || !strings.Contains(out, "─┼─") {
		t.Fatalf("--spec:\n%s", out)
	}
}
