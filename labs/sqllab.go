package labs

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	sqlite "modernc.org/sqlite"

	"serverside/termsafe"
)

// Limits of the SQL lab.
const (
	// MaxRows is how many rows a query shows; the rest are counted as
	// truncated.
	MaxRows = 1000
	// QueryTimeout is how long a query may run before it is interrupted.
	QueryTimeout = 2 * time.Second
	// maxSessions bounds how many connections a lab opens.
	maxSessions = 4
	// maxCheckRows bounds the rows a task check compares.
	maxCheckRows = 100_000
)

// SQLLab is a private SQLite database seeded with a small shop, for
// practising queries, indexes and transactions. The learner's SQL can read
// and change the data freely but cannot reach any file: attaching databases,
// VACUUM INTO, loading extensions and file-touching pragmas are refused.
//
// The database lives in a private temporary directory (removed by Close) in
// WAL mode, because that is what lets two sessions show real isolation: a
// reader keeps seeing the last committed data while another session has an
// uncommitted write. An in-memory database would make the reader wait
// instead.
type SQLLab struct {
	db      *sql.DB
	dir     string
	timeout time.Duration
	// ctx ends when the lab closes: it interrupts whatever query runs, so
	// Close does not wait for it.
	ctx    context.Context
	cancel context.CancelFunc
	// ref is a connection of its own for reference queries: the learner's
	// TEMP tables and views live in their session's connection and cannot
	// shadow the real tables there.
	ref *Session

	mu       sync.Mutex
	sessions []*Session
	history  []statementRecord
	closed   bool
}

// Session is one connection to the lab database, with its own transaction
// state: statements run in a session see that session's uncommitted
// changes; other sessions don't.
type Session struct {
	lab  *SQLLab
	name string
	conn *sql.Conn

	mu   sync.Mutex // one statement at a time
	inTx bool
	// Filled by the authorizer while a statement is prepared.
	access statementAccess
	denied string
}

type statementAccess struct {
	reads, writes map[string]bool
}

// statementRecord is one statement a session ran, kept to check isolation
// tasks.
type statementRecord struct {
	session string
	sql     string
	verb    string
	reads   map[string]bool
	writes  map[string]bool
	failed  bool
	inTx    bool // the session's transaction state after the statement
}

// Result is what a query returned.
type Result struct {
	Columns []string
	// Rows hold each value as text; NULL is shown as "NULL" and blobs as
	// x'hex'.
	Rows      [][]string
	Truncated bool // more than MaxRows rows (or MaxResultBytes): only the first are kept
	// TooLarge says the rows kept stopped at MaxResultBytes rather than
	// MaxRows.
	TooLarge bool
	// CutCells says some values were longer than MaxCellBytes and end in
	// "…".
	CutCells bool
	// RowsAffected counts rows changed by an INSERT, UPDATE or DELETE; -1
	// for other statements.
	RowsAffected int64
	Elapsed      time.Duration
	// Statements is how many statements the text held; the result is the
	// last one's.
	Statements int
	// InTransaction is the session's state afterwards: inside BEGIN…COMMIT.
	InTransaction bool
}

// OpenSQL creates and seeds a lab database. Close it when the lab ends.
func OpenSQL(ctx context.Context) (*SQLLab, error) {
	image, err := seedImage()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "serverside-sql-lab-")
	if err != nil {
		return nil, fmt.Errorf("create a directory for the SQL lab: %w", err)
	}
	file := filepath.Join(dir, "shop.db")
	if err := os.WriteFile(file, image, 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("create the SQL lab database: %w", err)
	}
	// Temporary storage (sorts, TEMP tables) goes to files SQLite unlinks
	// as it opens them: in memory, one ORDER BY over a generated series
	// grew by 100 MB a second.
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(file)+
		"?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)&_pragma=busy_timeout(0)&_pragma=temp_store(FILE)&_pragma=foreign_keys(ON)&_pragma=cache_size(-4000)"+
		fmt.Sprintf("&_pragma=max_page_count(%d)", maxLabPages))
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("open the SQL lab database: %w", err)
	}
	l := &SQLLab{db: db, dir: dir, timeout: QueryTimeout}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	if _, err := l.NewSession(ctx); err != nil {
		l.Close()
		return nil, fmt.Errorf("open the SQL lab database: %w", err)
	}
	ref, err := l.openSession(ctx, "reference")
	if err != nil {
		l.Close()
		return nil, fmt.Errorf("open the SQL lab database: %w", err)
	}
	l.mu.Lock()
	l.ref = ref
	l.mu.Unlock()
	return l, nil
}

