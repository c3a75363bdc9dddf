package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/plugin/dbresolver"
)

// Read replicas (DATABASE_READ_URL). gorm's dbresolver tells reads from
// writes: a statement in a transaction, a write, and a read that locks go to
// the primary. On top of it a read goes to a replica only when its context
// allows it (ReadReplica) and a replica is up: the server marks anonymous
// reads and a user's reads when they wrote nothing lately, so nobody misses
// what they just did; the command line, the background workers and anything
// that reads to decide a write read the primary. A replica that does not
// answer its health check, or fails a query with a broken connection, is
// skipped until it answers again.

// ReplicaCheckEvery is how often each replica's health is checked.
const ReplicaCheckEvery = time.Second

type replicaKey struct{}

// ReadReplica marks a context whose reads may be answered by a replica,
// which may lag the primary by its replication delay.
func ReadReplica(ctx context.Context) context.Context {
	return context.WithValue(ctx, replicaKey{}, true)
}

// Primary marks a context whose reads must see every committed write.
func Primary(ctx context.Context) context.Context {
	return context.WithValue(ctx, replicaKey{}, false)
}

func mayReadReplica(ctx context.Context) bool {
	ok, _ := ctx.Value(replicaKey{}).(bool)
	return ok
}

type replica struct {
	name string // the URL without its password, for the log
	db   *sql.DB
	up   atomic.Bool
}

type replicaSet struct {
	primary  gorm.ConnPool
	replicas []*replica
	next     atomic.Uint64
}

// useReplicas opens the replicas, routes the store's reads and starts the
// health checks, which Close stops.
func (s *Store) useReplicas(ctx context.Context, urls []string) error {
	rs := &replicaSet{primary: s.db.ConnPool}
	var dialectors []gorm.Dialector
	for _, u := range urls {
		db, err := openGorm(ctx, u)
		if err != nil {
			return fmt.Errorf("read replica: %w", err)
		}
		sqlDB, _ := db.DB()
		r := &replica{name: redact(u), db: sqlDB}
		r.up.Store(true)
		rs.replicas = append(rs.replicas, r)
		s.shared.stop = append(s.shared.stop, func() { sqlDB.Close() })
		dialectors = append(dialectors, postgres.New(postgres.Config{Conn: sqlDB}))
	}
	if err := s.db.Use(dbresolver.Register(dbresolver.Config{Replicas: dialectors})); err != nil {
		return fmt.Errorf("read replicas: %w", err)
	}
	cb := s.db.Callback()
	for _, err := range []error{
		// Right before the statement runs: dbresolver has chosen by then.
		cb.Query().Before("gorm:query").Register("qingdan:replica", rs.route),
		cb.Row().Before("gorm:row").Register("qingdan:replica", rs.route),
		cb.Raw().Before("gorm:raw").Register("qingdan:replica", rs.route),
		cb.Query().After("*").Register("qingdan:replica_failed", rs.failed),
		cb.Row().After("*").Register("qingdan:replica_failed", rs.failed),
		cb.Raw().After("*").Register("qingdan:replica_failed", rs.failed),
	} {
		if err != nil {
			return fmt.Errorf("read replicas: %w", err)
		}
	}
	s.shared.replicas = rs
	checkCtx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); rs.check(checkCtx) }()
	s.shared.stop = append(s.shared.stop, func() { cancel(); <-done })
	return nil
}

// route keeps a read that dbresolver sent to a replica there only when the
// context allows it, moving it to a replica that is up (round robin), or to
// the primary when none is.
func (rs *replicaSet) route(db *gorm.DB) {
	if rs.replicaOf(db.Statement.ConnPool) == nil {
		return // a write, a locking read, or a transaction
	}
	db.Statement.ConnPool = rs.primary
	if !mayReadReplica(db.Statement.Context) {
		return
	}
	n := uint64(len(rs.replicas))
	start := rs.next.Add(1)
	for i := range n {
		if r := rs.replicas[(start+i)%n]; r.up.Load() {
			db.Statement.ConnPool = r.db
			return
		}
	}
}

// failed takes a replica out at once when a query on it lost its connection,
// rather than at its next health check.
func (rs *replicaSet) failed(db *gorm.DB) {
	r := rs.replicaOf(db.Statement.ConnPool)
	if r == nil || db.Error == nil || !connectionLost(db.Error) {
		return
	}
	if r.up.CompareAndSwap(true, false) {
		slog.Warn("read replica down", "replica", r.name, "err", db.Error)
	}
}

func (rs *replicaSet) replicaOf(pool gorm.ConnPool) *replica {
	for _, r := range rs.replicas {
		if pool == gorm.ConnPool(r.db) {
			return r
		}
	}
	return nil
}

func (rs *replicaSet) check(ctx context.Context) {
	t := time.NewTicker(ReplicaCheckEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for _, r := range rs.replicas {
			pingCtx, cancel := context.WithTimeout(ctx, ReplicaCheckEvery)
			err := r.db.PingContext(pingCtx)
			cancel()
			if ctx.Err() != nil {
				return
			}
			switch up := err == nil; {
			case up && r.up.CompareAndSwap(false, true):
				slog.Info("read replica up", "replica", r.name)
			case !up && r.up.CompareAndSwap(true, false):
				slog.Warn("read replica down", "replica", r.name, "err", err)
			}
		}
	}
}

// connectionLost tells a failed connection from a failed statement.
func connectionLost(err error) bool {
	var netErr net.Error
	var connectErr *pgconn.ConnectError
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &pgErr):
		// 57P01 admin_shutdown and the like: the server is going away.
		return pgErr.Code[:2] == "57" || pgErr.Code[:2] == "08"
	case errors.Is(err, sql.ErrConnDone), errors.As(err, &netErr), errors.As(err, &connectErr):
		return true
	}
	return pgconn.SafeToRetry(err)
}

// ReplicasUp counts the read replicas answering now, for tests and /healthz.
func (s *Store) ReplicasUp() (up, all int) {
	rs := s.shared.replicas
	if rs == nil {
		return 0, 0
	}
	for _, r := range rs.replicas {
		if r.up.Load() {
			up++
		}
	}
	return up, len(rs.replicas)
}
