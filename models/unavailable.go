package models

import (
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/glebarez/go-sqlite"
	"github.com/jackc/pgx/v5/pgconn"

	"qingdan/apperr"
)

// Unavailable recognises an error of the database itself rather than of the
// request — unreachable or restarting, read-only, out of space, too busy —
// and returns it as apperr.Unavailable with a message saying which, so the
// user gets a 503 that explains instead of a 500. Other errors give nil.
func Unavailable(err error) *apperr.Error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "25006": // read_only_sql_transaction
			return unavailable(msgReadOnly)
		case pgErr.Code == "53100": // disk_full
			return unavailable(msgFull)
		case strings.HasPrefix(pgErr.Code, "08"), // connection exception
			pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03": // shutdown, crash, starting up
			return unavailable(msgDown)
		case pgErr.Code == "53300", pgErr.Code == "53200": // too many connections, out of memory
			return unavailable(msgBusy)
		}
		return nil
	}
	var sqliteErr *sqlite.Error
	if errors.As(err, &sqliteErr) {
		switch sqliteErr.Code() & 0xff { // the primary result code
		case 8: // SQLITE_READONLY
			return unavailable(msgReadOnly)
		case 13: // SQLITE_FULL
			return unavailable(msgFull)
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED: still locked after the busy timeout
			return unavailable(msgBusy)
		case 10, 14: // SQLITE_IOERR, SQLITE_CANTOPEN
			return unavailable(msgDown)
		}
		return nil
	}
	var connectErr *pgconn.ConnectError
	var netErr *net.OpError
	switch {
	case errors.As(err, &connectErr), errors.As(err, &netErr),
		errors.Is(err, pgconn.ErrConnClosed), errors.Is(err, driver.ErrBadConn),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return unavailable(msgDown)
	}
	return nil
}

const (
	msgDown     = "数据库暂时无法连接（可能正在重启），请稍后重试"
	msgReadOnly = "数据库当前为只读状态，暂时无法保存修改，请稍后重试或联系系统管理员"
	msgFull     = "数据库存储空间已满，无法保存修改，请联系系统管理员"
	msgBusy     = "数据库繁忙，请稍后重试"
)

func unavailable(msg string) *apperr.Error { return apperr.New(apperr.Unavailable, "%s", msg) }
