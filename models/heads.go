package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"qingdan/apperr"
)

// The head of a list — its current version and its agency's name — is what
// a cached read of the list depends on beyond the version numbers it names.
// Without a listener (SQLite, one instance; the command line) every read
// looks it up: one indexed join. On PostgreSQL each server instance LISTENs
// on headsChannel and keeps the heads it has read in memory; a publication
// and an agency's renaming NOTIFY in their transaction, which PostgreSQL
// delivers to every listener when it commits. While the listener is down
// nothing is kept and every read looks up again, until LISTEN is back.
//
// A notification arrives a moment after the commit, later still on a loaded
// machine, so an instance could answer one more request from memory after the
// publisher has answered its client. To close that gap every listener, once
// it has forgotten what a notification names, acknowledges it on ackChannel,
// and the publishing transaction returns only when as many acknowledgements
// as there are listeners (their connections carry listenerName) have come
// back, or after ackWait. So whoever learns of a publication finds it on
// every instance.

const (
	headsChannel = "qingdan_heads"
	ackChannel   = "qingdan_heads_ack"
	listenerName = "qingdan-heads-listener" // application_name of the listening connections
	ackWait      = 3 * time.Second          // a listener that does not acknowledge is waited for no longer
)

// ListHead is a list's current version and the name of its agency.
type ListHead struct {
	Version int
	Agency  string
}

type heads struct {
	mu   sync.Mutex
	m    map[int64]ListHead
	gen  uint64 // bumped by every change, so a lookup that raced one is not kept
	live bool   // LISTEN is established: what is kept is told when it changes
	// acks count the latest notifications' acknowledgements, for a publisher
	// waiting for every listener (see awaitAcks); each payload is unique.
	acks   map[string]int
	ackLog []string
	acked  *sync.Cond
	db     *Store // counts the listeners
}

// acksKept bounds the notifications whose acknowledgements are counted.
const acksKept = 1024

// ListHead returns the list's current version and agency name, from memory
// when the listener keeps it.
func (s *Store) ListHead(ctx context.Context, id int64) (ListHead, error) {
	h := s.shared.heads
	var gen uint64
	if h != nil {
		var ok bool
		var head ListHead
		if head, gen, ok = h.get(id); ok {
			return head, nil
		}
	}
	var head ListHead
	// The primary: a version a replica has not replayed yet must not be
	// taken as the current one.
	err := s.DB(Primary(ctx)).Raw(`SELECT l.current_version, a.name FROM lists l JOIN agencies a ON a.id = l.agency_id WHERE l.id = ?`, id).
		Row().Scan(&head.Version, &head.Agency)
	if errors.Is(err, sql.ErrNoRows) {
		return head, apperr.New(apperr.NotFound, "清单 %d 不存在", id)
	}
	if err != nil {
		return head, fmt.Errorf("current version of list %d: %w", id, err)
	}
	if h != nil {
		h.put(id, head, gen)
	}
	return head, nil
}

// Listen keeps the lists' heads in memory for as long as a LISTEN
// connection to the database is up (see the top of this file), reconnecting
// when it is lost; Close stops it. It does nothing on SQLite.
func (s *Store) Listen(url string) {
	if IsSQLite(s.db) || s.shared.heads != nil {
		return
	}
	h := &heads{m: map[int64]ListHead{}, acks: map[string]int{}, db: s}
	h.acked = sync.NewCond(&h.mu)
	s.shared.heads = h
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); h.listen(ctx, url) }()
	s.shared.stop = append(s.shared.stop, func() { cancel(); <-done })
}

// HeadsListening tells whether the listener is up (tests wait for it).
func (s *Store) HeadsListening() bool {
	h := s.shared.heads
	return h != nil && h.listening()
}

// notifyHead tells every instance, when the transaction commits, that what
// is kept under kind and id changed ("list", "agency"); this instance
// forgets it as soon as the transaction returns, which then waits for every
// listener's acknowledgement (see the top of this file).
func (s *Store) notifyHead(ctx context.Context, kind string, id int64) error {
	payload := fmt.Sprintf("%s %d %d", kind, id, time.Now().UnixNano()) // unique, for awaitAcks
	if s.notes != nil {
		*s.notes = append(*s.notes, payload)
	}
	if IsSQLite(s.db) {
		return nil
	}
	if err := s.DB(ctx).Exec("SELECT pg_notify(?, ?)", headsChannel, payload).Error; err != nil {
		return fmt.Errorf("notify %s: %w", payload, err)
	}
	return nil
}

