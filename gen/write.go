package gen

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"qingdan/apperr"
	"qingdan/models"
)

// Stats counts what Write stored.
type Stats struct {
	Counties  int
	Agencies  int
	Lists     int
	Versions  int
	Items     int // item identities, removed ones included
	Live      int // items in the lists' current versions
	Revisions int
}

func (s *Stats) add(o Stats) {
	s.Counties += o.Counties
	s.Agencies += o.Agencies
	s.Lists += o.Lists
	s.Versions += o.Versions
	s.Items += o.Items
	s.Live += o.Live
	s.Revisions += o.Revisions
}

// Write generates the province of c and stores it: the regions first, then
// one transaction per county. It writes what models.ImportList and
// models.PublishVersion would (validity ranges, one open revision per live
// item, version counts), in bulk: COPY on PostgreSQL, multi-row INSERTs on
// SQLite. progress, if set, is called after each county.
func Write(ctx context.Context, db *gorm.DB, c Config, progress func(county int, s Stats)) (Stats, error) {
	c = c.Defaults()
	if err := c.Validate(); err != nil {
		return Stats{}, apperr.New(apperr.Invalid, "生成参数有误：%v", err)
	}
	regions := Regions(c)
	var n int64
	if err := db.WithContext(ctx).Model(&models.Region{}).Where("code = ?", regions[0].Code).Count(&n).Error; err != nil {
		return Stats{}, fmt.Errorf("gen: %w", err)
	}
	if n > 0 {
		return Stats{}, apperr.New(apperr.Conflict, "行政区划 %s 已存在：gen 只写入新的省份，请换一个省级代码（--province）或使用空数据库", regions[0].Code)
	}
	w, err := NewWriter(ctx, db)
	if err != nil {
		return Stats{}, err
	}
	defer w.Close()
	if err := w.Regions(ctx, regions); err != nil {
		return Stats{}, err
	}
	var total Stats
	for i := range c.Counties {
		st, err := w.County(ctx, GenerateCounty(c, regions, i))
		if err != nil {
			return total, err
		}
		total.add(st)
		if progress != nil {
			progress(i+1, total)
		}
	}
	return total, nil
}

// Writer stores generated data on one connection of db.
type Writer struct {
	conn *sql.Conn
	inTx func(ctx context.Context, conn *sql.Conn, fn func(sink) error) error
}

// NewWriter takes a connection of db for writing; Close gives it back.
func NewWriter(ctx context.Context, db *gorm.DB) (*Writer, error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("gen: %w", err)
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("gen: %w", err)
	}
	w := &Writer{conn: conn, inTx: sqliteTx}
	if !models.IsSQLite(db) {
		w.inTx = pgTx
	}
	return w, nil
}

// Close releases the connection.
func (w *Writer) Close() error { return w.conn.Close() }

// Regions stores the province and its prefectures; counties come with their County.
func (w *Writer) Regions(ctx context.Context, regions []models.Region) error {
	var upper []models.Region
	for _, r := range regions {
		if r.Level != "county" {
			upper = append(upper, r)
		}
	}
	if err := w.inTx(ctx, w.conn, func(s sink) error { return s.insert(ctx, "regions", regionCols, regionRows(upper)) }); err != nil {
		return fmt.Errorf("gen regions: %w", err)
	}
	return nil
}

// County stores one county in one transaction.
func (w *Writer) County(ctx context.Context, c County) (Stats, error) {
	var st Stats
	err := w.inTx(ctx, w.conn, func(s sink) error {
		var err error
		st, err = writeCounty(ctx, s, c)
		return err
	})
	if err != nil {
		return st, fmt.Errorf("gen county %s %s: %w", c.Region.Code, c.Region.Name, err)
	}
	return st, nil
}

// sink is where a county's rows go, inside one transaction.
type sink interface {
	// reserve returns n new ids of the table's id sequence.
	reserve(ctx context.Context, table string, n int) ([]int64, error)
	insert(ctx context.Context, table string, cols []string, rows [][]any) error
}

