package models

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
)

// The audit log's hash chain is keyed (HMAC-SHA-256) with a secret kept
// outside the database: whoever can write the database but not read the key
// cannot rewrite entries and recompute the chain. The key is the process's,
// set once at start (SetAuditKey); appending without one is an error.

var auditKey atomic.Pointer[[]byte]

// minAuditKey is the shortest key accepted, in bytes.
const minAuditKey = 32

// SetAuditKey sets the key every audit append and check of this process uses.
func SetAuditKey(key []byte) { auditKey.Store(&key) }

func currentAuditKey() []byte {
	if k := auditKey.Load(); k != nil {
		return *k
	}
	return nil
}

// AuditKeySource says where LoadAuditKey found the key, for the log.
type AuditKeySource struct {
	From      string // "QINGDAN_AUDIT_KEY", or the key file's path
	Generated bool   // the key file did not exist and was created
}

// LoadAuditKey finds the audit key: the environment variable
// QINGDAN_AUDIT_KEY itself, else the file keyFile, else for SQLite a file
// next to the database (PATH.audit-key). A key file that does not exist is
// created with a new random key (mode 0600). PostgreSQL has no default
// place: the key must be given.
func LoadAuditKey(databaseURL, keyFile string) ([]byte, AuditKeySource, error) {
	if k := os.Getenv("QINGDAN_AUDIT_KEY"); k != "" {
		if len(k) < minAuditKey {
			return nil, AuditKeySource{}, fmt.Errorf("QINGDAN_AUDIT_KEY is %d bytes; at least %d are needed", len(k), minAuditKey)
		}
		return []byte(k), AuditKeySource{From: "QINGDAN_AUDIT_KEY"}, nil
	}
	if keyFile == "" {
		if databaseURL == "" {
			databaseURL = DefaultURL
		}
		path, ok := strings.CutPrefix(databaseURL, "sqlite://")
		if !ok {
			return nil, AuditKeySource{}, errors.New("the audit log's key is not set: give QINGDAN_AUDIT_KEY or QINGDAN_AUDIT_KEY_FILE (a file that does not exist yet is created)")
		}
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		keyFile = path + ".audit-key"
	}
	data, err := os.ReadFile(keyFile)
	if errors.Is(err, fs.ErrNotExist) {
		key := make([]byte, 32)
		_, _ = rand.Read(key)
		text := hex.EncodeToString(key)
		if err := os.MkdirAll(filepath.Dir(keyFile), 0o700); err != nil {
			return nil, AuditKeySource{}, fmt.Errorf("audit key: %w", err)
		}
		f, err := os.OpenFile(keyFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, AuditKeySource{}, fmt.Errorf("audit key: %w", err)
		}
		if _, err := f.WriteString(text + "\n"); err != nil {
			f.Close()
			return nil, AuditKeySource{}, fmt.Errorf("audit key %s: %w", keyFile, err)
		}
		if err := f.Close(); err != nil {
			return nil, AuditKeySource{}, fmt.Errorf("audit key %s: %w", keyFile, err)
		}
		return []byte(text), AuditKeySource{From: keyFile, Generated: true}, nil
	}
	if err != nil {
		return nil, AuditKeySource{}, fmt.Errorf("audit key: %w", err)
	}
	key := strings.TrimSpace(string(data))
	if len(key) < minAuditKey {
		return nil, AuditKeySource{}, fmt.Errorf("audit key %s is %d bytes; at least %d are needed", keyFile, len(key), minAuditKey)
	}
	return []byte(key), AuditKeySource{From: keyFile}, nil
}

// AuditHead is the newest entry of the audit log at some moment. Kept
// outside the database, it anchors the chain: VerifyAuditFrom detects the
// log cut short before it, or rewritten wholesale, since.
type AuditHead struct {
	ID   int64
	Hash string
}

const headPrefix = "qingdan-audit-head:v1:"

// String is the head signed with the audit key, to copy and keep elsewhere.
func (h AuditHead) String() string {
	return headPrefix + strconv.FormatInt(h.ID, 10) + ":" + h.Hash + ":" + h.signature(currentAuditKey())
}

func (h AuditHead) signature(key []byte) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "head\n%d\n%s", h.ID, h.Hash)
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// ParseAuditHead reads a head printed by String and checks its signature
// with this process's key.
func ParseAuditHead(s string) (AuditHead, error) {
	parts := strings.Split(strings.TrimPrefix(strings.TrimSpace(s), headPrefix), ":")
	bad := fmt.Errorf("%q is not a head printed by `qingdan audit head`", s)
	if !strings.HasPrefix(strings.TrimSpace(s), headPrefix) || len(parts) != 3 {
		return AuditHead{}, bad
	}
	id, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || id < 0 {
		return AuditHead{}, bad
	}
	h := AuditHead{ID: id, Hash: parts[1]}
	if !hmac.Equal([]byte(h.signature(currentAuditKey())), []byte(parts[2])) {
		return AuditHead{}, errors.New("the head's signature does not match this audit key: it was changed, or another key signed it")
	}
	return h, nil
}