func (h *heads) get(id int64) (ListHead, uint64, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	head, ok := h.m[id]
	return head, h.gen, ok && h.live
}

func (h *heads) put(id int64, head ListHead, gen uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.live && h.gen == gen {
		h.m[id] = head
	}
}

// forget drops what the payloads name: a list, or every list (an agency).
func (h *heads) forget(payloads ...string) {
	if len(payloads) == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.gen++
	for _, p := range payloads {
		f := strings.Fields(p)
		if len(f) > 1 && f[0] == "list" {
			if id, err := strconv.ParseInt(f[1], 10, 64); err == nil {
				delete(h.m, id)
				continue
			}
		}
		clear(h.m) // an agency renamed, or a payload this version does not know
	}
}

// ack counts an acknowledgement of a notification.
func (h *heads) ack(payload string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.acks[payload]; !ok {
		h.ackLog = append(h.ackLog, payload)
		if len(h.ackLog) > acksKept {
			delete(h.acks, h.ackLog[0])
			h.ackLog = h.ackLog[1:]
		}
	}
	h.acks[payload]++
	h.acked.Broadcast()
}

// awaitAcks waits, at most ackWait, until every listener on the database
// has acknowledged every payload, while this instance's listener is up.
func (h *heads) awaitAcks(ctx context.Context, payloads []string) {
	if len(payloads) == 0 || !h.listening() {
		return
	}
	var listeners int
	err := h.db.DB(Primary(ctx)).Raw("SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND datname = current_database()", listenerName).
		Row().Scan(&listeners)
	if err != nil {
		slog.Warn("count the current-version listeners", "err", err)
		return
	}
	timer := time.AfterFunc(ackWait, func() { h.mu.Lock(); h.acked.Broadcast(); h.mu.Unlock() })
	defer timer.Stop()
	deadline := time.Now().Add(ackWait)
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, p := range payloads {
		for h.live && h.acks[p] < listeners && time.Now().Before(deadline) {
			h.acked.Wait()
		}
		if h.acks[p] < listeners && h.live {
			slog.Warn("not every instance acknowledged a publication in time; one may answer its old version a moment longer",
				"notification", p, "acknowledged", h.acks[p], "listeners", listeners)
		}
	}
}

func (h *heads) listening() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.live
}

func (h *heads) setLive(live bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.live = live
	h.gen++
	h.acked.Broadcast()
	clear(h.m) // what changed while nobody listened is not known
}

// listenCheck is how long the listener waits for a notification before it
// checks that its connection still answers.
const listenCheck = 30 * time.Second

func (h *heads) listen(ctx context.Context, url string) {
	backoff := 100 * time.Millisecond
	for {
		err := h.listenOnce(ctx, url)
		if ctx.Err() != nil {
			return
		}
		slog.Warn("current-version listener lost; reading current versions from the database until it is back", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func (h *heads) listenOnce(ctx context.Context, url string) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return err
	}
	cfg.RuntimeParams["application_name"] = listenerName
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+headsChannel+"; LISTEN "+ackChannel); err != nil {
		return err
	}
	h.setLive(true)
	defer h.setLive(false)
	for {
		wait, cancel := context.WithTimeout(ctx, listenCheck)
		n, err := conn.WaitForNotification(wait)
		cancel()
		switch {
		case err == nil && n.Channel == ackChannel:
			h.ack(n.Payload)
		case err == nil:
			h.forget(n.Payload)
			if _, err := conn.Exec(ctx, "SELECT pg_notify($1, $2)", ackChannel, n.Payload); err != nil {
				return err
			}
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, context.DeadlineExceeded):
			ping, cancel := context.WithTimeout(ctx, 5*time.Second)
			err = conn.Ping(ping)
			cancel()
			if err != nil {
				return err
			}
		default:
			return err
		}
	}
}
