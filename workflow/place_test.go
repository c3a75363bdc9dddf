package workflow

import (
	"maps"
	"slices"
	"testing"

	"qingdan/apperr"
	"qingdan/models"
)

// TestPlacementsAndNumbers: items entering a category go where their
// operations put them — several after the same item in operation order —
// and the next version is numbered 1…n in each category.
func TestPlacementsAndNumbers(t *testing.T) {
	const step = models.PositionStep
	items := []models.ItemRevision{
		{ItemID: 1, Category: "行政处罚", Position: 1 * step, Name: "甲"},
		{ItemID: 2, Category: "行政处罚", Position: 2 * step, Name: "乙"},
		{ItemID: 3, Category: "行政检查", Position: 3 * step, Name: "丙"},
		{ItemID: 4, Category: "其他类", Position: 4 * step, Name: "丁"},
	}
	arr := models.Arrangement{Categories: []string{"行政处罚", "行政检查", "其他"}, SeqScope: models.SeqPerCategory}
	st := &listState{version: 1, arr: arr, items: items, byID: map[int64]*models.ItemRevision{}}
	for i := range st.items {
		st.byID[st.items[i].ItemID] = &st.items[i]
	}
	add := func(name, category string, after *int64) models.Operation {
		return models.Operation{Op: models.OpAdd, AfterItemID: after, Item: models.ItemFields{Name: name, Category: category}}
	}
	one, zero := int64(1), int64(0)
	ops := []models.Operation{
		add("甲后一", "行政处罚", &one),
		add("末尾", "行政处罚", nil),
		add("甲后二", "行政处罚", &one),
		add("处罚之首", "行政处罚", &zero),
		{Op: models.OpRecategorize, ItemID: ptr(int64(4)), Item: models.ItemFields{Name: "丁", Category: "行政检查"}},
		{Op: models.OpRemove, ItemID: ptr(int64(2))},
	}
	changes, _, err := revisionChanges(ops, st)
	if err != nil {
		t.Fatal(err)
	}
	next := slices.Clone(items[:1]) // 甲 and 丙 stay as they are
	next = append(next, items[2])
	for i, ch := range changes {
		if ch.Fields == nil {
			continue
		}
		pos := ch.Position
		if pos == 0 {
			pos = st.byID[ch.ItemID].Position
		}
		next = append(next, models.ItemRevision{ItemID: -int64(i + 1), Category: ch.Fields.Category, Position: pos, Name: ch.Fields.Name})
	}
	st.arr.Arrange(next)
	var got []string
	for _, r := range next {
		got = append(got, r.Category+"/"+r.Name)
	}
	want := []string{"行政处罚/处罚之首", "行政处罚/甲", "行政处罚/甲后一", "行政处罚/甲后二", "行政处罚/末尾", "行政检查/丙", "行政检查/丁"}
	if !slices.Equal(got, want) {
		t.Errorf("next version\n got %v\nwant %v", got, want)
	}
	seqs := map[string]int{}
	for _, ch := range changes {
		if ch.Fields != nil {
			seqs[ch.Fields.Name] = ch.Fields.Seq
		}
	}
	if w := map[string]int{"处罚之首": 1, "甲后一": 3, "甲后二": 4, "末尾": 5, "丁": 2}; !maps.Equal(seqs, w) {
		t.Errorf("序号 %v, want %v", seqs, w)
	}

	// A gap used up is refused, not overlapped.
	items[1].Position = items[0].Position + 1
	if _, _, err := revisionChanges(ops[:1], st); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("no room after 甲: %v", err)
	}
}
