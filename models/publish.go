package models

import (
	"context"
	"fmt"
	"time"

	"qingdan/apperr"
)

// RevisionChange is one item's change in a new version.
type RevisionChange struct {
	ItemID      int64       // 0 creates a new item (add, include)
	Op          string      // OpAdd, OpInclude, OpModify, OpRecategorize, OpRemove
	Fields      *ItemFields // the item's new state; nil for OpRemove
	PrevCode    string      // the code before a recode, for the code lineage
	OperationID *int64
}

// NewVersion describes the version PublishVersion writes.
type NewVersion struct {
	ListID          int64
	BaseVersion     int // the list's current version the changes were computed against
	ChangeRequestID *int64
	At              time.Time
	Changes         []RevisionChange
}

// PublishVersion writes version BaseVersion+1 of a list: it closes the touched
// items' revisions, writes their new ones, and records the version. Run it in
// a transaction; the compare-and-swap on the list's current version makes a
// concurrent publication fail with a conflict instead of losing an update.
func (s *Store) PublishVersion(ctx context.Context, nv NewVersion) (ListVersion, error) {
	next := nv.BaseVersion + 1
	if nv.At.IsZero() {
		nv.At = time.Now().UTC()
	}
	res := s.DB(ctx).Model(&List{}).Where("id = ? AND current_version = ?", nv.ListID, nv.BaseVersion).
		Update("current_version", next)
	if res.Error != nil {
		return ListVersion{}, fmt.Errorf("publish list %d: %w", nv.ListID, res.Error)
	}
	if res.RowsAffected != 1 {
		return ListVersion{}, apperr.New(apperr.Conflict, "清单 %d 已不是第 %d 版，请刷新后重试", nv.ListID, nv.BaseVersion)
	}

	v := ListVersion{ListID: nv.ListID, Number: next, PublishedAt: nv.At, ChangeRequestID: nv.ChangeRequestID}
	var maxPos int
	if err := s.DB(ctx).Model(&ItemRevision{}).Where("list_id = ?", nv.ListID).
		Select("COALESCE(MAX(position), 0)").Scan(&maxPos).Error; err != nil {
		return v, fmt.Errorf("publish list %d: %w", nv.ListID, err)
	}
	for i, ch := range nv.Changes {
		position := 0
		if ch.ItemID != 0 {
			var cur ItemRevision
			err := s.DB(ctx).Where("item_id = ? AND list_id = ? AND valid_from <= ? AND valid_to > ?",
				ch.ItemID, nv.ListID, nv.BaseVersion, nv.BaseVersion).Take(&cur).Error
			if err != nil {
				return v, notFound(err, "事项 %d 不在清单 %d 的第 %d 版中", ch.ItemID, nv.ListID, nv.BaseVersion)
			}
			closed := s.DB(ctx).Model(&ItemRevision{}).Where("id = ? AND valid_to = ?", cur.ID, OpenEnd).Update("valid_to", next)
			if closed.Error != nil {
				return v, fmt.Errorf("close revision %d: %w", cur.ID, closed.Error)
			}
			if closed.RowsAffected != 1 {
				return v, apperr.New(apperr.Conflict, "事项 %d 已被其他修订修改", ch.ItemID)
			}
			position = cur.Position
		} else {
			if ch.Op == OpRemove || ch.Fields == nil {
				return v, apperr.New(apperr.Invalid, "第 %d 项变更缺少事项", i+1)
			}
			item := Item{ListID: nv.ListID, CreatedAt: nv.At}
			if err := s.DB(ctx).Create(&item).Error; err != nil {
				return v, fmt.Errorf("create item: %w", err)
			}
			ch.ItemID = item.ID
			maxPos += PositionStep
			position = maxPos
		}
		if ch.Op == OpRemove {
			v.Removed++
			continue
		}
		r := ItemRevision{ItemID: ch.ItemID, ListID: nv.ListID, ValidFrom: next, ValidTo: OpenEnd, Position: position,
			Op: ch.Op, ChangeRequestID: nv.ChangeRequestID, OperationID: ch.OperationID, PrevCode: ch.PrevCode}
		r.SetFields(*ch.Fields)
		if err := s.DB(ctx).Create(&r).Error; err != nil {
			return v, fmt.Errorf("write revision of item %d: %w", ch.ItemID, err)
		}
		switch ch.Op {
		case OpAdd:
			v.Added++
		case OpInclude:
			v.Included++
		case OpModify:
			v.Modified++
		case OpRecategorize:
			v.Recategorized++
		}
	}
	var count int64
	if err := s.DB(ctx).Model(&ItemRevision{}).Where("list_id = ? AND valid_from <= ? AND valid_to > ?", nv.ListID, next, next).
		Count(&count).Error; err != nil {
		return v, fmt.Errorf("count items of version %d: %w", next, err)
	}
	v.ItemCount = int(count)
	if err := s.DB(ctx).Create(&v).Error; err != nil {
		return v, fmt.Errorf("create version %d of list %d: %w", next, nv.ListID, err)
	}
	return v, nil
}
