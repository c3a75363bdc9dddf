package models

import (
	"context"
	"fmt"
	"strings"
)

// Violation is a broken invariant of the stored history.
type Violation struct {
	Check   string // the invariant's name, e.g. "versions-contiguous"
	ListID  int64
	Message string
}

func (v Violation) String() string {
	return fmt.Sprintf("%s: 清单 %d：%s", v.Check, v.ListID, v.Message)
}

// invariant is one check: a query whose every row (list id and up to three
// numbers) is a violation, told by format.
type invariant struct {
	name   string
	query  string
	format string
}

// invariants are what every publication, import and generator must keep;
// each query answers the rows that break its rule, with only numbers so
// that both databases write it alike.
var invariants = []invariant{
	{"versions-contiguous", `SELECT l.id, l.current_version, COUNT(v.id), COALESCE(MIN(v.number), 0) FROM lists l
LEFT JOIN list_versions v ON v.list_id = l.id GROUP BY l.id, l.current_version
HAVING COUNT(v.id) <> l.current_version OR COALESCE(MIN(v.number), 0) <> 1 OR COALESCE(MAX(v.number), 0) <> l.current_version`,
		"现行版本为第 %d 版，但有 %d 个版本、最早为第 %d 版：版本号应从 1 连续到现行版本"},
	{"item-count", `SELECT v.list_id, v.number, v.item_count, (SELECT COUNT(*) FROM item_revisions r
  WHERE r.list_id = v.list_id AND r.valid_from <= v.number AND r.valid_to > v.number) FROM list_versions v
WHERE v.item_count <> (SELECT COUNT(*) FROM item_revisions r WHERE r.list_id = v.list_id AND r.valid_from <= v.number AND r.valid_to > v.number)`,
		"第 %d 版记录事项 %d 项，实有 %d 项"},
	// A 分设's parts are counted once, as the split; a 合并's sources and a
	// 分设's item leave the version as the merge or split, not as 取消.
	{"version-counts", `SELECT v.list_id, v.number, v.added + v.included + v.modified + v.recategorized + v.delegated + v.merged,
  (SELECT COUNT(*) FROM item_revisions r WHERE r.list_id = v.list_id AND r.valid_from = v.number AND r.op <> 'split') FROM list_versions v
WHERE v.number > 1 AND v.added + v.included + v.modified + v.recategorized + v.delegated + v.merged <>
  (SELECT COUNT(*) FROM item_revisions r WHERE r.list_id = v.list_id AND r.valid_from = v.number AND r.op <> 'split')`,
		"第 %d 版记录增加、列入、调整、改为、下放、合并共 %d 项，实有 %d 条新修订"},
	{"version-removed", `SELECT v.list_id, v.number, v.removed, (SELECT COUNT(*) FROM item_revisions r WHERE r.list_id = v.list_id
  AND r.valid_to = v.number AND NOT EXISTS (SELECT 1 FROM item_revisions n WHERE n.item_id = r.item_id AND n.valid_from = v.number)
  AND NOT EXISTS (SELECT 1 FROM item_links k WHERE k.list_id = v.list_id AND k.version = v.number AND k.from_item_id = r.item_id))
FROM list_versions v WHERE v.removed <> (SELECT COUNT(*) FROM item_revisions r WHERE r.list_id = v.list_id
  AND r.valid_to = v.number AND NOT EXISTS (SELECT 1 FROM item_revisions n WHERE n.item_id = r.item_id AND n.valid_from = v.number)
  AND NOT EXISTS (SELECT 1 FROM item_links k WHERE k.list_id = v.list_id AND k.version = v.number AND k.from_item_id = r.item_id))`,
		"第 %d 版记录取消 %d 项，实有 %d 项"},
	{"revision-validity", `SELECT r.list_id, r.id, r.valid_from, r.valid_to FROM item_revisions r JOIN lists l ON l.id = r.list_id
WHERE r.valid_from < 1 OR r.valid_from >= r.valid_to OR r.valid_from > l.current_version
   OR (r.valid_to <> 2147483647 AND r.valid_to > l.current_version)`,
		"修订 %d 的有效范围 [%d, %d) 不在已公布的版本之内"},
	{"revision-overlap", `SELECT a.list_id, a.item_id, a.id, b.id FROM item_revisions a JOIN item_revisions b
  ON b.item_id = a.item_id AND b.id > a.id AND a.valid_from < b.valid_to AND b.valid_from < a.valid_to`,
		"事项 %d 的修订 %d 与 %d 在同一版本中同时有效"},
	{"revision-gap", `SELECT r.list_id, r.item_id, r.id, r.valid_to FROM item_revisions r
WHERE r.valid_to <> 2147483647
  AND EXISTS (SELECT 1 FROM item_revisions n WHERE n.item_id = r.item_id AND n.valid_from > r.valid_to)
  AND NOT EXISTS (SELECT 1 FROM item_revisions n WHERE n.item_id = r.item_id AND n.valid_from = r.valid_to)`,
		"事项 %d 的修订 %d 止于第 %d 版，其后的修订却不从该版开始"},
	{"item-has-revision", `SELECT i.list_id, i.id, 0, 0 FROM items i
WHERE NOT EXISTS (SELECT 1 FROM item_revisions r WHERE r.item_id = i.id)`,
		"事项 %d 没有任何修订"},
	{"position-unique", `SELECT list_id, MIN(item_id), MAX(item_id), position FROM item_revisions WHERE valid_to = 2147483647
GROUP BY list_id, category, position HAVING COUNT(*) > 1`,
		"现行版本中事项 %d 与 %d 在同一类别的同一位置 %d，排列不确定"},
	{"published-request", `SELECT cr.list_id, cr.id, COALESCE(cr.published_version, 0), l.current_version FROM change_requests cr
JOIN lists l ON l.id = cr.list_id
WHERE (cr.state = 'published') <> (cr.published_version IS NOT NULL) OR cr.published_version > l.current_version
   OR cr.published_version < 2`,
		"申请 %d 的公布版本（%d）与其状态或清单现行版本（%d）不符"},
	{"version-request", `SELECT v.list_id, v.number, v.change_request_id, 0 FROM list_versions v
WHERE v.change_request_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM change_requests cr
  WHERE cr.id = v.change_request_id AND cr.list_id = v.list_id AND cr.published_version = v.number)`,
		"第 %d 版记录的申请 %d 并未在该版公布"},
	{"revision-request", `SELECT r.list_id, r.id, r.change_request_id, r.valid_from FROM item_revisions r
WHERE r.change_request_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM change_requests cr
  WHERE cr.id = r.change_request_id AND cr.list_id = r.list_id AND cr.published_version = r.valid_from)`,
		"修订 %d 记录的申请 %d 并未在第 %d 版公布"},
	{"citation-links", `SELECT r.list_id, r.id, r.item_id, 0 FROM item_revisions r
WHERE r.citations_linked AND r.citations NOT IN ('', '[]', 'null')
  AND NOT EXISTS (SELECT 1 FROM citation_links c WHERE c.revision_id = r.id AND c.field = 'basis')`,
		"修订 %d（事项 %d）标为已关联依据，却没有依据关联"},
	{"citation-link-target", `SELECT c.list_id, c.id, COALESCE(c.revision_id, 0), 0 FROM citation_links c
LEFT JOIN item_revisions r ON r.id = c.revision_id
WHERE c.revision_id IS NOT NULL AND (r.id IS NULL OR r.list_id <> c.list_id OR r.item_id <> c.item_id)`,
		"依据关联 %d 指向的修订 %d 不存在或不属于其事项"},
}

