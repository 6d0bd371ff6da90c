package labs

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// A learner's INSERTs cannot fill the disk: the lab's database stops at
// its bound with a message that says what to do, and TEMP tables (outside
// the bound) are refused.
func TestSQLLabDatabaseIsBounded(t *testing.T) {
	lab, err := OpenSQL(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer lab.Close()
	sess := lab.Main()
	if _, err := sess.Query(context.Background(), "CREATE TEMP TABLE tfill(b BLOB)"); err == nil || !strings.Contains(err.Error(), "TEMP tables are not allowed") {
		t.Fatalf("a TEMP table, which the bound does not reach: %v", err)
	}
	for _, table := range []string{"fill"} {
		if _, err := sess.Query(context.Background(), "CREATE TABLE "+table+"(b BLOB)"); err != nil {
			t.Fatal(err)
		}
		// 2000 rows of 120 KB a statement: 240 MB each, unbounded before.
		var last error
		for range 10 {
			_, last = sess.Query(context.Background(), "INSERT INTO "+table+" WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n LIMIT 2000) SELECT zeroblob(120000) FROM n")
			if last != nil {
				break
			}
		}
		if last == nil || !strings.Contains(last.Error(), "the lab's database is full") {
			t.Fatalf("%s: filling it gave %v", table, last)
		}
	}
	var size int64
	_ = filepath.WalkDir(lab.dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				size += info.Size()
			}
		}
		return nil
	})
	if size > 80<<20 {
		t.Errorf("the lab's files hold %d MiB", size>>20)
	}
}
