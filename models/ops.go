package models

// OpLabels are the Chinese names of the operations, as lists and their
// 备注 write them: the one table every page, export and count uses.
var OpLabels = map[string]string{
	OpAdd: "增加", OpInclude: "列入", OpModify: "调整", OpRecategorize: "改为", OpRemove: "取消",
	OpDelegate: "下放", OpMerge: "合并", OpSplit: "分设",
}

// OpDescriptions say what each operation does, beside its choice in the operation dialog.
var OpDescriptions = map[string]string{
	OpAdd:          "增加一项新的权力事项",
	OpInclude:      "列入已有的权力事项（来自目录或其他部门清单），保留其编码",
	OpModify:       "调整事项的内容、依据等要素",
	OpRecategorize: "改为其他权力类型，并给出新的编码",
	OpRemove:       "取消事项，新版本中不再列出",
	OpDelegate:     "下放至下级（如乡镇、街道）行使，改变行使层级，备注写明下放至何处",
	OpMerge:        "将本清单的几个事项合并为一个新事项，原事项不再列出",
	OpSplit:        "将一个事项分设为几个新事项，原事项不再列出",
}

// OperationFieldLabels name an operation's own fields (the item's are FieldDefs).
var OperationFieldLabels = map[string]string{"reason": "修改理由", "basis": "调整依据", "source": "来源"}

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
