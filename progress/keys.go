package progress

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// ErrNameTaken is EnrolKey's answer for a name some learner already has,
// or one that LooksLike theirs.
var ErrNameTaken = errors.New("that name is taken, or looks like another learner's name: choose another")

// NameTaken is EnrolKey's rule, for the stores: ErrNameTaken when one of
// names (every learner's) is name or LooksLike it, saying which.
func NameTaken(name string, names []string) error {
	match, ok := LooksLike(name, names)
	switch {
	case !ok:
		return nil
	case match == name:
		return ErrNameTaken
	}
	return fmt.Errorf("%w (%q looks like %q)", ErrNameTaken, name, match)
}

// ErrKeyEnrolled is EnrolKey's answer for a key that enrolled before.
var ErrKeyEnrolled = errors.New("this key is already enrolled as a learner")

// maxFingerprintLen bounds a key fingerprint ("SHA256:" and 43 base64
// characters for the keys SSH uses today), with room for other hashes.
const maxFingerprintLen = 128

// CheckFingerprint returns a clear error when fp cannot be a key's
// fingerprint: empty, too long, or holding spaces or control characters.
func CheckFingerprint(fp string) error {
	switch {
	case fp == "":
		return errors.New("key fingerprint is empty")
	case len(fp) > maxFingerprintLen:
		return fmt.Errorf("key fingerprint is %d bytes, longer than %d", len(fp), maxFingerprintLen)
	case strings.IndexFunc(fp, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r > unicode.MaxASCII }) >= 0:
		return fmt.Errorf("key fingerprint %q holds spaces, control or non-ASCII characters", fp)
	}
	return nil
}
