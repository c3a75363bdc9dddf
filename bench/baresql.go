package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"qingdan/models"
)

// The bare reference of the workflow's writes: the same rows — change
// request, operations, state compare-and-swap with its event and audit entry,
// the new version's revisions — in hand-written SQL over pgx, one transaction
// per step as the product does per request, without validation, previews or
// ORM. The audit chain is kept (advisory lock, previous hash), so the
// reference pays for the same serialisation as the product.

// bareCreate inserts a draft against the list's current version.
func bareCreate(ctx context.Context, pool *pgxpool.Pool, listID, submitter int64) (int64, error) {
	var id int64
	err := pool.QueryRow(ctx, `INSERT INTO change_requests (list_id, agency_id, base_version, title, reason, state, version, submitter_id, created_at, updated_at)
		SELECT id, agency_id, current_version, '基准修订', '法律修订', 'draft', 1, $2, now(), now() FROM lists WHERE id = $1 RETURNING id`,
		listID, submitter).Scan(&id)
	return id, err
}

// bareModify adds a modify operation: the item's current fields with a new content.
func bareModify(ctx context.Context, pool *pgxpool.Pool, crID, itemID int64, content string) error {
	var f models.ItemFields
	var cites string
	err := pool.QueryRow(ctx, `SELECT seq, code, name, subitem, category, department, basis, citations, level, content, duty,
		responsibility, responsibility_basis, accountable, accountability, note FROM item_revisions WHERE item_id = $1 AND valid_to = $2`,
		itemID, models.OpenEnd).Scan(&f.Seq, &f.Code, &f.Name, &f.Subitem, &f.Category, &f.Department, &f.Basis, &cites, &f.Level,
		&f.Content, &f.Duty, &f.Responsibility, &f.ResponsibilityBasis, &f.Accountable, &f.Accountability, &f.Note)
	if err != nil {
		return fmt.Errorf("item %d: %w", itemID, err)
	}
	if err := json.Unmarshal([]byte(cites), &f.Citations); err != nil {
		return err
	}
	f.Content, f.Note = content, "调整"
	item, err := json.Marshal(f)
	if err != nil {
		return err
	}
	_, err = pool.Exec(ctx, `INSERT INTO change_request_operations (change_request_id, op, item_id, item, reason, basis, created_at)
		VALUES ($1, 'modify', $2, $3, '依据新法调整', $4, now())`, crID, itemID, string(item), benchBasis)
	return err
}

