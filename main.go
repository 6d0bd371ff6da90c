// Command serverside is a terminal tutor for server-side development: a
// course of lessons with quizzes, spaced review and labs, with progress kept
// per user in SQLite or PostgreSQL. The command line lives in package cli.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"serverside/cli"
)

func main() {
	// SIGHUP is the terminal closing: end as cleanly as on SIGINT and
	// SIGTERM (an open SQL lab removes its files), not at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := cli.Main(ctx, os.Args[1:], os.Stderr)
	stop()
	os.Exit(code)
}