// CheckInvariants reads the whole history and returns every violation of
// the rules versions and revisions keep: version numbers contiguous up to the
// list's current version, each version's item count and change counts as its
// revisions say, every revision valid over published versions, an item's
// revisions one after another without overlap or gap, a well-defined
// arrangement, the requests a version and its revisions name published in
// it, and citations linked where marked. Nothing is written.
func CheckInvariants(ctx context.Context, s *Store) ([]Violation, error) {
	var out []Violation
	for _, inv := range invariants {
		rows, err := s.DB(ctx).Raw(inv.query).Rows()
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", inv.name, err)
		}
		for rows.Next() {
			var list, a, b, c int64
			if err := rows.Scan(&list, &a, &b, &c); err != nil {
				rows.Close()
				return nil, fmt.Errorf("check %s: %w", inv.name, err)
			}
			nums := []any{a, b, c}[:strings.Count(inv.format, "%d")] // the format tells how many it shows
			out = append(out, Violation{Check: inv.name, ListID: list, Message: fmt.Sprintf(inv.format, nums...)})
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", inv.name, err)
		}
	}
	arr, err := s.arrangementViolations(ctx)
	if err != nil {
		return nil, err
	}
	return append(out, arr...), nil
}

// arrangementViolations: each list's arrangement names each category once
// and numbers its 序号 in a known way.
func (s *Store) arrangementViolations(ctx context.Context) ([]Violation, error) {
	var lists []List
	if err := s.DB(ctx).Select("id", "category_order", "seq_scope").Find(&lists).Error; err != nil {
		return nil, fmt.Errorf("check arrangement: %w", err)
	}
	var out []Violation
	for _, l := range lists {
		if l.SeqScope != SeqPerCategory && l.SeqScope != SeqThroughList {
			out = append(out, Violation{Check: "arrangement", ListID: l.ID, Message: fmt.Sprintf("序号编排方式“%s”未知", l.SeqScope)})
		}
		seen := map[string]bool{}
		for _, c := range l.CategoryOrder {
			if seen[c] {
				out = append(out, Violation{Check: "arrangement", ListID: l.ID, Message: fmt.Sprintf("类别“%s”在排列中出现两次", c)})
			}
			seen[c] = true
		}
	}
	return out, nil
}