// bareFire moves a request from one state to the next: compare-and-swap,
// event, audit entry — and for publish, the new version.
func bareFire(ctx context.Context, pool *pgxpool.Pool, crID, actor int64, event, from, to string) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		var version int
		var listID int64
		if err := tx.QueryRow(ctx, "SELECT version, list_id FROM change_requests WHERE id = $1 AND state = $2 FOR UPDATE", crID, from).
			Scan(&version, &listID); err != nil {
			return fmt.Errorf("%s %d: %w", event, crID, err)
		}
		var published *int
		if event == "publish" {
			n, err := barePublish(ctx, tx, crID, listID)
			if err != nil {
				return err
			}
			published = &n
		}
		tag, err := tx.Exec(ctx, `UPDATE change_requests SET state = $1, version = version + 1, published_version = COALESCE($2, published_version),
			updated_at = now() WHERE id = $3 AND version = $4`, to, published, crID, version)
		if err != nil || tag.RowsAffected() != 1 {
			return fmt.Errorf("%s %d: swap: %v", event, crID, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO change_request_events (change_request_id, version, event, from_state, to_state, actor_id, comment, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, '', now())`, crID, version+1, event, from, to, actor); err != nil {
			return err
		}
		if err := bareAudit(ctx, tx, actor, event, crID); err != nil {
			return err
		}
		if published != nil { // the product also audits the list's new version
			return bareAudit(ctx, tx, actor, "publish-list", crID)
		}
		return nil
	})
}

// barePublish writes the list's next version from the request's operations:
// close each touched item's open revision, insert the new ones, record the version.
func barePublish(ctx context.Context, tx pgx.Tx, crID, listID int64) (int, error) {
	var cur int
	if err := tx.QueryRow(ctx, "SELECT current_version FROM lists WHERE id = $1 FOR UPDATE", listID).Scan(&cur); err != nil {
		return 0, err
	}
	next := cur + 1
	rows, err := tx.Query(ctx, "SELECT id, item_id, item FROM change_request_operations WHERE change_request_id = $1 ORDER BY id", crID)
	if err != nil {
		return 0, err
	}
	type op struct {
		id, item int64
		fields   models.ItemFields
	}
	var ops []op
	var ids []int64
	var o op
	var item string
	if _, err := pgx.ForEachRow(rows, []any{&o.id, &o.item, &item}, func() error {
		o.fields = models.ItemFields{}
		if err := json.Unmarshal([]byte(item), &o.fields); err != nil {
			return err
		}
		ops = append(ops, o)
		ids = append(ids, o.item)
		return nil
	}); err != nil {
		return 0, err
	}
	positions := map[int64]int{}
	closed, err := tx.Query(ctx, `UPDATE item_revisions SET valid_to = $1 WHERE list_id = $2 AND item_id = ANY($3) AND valid_to = $4
		RETURNING item_id, position`, next, listID, ids, models.OpenEnd)
	if err != nil {
		return 0, err
	}
	var itemID int64
	var pos int
	if _, err := pgx.ForEachRow(closed, []any{&itemID, &pos}, func() error { positions[itemID] = pos; return nil }); err != nil {
		return 0, err
	}
	if len(positions) != len(ops) {
		return 0, fmt.Errorf("publish %d: %d of %d items open", crID, len(positions), len(ops))
	}
	revs := make([][]any, len(ops))
	for i, o := range ops {
		f := o.fields
		cites, err := json.Marshal(f.Citations)
		if err != nil {
			return 0, err
		}
		revs[i] = []any{o.item, listID, next, models.OpenEnd, positions[o.item], "modify", crID, o.id, "",
			f.Seq, f.Code, f.Name, f.Subitem, f.Category, f.Department, f.Basis, string(cites), f.Level, f.Content, f.Duty,
			f.Responsibility, f.ResponsibilityBasis, f.Accountable, f.Accountability, f.Note}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"item_revisions"}, revisionCols, pgx.CopyFromRows(revs)); err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO list_versions (list_id, number, published_at, change_request_id, item_count, modified)
		SELECT $1, $2, now(), $3, COUNT(*), $4 FROM item_revisions WHERE list_id = $1 AND valid_from <= $2 AND valid_to > $2`,
		listID, next, crID, len(ops)); err != nil {
		return 0, err
	}
	tag, err := tx.Exec(ctx, "UPDATE lists SET current_version = $1 WHERE id = $2 AND current_version = $3", next, listID, cur)
	if err != nil || tag.RowsAffected() != 1 {
		return 0, fmt.Errorf("publish %d: list moved: %v", crID, err)
	}
	return next, nil
}

var revisionCols = []string{"item_id", "list_id", "valid_from", "valid_to", "position", "op", "change_request_id", "operation_id", "prev_code",
	"seq", "code", "name", "subitem", "category", "department", "basis", "citations", "level", "content", "duty",
	"responsibility", "responsibility_basis", "accountable", "accountability", "note"}

// bareAudit appends to the hash chain as models.AppendAudit does.
func bareAudit(ctx context.Context, tx pgx.Tx, actor int64, action string, crID int64) error {
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(7147001)"); err != nil {
		return err
	}
	prev := models.GenesisHash
	if err := tx.QueryRow(ctx, "SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1").Scan(&prev); err != nil && err != pgx.ErrNoRows {
		return err
	}
	at := time.Now().UTC()
	sum := sha256.Sum256(fmt.Appendf(nil, "%s|%s|%d|%s|%d", prev, at.Format(time.RFC3339Nano), actor, action, crID))
	_, err := tx.Exec(ctx, `INSERT INTO audit_events (created_at, actor_id, action, target_type, target_id, prev_hash, hash)
		VALUES ($1, $2, $3, 'change_request', $4, $5, $6)`, at, actor, action, fmt.Sprint(crID), prev, hex.EncodeToString(sum[:]))
	return err
}

// benchBasis is the legal ground every benchmark operation cites.
const benchBasis = "【法律】《中华人民共和国行政处罚法》（2021年修订）第七十六条"