// maxLabPages bounds the lab's database at 32 MiB (4 KiB pages): the other
// bounds (value size, rows shown, time) do not stop a loop of INSERTs of
// large blobs, which filled 2.5 GB of a shared classroom server's disk in
// 13 s. The learner cannot lift it (PRAGMAs that change anything are
// refused), and TEMP tables, which live in a database of their own that
// the bound does not reach, are refused too.
const maxLabPages = 8192

// seedImage is the seeded database file, built once per process: the data
// never changes, and copying bytes is much faster than inserting rows.
var seedImage = sync.OnceValues(func() ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dir, err := os.MkdirTemp("", "serverside-sql-seed-")
	if err != nil {
		return nil, fmt.Errorf("seed the SQL lab: %w", err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "seed.db")
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(file)+"?_pragma=journal_mode(DELETE)")
	if err != nil {
		return nil, fmt.Errorf("seed the SQL lab: %w", err)
	}
	conn, err := db.Conn(ctx)
	if err == nil {
		err = seed(ctx, conn)
		conn.Close()
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("seed the SQL lab: %w", err)
	}
	return os.ReadFile(file)
})

// Close closes every session and removes the database. It is safe to call
// more than once.
func (l *SQLLab) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	sessions := l.sessions
	if l.ref != nil {
		sessions = append(sessions, l.ref)
	}
	l.mu.Unlock()
	l.cancel() // interrupt a running query rather than wait for it
	var errs []error
	for _, s := range sessions {
		errs = append(errs, s.conn.Close())
	}
	errs = append(errs, l.db.Close(), os.RemoveAll(l.dir))
	return errors.Join(errs...)
}

// Main is the first session, the one Query uses.
func (l *SQLLab) Main() *Session {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sessions[0]
}

// Sessions returns the open sessions, first to last.
func (l *SQLLab) Sessions() []*Session {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*Session(nil), l.sessions...)
}

// NewSession opens another connection, named B, C, ... after the main
// session A. A lab holds at most four.
func (l *SQLLab) NewSession(ctx context.Context) (*Session, error) {
	l.mu.Lock()
	n, closed := len(l.sessions), l.closed
	l.mu.Unlock()
	if closed {
		return nil, errors.New("the SQL lab is closed")
	}
	if n >= maxSessions {
		return nil, fmt.Errorf("a lab has at most %d sessions", maxSessions)
	}
	s, err := l.openSession(ctx, string(rune('A'+n)))
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		s.conn.Close()
		return nil, errors.New("the SQL lab is closed")
	}
	l.sessions = append(l.sessions, s)
	return s, nil
}

// openSession opens a connection with the lab's authorizer and limits.
func (l *SQLLab) openSession(ctx context.Context, name string) (*Session, error) {
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("open a session: %w", err)
	}
	s := &Session{lab: l, name: name, conn: conn}
	err = conn.Raw(func(dc any) error {
		r, ok := dc.(sqlite.AuthorizerRegisterer)
		if !ok {
			return errors.New("the sqlite driver has no authorizer")
		}
		return r.RegisterAuthorizer(s.authorize)
	})
	if err == nil {
		err = limitConn(conn)
	}
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("secure a session: %w", err)
	}
	return s, nil
}

