// Package auth knows who is who: password hashing, session tokens, logging
// in and out with the lockout after repeated failures, and the management of
// user accounts. Every change it makes is written to the audit log in the
// same transaction. It holds no HTTP.
package auth

import (
	"fmt"
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
	MinPasswordChars = 8
	MaxPasswordBytes = 72
)

// CheckPasswordPolicy says what is wrong with a new password, in Chinese.
func CheckPasswordPolicy(password string) error {
	switch {
	case utf8.RuneCountInString(password) < MinPasswordChars:
		return apperr.New(apperr.Invalid, "密码至少需要 %d 个字符", MinPasswordChars)
	case len(password) > MaxPasswordBytes:
		return apperr.New(apperr.Invalid, "密码过长（最多 %d 字节，约 %d 个汉字）", MaxPasswordBytes, MaxPasswordBytes/3)
	}
	return nil
}

// HashPassword hashes a password with bcrypt at the given cost.
func HashPassword(password string, cost int) (string, error) {
	if err := CheckPasswordPolicy(password); err != nil {
		return "", err
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
