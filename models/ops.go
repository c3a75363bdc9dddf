package models

// OpLabels are the Chinese names of the operations, as lists and their
// 备注 write them: the one table every page, export and count uses.
var OpLabels = map[string]string{
	OpAdd: "增加", OpInclude: "列入", OpModify: "调整", OpRecategorize: "改为", OpRemove: "取消",
	OpDelegate: "下放", OpMerge: "合并", OpSplit: "分设",
}

// Ops are the operation types a change request may carry, in the order the
// operation dialog offers them.
var Ops = []string{OpAdd, OpInclude, OpModify, OpRecategorize, OpDelegate, OpMerge, OpSplit, OpRemove}

// Count is how many operations of type op the version published.
func (v ListVersion) Count(op string) int {
	return map[string]int{OpAdd: v.Added, OpInclude: v.Included, OpModify: v.Modified, OpRecategorize: v.Recategorized,
		OpRemove: v.Removed, OpDelegate: v.Delegated, OpMerge: v.Merged, OpSplit: v.Split}[op]
}

// Kinds of change of an item between two versions. Every operation type
// has one (KindOf); comparisons show each kind as one change.
const (
	KindAdded         = "added"
	KindRemoved       = "removed"
	KindModified      = "modified"
	KindRecategorized = "recategorized" // another 权力类型 (by canonical name)
	KindDelegated     = "delegated"
	KindMerged        = "merged" // a new item made of several (its sources)
	KindSplit         = "split"  // an item made into several new ones (its parts)
)

// ChangeKinds are the kinds in the order counts and legends show them.
var ChangeKinds = []string{KindAdded, KindModified, KindRecategorized, KindDelegated, KindMerged, KindSplit, KindRemoved}

// ItemChangeLabels name the kinds of change of an item.
var ItemChangeLabels = map[string]string{
	KindAdded: "增加", KindRemoved: "取消", KindModified: "调整", KindRecategorized: "改为",
	KindDelegated: "下放", KindMerged: "合并", KindSplit: "分设",
}

// KindOf is the kind of change an operation makes: 增加 and 列入 both add
// an item to the list.
func KindOf(op string) string {
	switch op {
	case OpAdd, OpInclude:
		return KindAdded
	case OpModify:
		return KindModified
	case OpRecategorize:
		return KindRecategorized
	case OpRemove:
		return KindRemoved
	case OpDelegate:
		return KindDelegated
	case OpMerge:
		return KindMerged
	case OpSplit:
		return KindSplit
	}
	return ""
}

// KeptKind classifies the change of an item kept in the list: another
// 权力类型 by its canonical name is 改为 (其他类 and 其他 are one type, so
// renaming one to the other is a 调整), a 下放 is one whatever else
// changed, anything else is a 调整.
func KeptKind(before, after *ItemFields, delegated bool) string {
	switch {
	case delegated:
		return KindDelegated
	case !SameCategory(before.Category, after.Category):
		return KindRecategorized
	}
	return KindModified
}

// Link is a step of an item's lineage: in Version, FromItem became (part
// of) ToItem by a 合并, 分设 or 下放 (the item itself).
type Link struct {
	ID          int64 `gorm:"primaryKey"`
	ListID      int64
	Version     int
	Op          string
	FromItemID  int64
	ToItemID    int64
	OperationID *int64
}

func (Link) TableName() string { return "item_links" }