// Query runs SQL in the main session.
func (l *SQLLab) Query(ctx context.Context, text string) (Result, error) {
	return l.Main().Query(ctx, text)
}

// Name is the session's letter: A, B, ...
func (s *Session) Name() string { return s.name }

// InTransaction reports whether the session has an open transaction (it
// ran BEGIN and has not yet committed or rolled back).
func (s *Session) InTransaction() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inTx
}

// pragmas the learner may run: they only describe the database.
var readOnlyPragmas = map[string]bool{
	"table_info": true, "table_xinfo": true, "table_list": true, "index_list": true, "index_info": true,
	"index_xinfo": true, "foreign_key_list": true, "foreign_key_check": true, "foreign_keys": true,
	"collation_list": true, "function_list": true, "pragma_list": true, "compile_options": true,
	"integrity_check": true, "quick_check": true, "schema_version": true, "user_version": true,
	"page_count": true, "page_size": true, "freelist_count": true, "encoding": true,
	// FTS5 reads data_version to notice changes made by other connections.
	"data_version": true,
}

// authorize is the SQLite authorizer of the session's connection. It runs
// while a statement is prepared, on the goroutine running it.
func (s *Session) authorize(action sqlite.AuthorizerActionCode, arg1, arg2, dbName, _ string) sqlite.AuthorizerReturnCode {
	deny := func(why string) sqlite.AuthorizerReturnCode {
		if s.denied == "" {
			s.denied = why
		}
		return sqlite.AuthorizerDeny
	}
	switch action {
	case sqlite.AuthAttach, sqlite.AuthDetach:
		return deny("ATTACH, DETACH and VACUUM INTO are not allowed in the lab: they open files. Everything you need is in the one database.")
	case sqlite.AuthCreateTempTable:
		return deny("TEMP tables are not allowed in the lab: create an ordinary table instead (the lab's database is your own copy, and leaving the lab throws it away).")
	case sqlite.AuthCreateVTable, sqlite.AuthDropVTable:
		// FTS5 keeps its index in ordinary shadow tables of this database,
		// and the full-text search lesson needs it; arg2 is the module name.
		if strings.EqualFold(arg2, "fts5") {
			return sqlite.AuthorizerOK
		}
		return deny("virtual tables are not allowed in the lab: some reach outside the database.")
	case sqlite.AuthFunction:
		if strings.EqualFold(arg2, "load_extension") {
			return deny("load_extension is not allowed in the lab: it loads code from a file.")
		}
	case sqlite.AuthPragma:
		name := strings.ToLower(arg1)
		if name == "foreign_keys" && arg2 != "" {
			return deny("PRAGMA foreign_keys can be read here but not changed: the lab keeps foreign keys on.")
		}
		if !readOnlyPragmas[name] {
			return deny(fmt.Sprintf("PRAGMA %s is not allowed in the lab: only pragmas that describe the database (table_info, index_list, index_info, foreign_key_list, ...) are.", arg1))
		}
	case sqlite.AuthRead:
		if dbName == "main" && s.access.reads != nil {
			s.access.reads[arg1] = true
		}
	case sqlite.AuthInsert, sqlite.AuthUpdate, sqlite.AuthDelete:
		if dbName == "main" && s.access.writes != nil && !strings.HasPrefix(arg1, "sqlite_") {
			s.access.writes[arg1] = true
		}
	}
	return sqlite.AuthorizerOK
}

// Query runs one or more statements separated by semicolons and returns
// the last one's result. It stops at the first failing statement; the
// whole call is interrupted after QueryTimeout.
func (s *Session) Query(ctx context.Context, text string) (Result, error) {
	return s.query(ctx, text, shownBounds, true)
}

