package progress

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// ErrNameTaken is EnrolKey's answer for a name some learner already has.
var ErrNameTaken = errors.New("that name is taken by another learner: choose another")

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
