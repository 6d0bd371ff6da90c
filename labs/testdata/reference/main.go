//go:build ignore

// Command reference serves a build lab's reference solution, or one of its
// broken variants, on loopback, to try `serverside check` by hand:
//
//	go run labs/testdata/reference/main.go rest-resource 127.0.0.1:8080
//	go run labs/testdata/reference/main.go kv-ttl 127.0.0.1:8081 no-expiry
package main

import (
	"fmt"
	"net/http"
	"os"

	"serverside/labs/testdata/refserver"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: reference rest-resource|kv-ttl 127.0.0.1:PORT [bug]")
		os.Exit(2)
	}
	bug := ""
	if len(os.Args) > 3 {
		bug = os.Args[3]
	}
	var h http.Handler
	switch os.Args[1] {
	case "rest-resource":
		h = refserver.RESTResource(bug)
	case "kv-ttl":
		h = refserver.KV(bug)
	default:
		fmt.Fprintf(os.Stderr, "no reference for %q\n", os.Args[1])
		os.Exit(2)
	}
	fmt.Printf("serving %s on http://%s\n", os.Args[1], os.Args[2])
	if err := http.ListenAndServe(os.Args[2], h); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