func (s *Session) query(ctx context.Context, text string, maxRows resultBounds, record bool) (Result, error) {
	stmts := splitStatements(text)
	if len(stmts) == 0 {
		return Result{}, errors.New("nothing to run: type a SQL statement")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, s.lab.timeout)
	defer cancel()
	defer context.AfterFunc(s.lab.ctx, cancel)()
	start := time.Now()
	var res Result
	for i, stmt := range stmts {
		var err error
		res, err = s.run(ctx, stmt, maxRows, record)
		if err != nil {
			if len(stmts) > 1 {
				err = fmt.Errorf("statement %d of %d: %w", i+1, len(stmts), err)
			}
			return Result{}, err
		}
	}
	res.Elapsed = time.Since(start)
	res.Statements = len(stmts)
	res.InTransaction = s.inTx
	return res, nil
}

// run executes one statement; the caller holds s.mu.
func (s *Session) run(ctx context.Context, stmt string, maxRows resultBounds, record bool) (Result, error) {
	s.denied = ""
	s.access = statementAccess{reads: map[string]bool{}, writes: map[string]bool{}}
	res, err := s.fetch(ctx, stmt, maxRows)
	if err != nil {
		err = s.explain(ctx, err)
	}
	verb := leadingVerb(stmt)
	if err == nil {
		switch verb {
		case "BEGIN":
			s.inTx = true
		case "COMMIT", "END":
			s.inTx = false
		case "ROLLBACK":
			if !strings.Contains(strings.ToUpper(stmt), " TO ") {
				s.inTx = false
			}
		}
	}
	if record {
		s.lab.record(statementRecord{
			session: s.name, sql: stmt, verb: verb, reads: s.access.reads, writes: s.access.writes,
			failed: err != nil, inTx: s.inTx,
		})
	}
	s.access = statementAccess{}
	return res, err
}

func (s *Session) fetch(ctx context.Context, stmt string, bounds resultBounds) (Result, error) {
	res := Result{RowsAffected: -1}
	rows, err := s.conn.QueryContext(ctx, stmt)
	if err != nil {
		return res, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return res, err
	}
	res.Columns = cols
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	held, scanned := 0, 0
	for rows.Next() {
		if len(res.Rows) >= bounds.rows {
			res.Truncated = true
			break
		}
		if err := rows.Scan(ptrs...); err != nil {
			return res, err
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			scanned += valueBytes(v)
			row[i] = bounds.cell(v, &res)
			held += len(row[i]) + cellOverhead
			vals[i] = nil
		}
		if held += rowOverhead; held > bounds.bytes || scanned > MaxScannedBytes {
			if bounds.refuse {
				return res, errResultTooLarge(bounds.bytes)
			}
			res.Truncated, res.TooLarge = true, true
			break
		}
		res.Rows = append(res.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return res, err
	}
	if err := rows.Close(); err != nil {
		return res, err
	}
	if len(cols) == 0 {
		switch leadingVerb(stmt) {
		case "INSERT", "UPDATE", "DELETE", "REPLACE":
			if err := s.conn.QueryRowContext(ctx, "SELECT changes()").Scan(&res.RowsAffected); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

// explain turns a driver error into one a learner can act on.
func (s *Session) explain(ctx context.Context, err error) error {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("stopped after %s: the lab interrupts queries that run longer (look for a missing join condition or a recursive query that never ends)", s.lab.timeout)
	case ctx.Err() != nil:
		return fmt.Errorf("stopped: %w", ctx.Err())
	case s.denied != "":
		return errors.New(termsafe.Line(s.denied))
	}
	msg := termsafe.Line(err.Error()) // it can quote the statement, which can hold any bytes
	if strings.Contains(msg, "database or disk is full") || strings.Contains(msg, "SQLITE_FULL") {
		return fmt.Errorf("the lab's database is full (%d MiB at most): DROP or DELETE what you added, or leave the lab and open it again for a fresh copy", maxLabPages*4/1024)
	}
	if strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked") {
		return fmt.Errorf("database is locked: another session has an uncommitted write. COMMIT or ROLLBACK there first (SQLite allows one writer at a time)")
	}
	// modernc prefixes messages with the generic text of the result code
	// and ends them with its number; neither helps a learner.
	msg = strings.TrimPrefix(msg, "SQL logic error: ")
	if i := strings.LastIndex(msg, " ("); i > 0 && strings.HasSuffix(msg, ")") {
		if _, err := strconv.Atoi(msg[i+2 : len(msg)-1]); err == nil {
			msg = msg[:i]
		}
	}
	return errors.New(msg)
}

func (l *SQLLab) record(r statementRecord) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.history = append(l.history, r)
	if len(l.history) > 2000 {
		l.history = append([]statementRecord(nil), l.history[1000:]...)
	}
}

func formatValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return "x'" + hex.EncodeToString(v) + "'"
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		if v {
			return "1"
		}
		return "0"
	case time.Time:
		return v.Format(time.RFC3339Nano)
	default:
		return fmt.Sprint(v)
	}
}

