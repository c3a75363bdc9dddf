package models

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// BulkCounty is a county to store in bulk: its region, agencies and their
// lists, not yet stored.
type BulkCounty struct {
	Region   Region
	Agencies []Agency
	Lists    []BulkList
}

// BulkList is one agency's list with every version and revision. Item
// identities are local: BulkRevision.Item indexes 0…Items-1.
type BulkList struct {
	Agency    int // index into BulkCounty.Agencies
	Title     string
	Kind      string
	Items     int
	ItemSince []int // the version each item first appears in
	Versions  []ListVersion
	Revisions []BulkRevision
}

// BulkRevision is one item revision; its ItemID and ListID are set when stored.
type BulkRevision struct {
	Item int
	ItemRevision
}

// BulkWriter stores whole counties at once — regions, agencies, lists with
// every version, items and revisions — on one connection of a database, in
// bulk: COPY on PostgreSQL, multi-row INSERTs on SQLite. It writes what
// ImportList and PublishVersion would (validity ranges, one open revision per
// live item, version counts), for the generator of synthetic data.
type BulkWriter struct {
	conn *sql.Conn
	inTx func(ctx context.Context, conn *sql.Conn, fn func(sink) error) error
}

// NewBulkWriter takes a connection of db for writing; Close gives it back.
func NewBulkWriter(ctx context.Context, db *gorm.DB) (*BulkWriter, error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("bulk writer: %w", err)
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("bulk writer: %w", err)
	}
	w := &BulkWriter{conn: conn, inTx: sqliteTx}
	if !IsSQLite(db) {
		w.inTx = pgTx
	}
	return w, nil
}

// Close releases the connection.
func (w *BulkWriter) Close() error { return w.conn.Close() }

// Regions stores the province and its prefectures; counties come with their County.
func (w *BulkWriter) Regions(ctx context.Context, regions []Region) error {
	var upper []Region
	for _, r := range regions {
		if r.Level != "county" {
			upper = append(upper, r)
		}
	}
	if err := w.inTx(ctx, w.conn, func(s sink) error { return s.insert(ctx, "regions", regionCols, regionRows(upper)) }); err != nil {
		return fmt.Errorf("bulk regions: %w", err)
	}
	return nil
}

// County stores one county in one transaction.
func (w *BulkWriter) County(ctx context.Context, c BulkCounty) error {
	if err := w.inTx(ctx, w.conn, func(s sink) error { return writeCounty(ctx, s, c) }); err != nil {
		return fmt.Errorf("bulk county %s %s: %w", c.Region.Code, c.Region.Name, err)
	}
	return nil
}

// sink is where a county's rows go, inside one transaction.
type sink interface {
	// reserve returns n new ids of the table's id sequence.
	reserve(ctx context.Context, table string, n int) ([]int64, error)
	insert(ctx context.Context, table string, cols []string, rows [][]any) error
}

var (
	regionCols  = []string{"code", "name", "parent_code", "level"}
	agencyCols  = []string{"id", "name", "kind", "region_code"}
	listCols    = []string{"id", "agency_id", "title", "kind", "current_version", "source_sha256", "created_at"}
	versionCols = []string{"list_id", "number", "published_at", "change_request_id", "item_count", "added", "included", "modified", "recategorized", "removed", "import_report", "doc_number", "publish_date", "batch_name"}
	itemCols    = []string{"id", "list_id", "created_at"}
	// A revision's keys, then its item fields as the field model lists them
	// (their columns are named after the fields), then its citations.
	revisionCols = append(append([]string{"item_id", "list_id", "valid_from", "valid_to", "position", "op", "prev_code"},
		fieldColumns()...), "citations")
)

func fieldColumns() []string {
	out := make([]string, 0, len(FieldDefs))
	for _, d := range FieldDefs {
		out = append(out, string(d.Name))
	}
	return out
}

func regionRows(rs []Region) [][]any {
	rows := make([][]any, len(rs))
	for i, r := range rs {
		var parent any
		if r.ParentCode != nil {
			parent = *r.ParentCode
		}
		rows[i] = []any{r.Code, r.Name, parent, r.Level}
	}
	return rows
}

