package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"serverside/progress"
	"serverside/progress/progresstest"
	"serverside/progress/sqlite"
)

// The embedded SQLite store passes the contract's conformance suite.
func TestSQLiteConformance(t *testing.T) {
	progresstest.Run(t, func(t *testing.T) progress.Backend {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "progress.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}