// leadingVerb is the first keyword of a statement, upper-cased, skipping
// comments and a leading WITH clause is left as WITH.
func leadingVerb(stmt string) string {
	s := skipSpaceAndComments(stmt)
	end := 0
	for end < len(s) && (s[end] >= 'a' && s[end] <= 'z' || s[end] >= 'A' && s[end] <= 'Z') {
		end++
	}
	return strings.ToUpper(s[:end])
}

func skipSpaceAndComments(s string) string {
	for {
		s = strings.TrimLeft(s, " \t\r\n")
		switch {
		case strings.HasPrefix(s, "--"):
			i := strings.IndexByte(s, '\n')
			if i < 0 {
				return ""
			}
			s = s[i+1:]
		case strings.HasPrefix(s, "/*"):
			i := strings.Index(s[2:], "*/")
			if i < 0 {
				return ""
			}
			s = s[i+4:]
		default:
			return s
		}
	}
}

// splitStatements cuts SQL text at the semicolons that end statements,
// ignoring those inside quotes, comments and CREATE TRIGGER bodies. Empty
// statements are dropped.
func splitStatements(text string) []string {
	var out []string
	start := 0
	trigger := false
	lastWord := ""
	emit := func(end int) {
		if st := strings.TrimSpace(text[start:end]); skipSpaceAndComments(st) != "" {
			out = append(out, st)
		}
		start = end + 1
		trigger, lastWord = false, ""
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '\'' || c == '"' || c == '`' || c == '[':
			closer := c
			if c == '[' {
				closer = ']'
			}
			j := strings.IndexByte(text[i+1:], closer)
			if j < 0 {
				i = len(text)
			} else {
				i += j + 1
			}
		case c == '-' && i+1 < len(text) && text[i+1] == '-':
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				i = len(text)
			} else {
				i += j
			}
		case c == '/' && i+1 < len(text) && text[i+1] == '*':
			j := strings.Index(text[i+2:], "*/")
			if j < 0 {
				i = len(text)
			} else {
				i += j + 3
			}
		case c == ';':
			if !trigger || lastWord == "END" {
				emit(i)
			}
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_':
			j := i
			for j < len(text) && (text[j] >= 'a' && text[j] <= 'z' || text[j] >= 'A' && text[j] <= 'Z' || text[j] == '_' || text[j] >= '0' && text[j] <= '9') {
				j++
			}
			lastWord = strings.ToUpper(text[i:j])
			if lastWord == "TRIGGER" && isCreateTrigger(text[start:j]) {
				trigger = true
			}
			i = j - 1
			continue
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ';' {
			lastWord = ""
		}
	}
	emit(len(text))
	return out
}

func isCreateTrigger(prefix string) bool {
	f := strings.Fields(strings.ToUpper(skipSpaceAndComments(prefix)))
	return len(f) >= 2 && f[0] == "CREATE" && f[len(f)-1] == "TRIGGER" && len(f) <= 3
}
