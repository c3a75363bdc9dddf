// Package auth knows who is who: password hashing, session tokens, logging
// in and out with the lockout after repeated failures, and the management of
// user accounts. Every change it makes is written to the audit log in the
// same transaction. It holds no HTTP.
package auth

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"qingdan/apperr"
)

// DefaultHashCost is the bcrypt cost of new password hashes (about 0.1–0.2 s
// per hash here). A hash keeps its cost, so raising it only affects new ones.
const DefaultHashCost = 11

// Password length bounds; bcrypt reads at most 72 bytes, so longer is refused
// rather than silently truncated.
const (
	MinPasswordChars = 10
	MaxPasswordBytes = 72
)

// commonPasswordsGz is a list of common passwords (one a line, lower-cased,
// sorted); the README says where it comes from.
//
//go:embed common-passwords.txt.gz
var commonPasswordsGz []byte

// commonPasswords decompresses the list once, on the first password checked.
var commonPasswords = sync.OnceValue(func() []string {
	zr, err := gzip.NewReader(bytes.NewReader(commonPasswordsGz))
	if err != nil {
		panic(fmt.Sprintf("embedded common-password list: %v", err)) // the binary is broken
	}
	var out []string
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "# ") {
			out = append(out, line)
		}
	}
	if sc.Err() != nil || len(out) == 0 {
		panic(fmt.Sprintf("embedded common-password list: %v", sc.Err()))
	}
	slices.Sort(out)
	return out
})

// CheckPasswordPolicy says what is wrong with a new password of the user, in
// Chinese: at least MinPasswordChars characters, not containing the
// username, not a common password.
func CheckPasswordPolicy(username, password string) error {
	lower := strings.ToLower(password)
	switch {
	case utf8.RuneCountInString(password) < MinPasswordChars:
		return passwordError("密码至少需要 %d 个字符", MinPasswordChars)
	case len(password) > MaxPasswordBytes:
		return errPasswordTooLong()
	case username != "" && strings.Contains(lower, strings.ToLower(username)):
		return passwordError("密码不能包含用户名")
	}
	if _, found := slices.BinarySearch(commonPasswords(), lower); found {
		return passwordError("这是常见密码，容易被猜中，请换一个")
	}
	return nil
}

func passwordError(format string, args ...any) error {
	return apperr.New(apperr.Invalid, format, args...).WithDetails(map[string]any{"field": "password"})
}

func errPasswordTooLong() error {
	return passwordError("密码过长（最多 %d 字节，约 %d 个汉字）", MaxPasswordBytes, MaxPasswordBytes/3)
}

// HashPassword hashes a password with bcrypt at the given cost; the policy
// is the caller's (CheckPasswordPolicy), bcrypt's 72-byte limit is checked here.
func HashPassword(password string, cost int) (string, error) {
	if len(password) > MaxPasswordBytes {
		return "", errPasswordTooLong()
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// PasswordMatches compares a password with a stored hash in constant time.
// A malformed hash never matches.
func PasswordMatches(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}
