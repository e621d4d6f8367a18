package feedback

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
)

// Settings keys.
const (
	settingSalt        = "user_salt"        // the generated salt, when none is configured
	settingFingerprint = "salt_fingerprint" // HMAC of a constant under the salt in use
)

// saltSize is the size of a generated salt.
const saltSize = 32

// loadSalt returns the salt to hash user ids with: Config.Salt when set,
// else the one kept in the database, generated on first open. It records a
// fingerprint of the salt and warns when the salt has changed since, which
// makes earlier votes unmatchable to their users.
func (s *Store) loadSalt(ctx context.Context) ([]byte, error) {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("load salt: %w", err)
	}
	defer tx.Rollback()
	salt := s.cfg.Salt
	if len(salt) == 0 {
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, settingSalt).Scan(&salt)
		if errors.Is(err, sql.ErrNoRows) {
			salt = make([]byte, saltSize)
			rand.Read(salt) // never fails (crypto/rand)
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)`, settingSalt, salt); err != nil {
				return nil, fmt.Errorf("store salt: %w", err)
			}
		} else if err != nil {
			return nil, fmt.Errorf("load salt: %w", err)
		}
	}
	fp := fingerprint(salt)
	var old string
	switch err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, settingFingerprint).Scan(&old); {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, fmt.Errorf("load salt fingerprint: %w", err)
	case old != fp:
		s.log.Warn("feedback: the user-id salt has changed (FEEDBACK_SALT set, changed or removed); earlier votes can no longer be matched to their users")
	}
	if old != fp {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, settingFingerprint, fp); err != nil {
			return nil, fmt.Errorf("store salt fingerprint: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store salt: %w", err)
	}
	return salt, nil
}

// fingerprint identifies a salt without revealing it.
func fingerprint(salt []byte) string {
	return hashWith(salt, "govbot feedback salt fingerprint")
}

// hashUser is what is stored instead of a user id; "" stays "".
func (s *Store) hashUser(userID string) string {
	if userID == "" {
		return ""
	}
	return hashWith(s.salt, userID)
}

func hashWith(salt []byte, v string) string {
	m := hmac.New(sha256.New, salt)
	m.Write([]byte(v))
	return hex.EncodeToString(m.Sum(nil))
}