var (
	regionCols   = []string{"code", "name", "parent_code", "level"}
	agencyCols   = []string{"id", "name", "kind", "region_code"}
	listCols     = []string{"id", "agency_id", "title", "kind", "current_version", "source_sha256", "created_at"}
	versionCols  = []string{"list_id", "number", "published_at", "change_request_id", "item_count", "added", "included", "modified", "recategorized", "removed", "import_report"}
	itemCols     = []string{"id", "list_id", "created_at"}
	revisionCols = []string{"item_id", "list_id", "valid_from", "valid_to", "position", "op", "change_request_id", "operation_id", "prev_code",
		"seq", "code", "name", "subitem", "category", "department", "basis", "citations", "level", "content", "duty",
		"responsibility", "responsibility_basis", "accountable", "accountability", "note"}
)

func regionRows(rs []models.Region) [][]any {
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

func writeCounty(ctx context.Context, s sink, c County) (Stats, error) {
	st := Stats{Counties: 1, Agencies: len(c.Agencies), Lists: len(c.Lists)}
	if err := s.insert(ctx, "regions", regionCols, regionRows([]models.Region{c.Region})); err != nil {
		return st, err
	}
	agencyIDs, err := s.reserve(ctx, "agencies", len(c.Agencies))
	if err != nil {
		return st, err
	}
	rows := make([][]any, len(c.Agencies))
	for i, a := range c.Agencies {
		rows[i] = []any{agencyIDs[i], a.Name, a.Kind, a.RegionCode}
	}
	if err := s.insert(ctx, "agencies", agencyCols, rows); err != nil {
		return st, err
	}

	listIDs, err := s.reserve(ctx, "lists", len(c.Lists))
	if err != nil {
		return st, err
	}
	var lists, versions [][]any
	for i, l := range c.Lists {
		lists = append(lists, []any{listIDs[i], agencyIDs[l.Agency], l.Title, l.Kind, len(l.Versions), "", l.Versions[0].PublishedAt})
		for _, v := range l.Versions {
			versions = append(versions, []any{listIDs[i], v.Number, v.PublishedAt, nil, v.ItemCount,
				v.Added, v.Included, v.Modified, v.Recategorized, v.Removed, ""})
		}
		st.Versions += len(l.Versions)
		st.Items += l.Items
		st.Live += l.Versions[len(l.Versions)-1].ItemCount
		st.Revisions += len(l.Revisions)
	}
	if err := s.insert(ctx, "lists", listCols, lists); err != nil {
		return st, err
	}
	if err := s.insert(ctx, "list_versions", versionCols, versions); err != nil {
		return st, err
	}

	itemIDs, err := s.reserve(ctx, "items", st.Items)
	if err != nil {
		return st, err
	}
	items := make([][]any, 0, st.Items)
	revs := make([][]any, 0, st.Revisions)
	first := 0 // of the list's items in itemIDs
	for i, l := range c.Lists {
		for it := range l.Items {
			items = append(items, []any{itemIDs[first+it], listIDs[i], l.Versions[l.ItemSince[it]-1].PublishedAt})
		}
		for _, r := range l.Revisions {
			cites, err := json.Marshal(r.Citations)
			if err != nil {
				return st, fmt.Errorf("citations: %w", err)
			}
			revs = append(revs, []any{itemIDs[first+r.Item], listIDs[i], r.ValidFrom, r.ValidTo, r.Position, r.Op, nil, nil, r.PrevCode,
				r.Seq, r.Code, r.Name, r.Subitem, r.Category, r.Department, r.Basis, string(cites), r.Level, r.Content, r.Duty,
				r.Responsibility, r.ResponsibilityBasis, r.Accountable, r.Accountability, r.Note})
		}
		first += l.Items
	}
	if err := s.insert(ctx, "items", itemCols, items); err != nil {
		return st, err
	}
	return st, s.insert(ctx, "item_revisions", revisionCols, revs)
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
