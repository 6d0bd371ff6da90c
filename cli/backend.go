package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"serverside/progress"
	"serverside/progress/postgres"
	"serverside/progress/sqlite"
)

// openBackend opens the progress store a --db-like value names: a
// postgres:// or postgresql:// URL for a class's server, otherwise a SQLite
// file. mustExist refuses to create a file that is not there (for a source
// that is only read). The name is fit to print: a URL's password is masked.
func openBackend(ctx context.Context, spec string, mustExist bool) (progress.Backend, string, error) {
	if postgres.IsURL(spec) {
		s, err := postgres.Open(ctx, spec)
		if err != nil {
			return nil, postgres.Redact(spec), err
		}
		return s, postgres.Redact(spec), nil
	}
	if mustExist {
		if _, err := os.Stat(spec); errors.Is(err, fs.ErrNotExist) {
			return nil, spec, fmt.Errorf("progress database %s does not exist: check the path", spec)
		}
	}
	s, err := sqlite.Open(ctx, spec)
	if err != nil {
		return nil, spec, err
	}
	return s, spec, nil
}