func writeCounty(ctx context.Context, s sink, c BulkCounty) error {
	if err := s.insert(ctx, "regions", regionCols, regionRows([]Region{c.Region})); err != nil {
		return err
	}
	agencyIDs, err := s.reserve(ctx, "agencies", len(c.Agencies))
	if err != nil {
		return err
	}
	rows := make([][]any, len(c.Agencies))
	for i, a := range c.Agencies {
		rows[i] = []any{agencyIDs[i], a.Name, a.Kind, a.RegionCode}
	}
	if err := s.insert(ctx, "agencies", agencyCols, rows); err != nil {
		return err
	}

	listIDs, err := s.reserve(ctx, "lists", len(c.Lists))
	if err != nil {
		return err
	}
	var lists, versions [][]any
	items, revisions := 0, 0
	for i, l := range c.Lists {
		lists = append(lists, []any{listIDs[i], agencyIDs[l.Agency], l.Title, l.Kind, len(l.Versions), "", l.Versions[0].PublishedAt})
		for _, v := range l.Versions {
			date := v.PublishDate
			if date == "" {
				date = v.PublishedAt.In(China).Format(time.DateOnly)
			}
			versions = append(versions, []any{listIDs[i], v.Number, v.PublishedAt, nil, v.ItemCount,
				v.Added, v.Included, v.Modified, v.Recategorized, v.Removed, "", v.DocNumber, date, v.BatchName})
		}
		items += l.Items
		revisions += len(l.Revisions)
	}
	if err := s.insert(ctx, "lists", listCols, lists); err != nil {
		return err
	}
	if err := s.insert(ctx, "list_versions", versionCols, versions); err != nil {
		return err
	}

	itemIDs, err := s.reserve(ctx, "items", items)
	if err != nil {
		return err
	}
	itemRows := make([][]any, 0, items)
	revs := make([][]any, 0, revisions)
	first := 0 // of the list's items in itemIDs
	for i, l := range c.Lists {
		for it := range l.Items {
			itemRows = append(itemRows, []any{itemIDs[first+it], listIDs[i], l.Versions[l.ItemSince[it]-1].PublishedAt})
		}
		for _, r := range l.Revisions {
			cites, err := json.Marshal(r.Citations)
			if err != nil {
				return fmt.Errorf("citations: %w", err)
			}
			row := []any{itemIDs[first+r.Item], listIDs[i], r.ValidFrom, r.ValidTo, r.Position, r.Op, r.PrevCode}
			f := r.Fields()
			for _, d := range FieldDefs {
				if d.Name == FieldSeq {
					row = append(row, f.Seq)
				} else {
					row = append(row, f.Get(d.Name))
				}
			}
			revs = append(revs, append(row, string(cites)))
		}
		first += l.Items
	}
	if err := s.insert(ctx, "items", itemCols, itemRows); err != nil {
		return err
	}
	return s.insert(ctx, "item_revisions", revisionCols, revs)
}

// pgTx runs fn in a transaction on the connection's pgx connection, whose
// COPY is the fastest way into PostgreSQL.
func pgTx(ctx context.Context, conn *sql.Conn, fn func(sink) error) error {
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		return pgx.BeginFunc(ctx, pc, func(tx pgx.Tx) error { return fn(pgSink{tx}) })
	})
}

type pgSink struct{ tx pgx.Tx }

func (s pgSink) reserve(ctx context.Context, table string, n int) ([]int64, error) {
	rows, err := s.tx.Query(ctx, "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)", table, n)
	if err != nil {
		return nil, fmt.Errorf("reserve %d %s ids: %w", n, table, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("reserve %d %s ids: %w", n, table, err)
	}
	return ids, nil
}

func (s pgSink) insert(ctx context.Context, table string, cols []string, rows [][]any) error {
	if _, err := s.tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("copy %d rows into %s: %w", len(rows), table, err)
	}
	return nil
}

// sqliteTx runs fn in an immediate transaction (the DSN's _txlock), which
// also keeps the ids reserve hands out from being taken by another writer.
func sqliteTx(ctx context.Context, conn *sql.Conn, fn func(sink) error) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(sqliteSink{tx}); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

type sqliteSink struct{ tx *sql.Tx }

// sqliteMaxVars is SQLite's default limit on the parameters of a statement.
const sqliteMaxVars = 32766

func (s sqliteSink) reserve(ctx context.Context, table string, n int) ([]int64, error) {
	// AUTOINCREMENT never reuses an id: start after both the largest id and
	// the sequence's high-water mark.
	var last int64
	err := s.tx.QueryRowContext(ctx, `SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0),
		COALESCE((SELECT MAX(id) FROM `+table+`), 0))`, table).Scan(&last)
	if err != nil {
		return nil, fmt.Errorf("reserve %d %s ids: %w", n, table, err)
	}
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = last + 1 + int64(i)
	}
	return ids, nil
}

func (s sqliteSink) insert(ctx context.Context, table string, cols []string, rows [][]any) error {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	per := sqliteMaxVars / len(cols)
	for start := 0; start < len(rows); start += per {
		batch := rows[start:min(start+per, len(rows))]
		args := make([]any, 0, len(batch)*len(cols))
		for _, r := range batch {
			args = append(args, r...)
		}
		q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " +
			strings.TrimSuffix(strings.Repeat(row+",", len(batch)), ",")
		if _, err := s.tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("insert %d rows into %s: %w", len(batch), table, err)
		}
	}
	return nil
}
