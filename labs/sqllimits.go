package labs

import (
	"database/sql"
	"encoding/hex"
	"fmt"
	"unicode/utf8"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"serverside/termsafe"
)

// Bounds on what one lab query may make SQLite and the lab hold. A query
// also stops after QueryTimeout. Without them, SELECT zeroblob(999999999)
// took 32 s and 7.7 GB, and 1,000 rows of 1 MB took 1.2 GB. The driver
// copies a whole row into Go at once, and that copy does not see an
// interrupt, so MaxValueBytes × maxColumns (6 MB) bounds one row.
const (
	// MaxValueBytes is SQLite's SQLITE_LIMIT_LENGTH on lab connections:
	// no string, blob or row is longer.
	MaxValueBytes = 128 << 10
	// maxSQLBytes bounds the text of one statement.
	maxSQLBytes = 1 << 20
	// maxColumns bounds the columns of a table, index or result.
	maxColumns = 48
	// MaxResultBytes bounds the rows a query's result keeps to show.
	MaxResultBytes = 4 << 20
	// MaxCellBytes bounds the text kept of one shown value; longer ones
	// end in "…".
	MaxCellBytes = 1 << 10
	// maxCheckBytes bounds a result a check compares (values whole).
	maxCheckBytes = 32 << 20
	// MaxScannedBytes bounds the bytes of all the values a query's rows
	// bring into the lab, kept or cut: each one is copied out of SQLite
	// first, and a thousand wide rows of long values are gigabytes of
	// copying (and garbage) that no timeout interrupts mid-row.
	MaxScannedBytes = 48 << 20
)

// valueBytes is the size of a value as the driver handed it over.
func valueBytes(v any) int {
	switch v := v.(type) {
	case []byte:
		return len(v)
	case string:
		return len(v)
	}
	return 8
}

// What a row and a value cost beyond their text, counted against the
// byte bounds (slice and string headers).
const (
	rowOverhead  = 24
	cellOverhead = 16
)

// limitConn sets SQLite's own limits on a lab connection.
func limitConn(c *sql.Conn) error {
	for _, l := range []struct{ id, v int }{
		{sqlite3.SQLITE_LIMIT_LENGTH, MaxValueBytes},
		{sqlite3.SQLITE_LIMIT_SQL_LENGTH, maxSQLBytes},
		{sqlite3.SQLITE_LIMIT_COLUMN, maxColumns},
		{sqlite3.SQLITE_LIMIT_ATTACHED, 0},
		{sqlite3.SQLITE_LIMIT_TRIGGER_DEPTH, 100},
	} {
		if _, err := sqlite.Limit(c, l.id, l.v); err != nil {
			return fmt.Errorf("limit the connection: %w", err)
		}
	}
	return nil
}

// resultBounds says how much of a result a query keeps.
type resultBounds struct {
	rows, bytes int
	// cellBytes cuts each value's text (0: keep it whole, as a check
	// compares values).
	cellBytes int
	// refuse makes a result over bytes an error rather than a truncation
	// (a check must compare whole results).
	refuse bool
}

var (
	// shownBounds are for a result the learner sees.
	shownBounds = resultBounds{rows: MaxRows, bytes: MaxResultBytes, cellBytes: MaxCellBytes}
	// checkBounds are for the results a check compares.
	checkBounds = resultBounds{rows: maxCheckRows, bytes: maxCheckBytes, refuse: true}
)

func errResultTooLarge(limit int) error {
	return fmt.Errorf("the result is larger than a check compares (%d MB of rows, %d MB of values): select fewer or shorter values", limit>>20, MaxScannedBytes>>20)
}

// cell formats one value within the bounds. Shown values are made safe
// for a terminal here: a value can hold any bytes.
func (b resultBounds) cell(v any, res *Result) string {
	if b.cellBytes <= 0 {
		return formatValue(v)
	}
	var s string
	switch v := v.(type) {
	case []byte:
		if n := (b.cellBytes - 3) / 2; len(v) > n {
			res.CutCells = true
			return "x'" + hex.EncodeToString(v[:n]) + "…"
		}
		s = formatValue(v)
	default:
		s = formatValue(v)
	}
	if len(s) > b.cellBytes {
		res.CutCells = true
		cut := b.cellBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return termsafe.Line(s)
}
