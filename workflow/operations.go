package workflow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"qingdan/apperr"
	"qingdan/basis"
	"qingdan/codes"
	"qingdan/models"
)

// OpLabel is the Chinese name of an operation.
func OpLabel(op string) string {
	if l, ok := models.OpLabels[op]; ok {
		return l
	}
	return op
}

// OperationInput is an operation as a submitter enters it.
type OperationInput struct {
	Op     string
	ItemID *int64
	// Item is the item's fields as JSON. For modify and recategorize only the
	// fields given change; the others keep the base version's values.
	Item   json.RawMessage
	Reason string
	Basis  string // the legal ground for the change
	Source string // where an included power comes from
	// AfterItemID places an added, included, recategorised or merged item
	// in its category: nil at the end (a merged item: where its first source
	// was), 0 first, otherwise after that item.
	AfterItemID *int64
	Sources     []int64           // merge: the items merged (at least two)
	Parts       []json.RawMessage // split: the new items, each read over the split item's fields
	DelegateTo  string            // delegate: where to (下放至)
	// Supervision (取消, 下放) and TakeoverPlan (列入) are the materials a
	// request needs before it is submitted (missingMaterials).
	Supervision  string
	TakeoverPlan string
}

// listState is one version of a list, indexed for validation.
type listState struct {
	layout  *models.Layout // the list's columns: an item may fill only these
	version int
	arr     models.Arrangement
	items   []models.ItemRevision // in list order
	byID    map[int64]*models.ItemRevision
}

// loadListState reads one version of a list. Every caller reads a committed
// version (a request's base version or the list's current one, before any
// write), and a committed version never changes — a later publication only
// closes revisions at the next number — so its items are kept per service
// and read from the database once.
func (s *Service) loadListState(ctx context.Context, st *models.Store, listID int64, version int) (*listState, error) {
	items, err := s.versionItems(ctx, st, listID, version)
	if err != nil {
		return nil, err
	}
	list, err := st.List(ctx, listID)
	if err != nil {
		return nil, err
	}
	arr, err := st.Arrangement(ctx, listID)
	if err != nil {
		return nil, err
	}
	ls := &listState{layout: list.ColumnLayout(), version: version, arr: arr, items: slices.Clone(items),
		byID: make(map[int64]*models.ItemRevision, len(items))}
	for i := range ls.items {
		ls.byID[ls.items[i].ItemID] = &ls.items[i]
	}
	return ls, nil
}

// versionItems are the items of a version of a list, shared: callers copy
// before they change them.
func (s *Service) versionItems(ctx context.Context, st *models.Store, listID int64, version int) ([]models.ItemRevision, error) {
	key := versionKey{listID, version}
	if items, ok := s.versions.Get(key); ok {
		return items, nil
	}
	items, err := st.ItemsAt(ctx, listID, version, models.ItemFilter{})
	if err != nil {
		return nil, err
	}
	s.versions.Add(key, items)
	return items, nil
}

type versionKey struct {
	list    int64
	version int
}

// versionCacheSize bounds the kept versions: a few dozen lists in revision at once.
const versionCacheSize = 64

// fieldError is a validation error naming the field, in the message for the
// user and in the details for the UI to show it beside the field.
func fieldError(field, format string, args ...any) *apperr.Error {
	return apperr.New(apperr.Invalid, field+"："+format, args...).WithDetails(map[string]any{"field": field})
}

// buildOperation turns the input into an operation whose item is the item's
// complete state after the change (nothing for remove and split, whose
// parts are each complete). prev is the operation being edited, whose item
// the input's fields are read over; nil for a new operation. The item's note
// is the submitter's own 备注: empty, publication writes the operation's
// note (see note).
func buildOperation(in OperationInput, base *listState, prev *models.Operation) (models.Operation, error) {
	op := models.Operation{Op: in.Op, ItemID: in.ItemID, Reason: strings.TrimSpace(in.Reason),
		Basis: strings.TrimSpace(in.Basis), Source: strings.TrimSpace(in.Source), AfterItemID: in.AfterItemID,
		Sources: in.Sources, DelegateTo: strings.TrimSpace(in.DelegateTo),
		Supervision: strings.TrimSpace(in.Supervision), TakeoverPlan: strings.TrimSpace(in.TakeoverPlan)}
	if err := checkExtras(op, len(in.Parts)); err != nil {
		return op, err
	}
	switch in.Op {
	case models.OpAdd, models.OpInclude, models.OpMerge:
		if in.ItemID != nil {
			return op, fieldError("item_id", "%s的是新事项，不应指定 item_id", OpLabel(in.Op))
		}
		start := models.ItemFields{}
		if in.Op == models.OpMerge {
			first, err := mergeSources(in.Sources, base)
			if err != nil {
				return op, err
			}
			start = first // the merged item starts as its first source
		}
		if prev != nil {
			start = prev.Item
		}
		item, _, err := decodeItem(in.Item, start)
		if err != nil {
			return op, err
		}
		item.Citations = basis.Parse(item.Basis)
		op.Item = item
	case models.OpModify, models.OpRecategorize, models.OpDelegate:
		before, err := target(in, base)
		if err != nil {
			return op, err
		}
		start := before
		start.Note = ""
		if prev != nil {
			start = prev.Item
		}
		if op.Item, err = decodeOver(in.Item, start, before); err != nil {
			return op, err
		}
	case models.OpSplit:
		before, err := target(in, base)
		if err != nil {
			return op, err
		}
		if t := bytes.TrimSpace(in.Item); len(t) > 0 && !bytes.Equal(t, []byte("null")) && !bytes.Equal(t, []byte("{}")) {
			return op, fieldError("item", "分设的事项请填写在 parts 中（每个分设后的事项一项）")
		}
		op.Item = models.ItemFields{}
		if prev != nil && in.Parts == nil {
			op.Parts = prev.Parts
			break
		}
		if len(in.Parts) < 2 {
			return op, fieldError("parts", "分设须将事项分为至少两个事项")
		}
		if len(in.Parts) > maxParts {
			return op, fieldError("parts", "一个事项最多分设为 %d 个事项", maxParts)
		}
		for i, raw := range in.Parts {
			start := before
			start.Note = ""
			if prev != nil && i < len(prev.Parts) {
				start = prev.Parts[i]
			}
			part, err := decodeOver(raw, start, before)
			if err != nil {
				return op, prefixed(err, i)
			}
			op.Parts = append(op.Parts, part)
		}
	case models.OpRemove:
		if in.ItemID == nil {
			return op, fieldError("item_id", "请指定要取消的事项")
		}
		if t := bytes.TrimSpace(in.Item); len(t) > 0 && !bytes.Equal(t, []byte("null")) && !bytes.Equal(t, []byte("{}")) {
			return op, fieldError("item", "取消事项不需要填写事项内容")
		}
	default:
		return op, fieldError("op", "不支持的操作“%s”，可选：%s", in.Op, opChoices())
	}
	return op, nil
}

// maxParts bounds a split, as MaxOperations bounds a request.
const maxParts = 50

// opChoices lists the operation types for an error message.
func opChoices() string {
	var b []string
	for _, op := range models.Ops {
		b = append(b, op+"（"+OpLabel(op)+"）")
	}
	return strings.Join(b, "、")
}

// checkExtras refuses what an operation type does not take, so nothing a
// client sends is dropped silently.
func checkExtras(op models.Operation, parts int) error {
	switch {
	case len(op.Sources) > 0 && op.Op != models.OpMerge:
		return fieldError("sources", "只有合并需要选择被合并的事项（sources）")
	case parts > 0 && op.Op != models.OpSplit:
		return fieldError("parts", "只有分设需要填写分设后的事项（parts）")
	case op.DelegateTo != "" && op.Op != models.OpDelegate:
		return fieldError("delegate_to", "只有下放需要填写下放至何处")
	case op.Supervision != "" && !slices.Contains(materialsOf(op.Op), supervisionMaterial):
		return fieldError("supervision", "事中事后监管措施只用于取消和下放")
	case op.TakeoverPlan != "" && !slices.Contains(materialsOf(op.Op), takeoverPlanMaterial):
		return fieldError("takeover_plan", "承接方案只用于列入")
	}
	return nil
}

// target is the base state of the item an operation changes.
func target(in OperationInput, base *listState) (models.ItemFields, error) {
	if in.ItemID == nil {
		return models.ItemFields{}, fieldError("item_id", "请指定要%s的事项", OpLabel(in.Op))
	}
	cur, ok := base.byID[*in.ItemID]
	if !ok {
		return models.ItemFields{}, fieldError("item_id", "事项 %d 不在本清单第 %d 版中", *in.ItemID, base.version)
	}
	return cur.Fields(), nil
}

// mergeSources checks a merge's sources against the base version and
// returns the first one's fields, note left out.
func mergeSources(ids []int64, base *listState) (models.ItemFields, error) {
	if len(ids) < 2 {
		return models.ItemFields{}, fieldError("sources", "合并须选择至少两个事项")
	}
	if len(ids) > maxParts {
		return models.ItemFields{}, fieldError("sources", "一次最多合并 %d 个事项", maxParts)
	}
	for i, id := range ids {
		if _, ok := base.byID[id]; !ok {
			return models.ItemFields{}, fieldError("sources", "事项 %d 不在本清单第 %d 版中", id, base.version)
		}
		if slices.Contains(ids[:i], id) {
			return models.ItemFields{}, fieldError("sources", "事项“%s”重复选择", base.byID[id].Name)
		}
	}
	first := base.byID[ids[0]].Fields()
	first.Note = ""
	return first, nil
}

// decodeOver reads the item JSON over start, a state derived from the base
// item before.
func decodeOver(raw json.RawMessage, start, before models.ItemFields) (models.ItemFields, error) {
	item, _, err := decodeItem(raw, start)
	if err != nil {
		return item, err
	}
	// Citations follow the basis; any the client sent are ignored.
	item.Citations = before.Citations
	if item.Basis != before.Basis {
		item.Citations = basis.Parse(item.Basis)
	}
	return item, nil
}

// prefixed moves a field error of an item onto part i of a split.
func prefixed(err error, i int) error {
	e, ok := apperr.As(err)
	if !ok {
		return err
	}
	field := "item"
	if d, ok := e.Details.(map[string]any); ok {
		field, _ = d["field"].(string)
	}
	name := fmt.Sprintf("parts.%d%s", i, strings.TrimPrefix(field, "item"))
	return fieldError(name, "分设后的第 %d 个事项%s", i+1, strings.TrimPrefix(e.Message, field))
}

// fullWidthDigits turns the full-width digits an IME types (０１２…) into
// the ASCII digits a code is made of.
var fullWidthDigits = strings.NewReplacer("０", "0", "１", "1", "２", "2", "３", "3", "４", "4",
	"５", "5", "６", "6", "７", "7", "８", "8", "９", "9", "\u3000", " ")

// decodeItem reads the item JSON over start, so fields not given keep their
// values, and says which fields were given. Unknown fields are refused: a
// misspelt field must not be dropped silently.
func decodeItem(raw json.RawMessage, start models.ItemFields) (models.ItemFields, map[string]bool, error) {
	given := map[string]bool{}
	if t := bytes.TrimSpace(raw); len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return start, given, nil
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		return start, given, fieldError("item", "事项内容应为 JSON 对象")
	}
	for k := range keys {
		given[k] = true
	}
	if given[string(models.FieldSeq)] {
		return start, given, fieldError("item.seq", "序号随事项在清单中的位置而定，不能直接填写；要指定位置请用 after_item_id（排在哪个事项之后）")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	item := start
	item.Citations = slices.Clone(start.Citations) // decoding must not write into the caller's slice
	item.Extra = maps.Clone(start.Extra)           // nor into its map
	if err := dec.Decode(&item); err != nil && !errors.Is(err, io.EOF) {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return start, given, fieldError("item."+typeErr.Field, "类型不正确（应为%s）", typeErr.Type.String())
		}
		return start, given, fieldError("item", "事项内容无法识别：%v", err)
	}
	// Text typed with line breaks is stored as the cells' <p> paragraphs, like
	// imported text: exports keep one cell per field. The API sends paragraph
	// fields as text (basis.Readable), so a field sent back as it was shown
	// keeps its stored markup: it reads the same and is no change.
	for _, f := range models.TextFields {
		if given[string(f)] {
			*item.Ptr(f) = typed(f, item.Get(f), start.Get(f))
		}
	}
	if given[string(models.FieldExtra)] {
		for k, v := range item.Extra {
			item.Extra[k] = typed(models.Field(models.ExtraPrefix+k), strings.TrimSpace(v), start.Extra[k])
		}
	}
	item.Code = strings.TrimSpace(fullWidthDigits.Replace(item.Code))
	item.Name = strings.TrimSpace(item.Name)
	item.Subitem = strings.TrimSpace(item.Subitem)
	item.Category = strings.TrimSpace(item.Category)
	return item, given, nil
}

// typed is the stored value of field f typed as text over the stored value
// was: was itself if the two read the same, the text as <p> paragraphs if not.
func typed(f models.Field, text, was string) string {
	v := basis.Markup(text)
	if v != was && f.Paragraphs() && basis.Text(v) == basis.Text(was) {
		return was
	}
	return v
}

// checkBasis: a legal basis must cite at least one instrument by its 《title》.
func checkBasis(field, text string) error {
	for _, c := range basis.Parse(text) {
		if c.Title != "" {
			return nil
		}
	}
	return fieldError(field, "依据须至少引用一部法律、法规或文件，并以《名称》标明，例如：【法律】《中华人民共和国社会保险法》第八十七条")
}

// validate checks an operation against the list state it applies to and the
// request's other operations. Errors are field errors.
func validate(op models.Operation, others []models.Operation, st *listState) error {
	label := OpLabel(op.Op)
	for _, t := range []struct{ field, text string }{{"reason", op.Reason}, {"basis", op.Basis}, {"source", op.Source},
		{"delegate_to", op.DelegateTo}, {"supervision", op.Supervision}, {"takeover_plan", op.TakeoverPlan}} {
		if p := models.TextProblem(t.text, models.MaxReasonRunes); p != "" {
			return fieldError(t.field, "%s", p)
		}
	}
	if op.Reason == "" {
		return fieldError("reason", "请填写%s此事项的理由", label)
	}
	if op.Basis == "" {
		return fieldError("basis", "请填写%s此事项的法律依据", label)
	}
	if err := checkBasis("basis", op.Basis); err != nil {
		return err
	}
	if op.Op == models.OpInclude && op.Source == "" {
		return fieldError("source", "列入的事项须注明来源（如上级目录或原所属部门的清单）")
	}
	if op.Op == models.OpDelegate && op.DelegateTo == "" {
		return fieldError("delegate_to", "请填写下放至何处（如乡镇人民政府、街道办事处）")
	}
	for _, id := range touches(op) {
		cur, ok := st.byID[id]
		if !ok {
			return fieldError("item_id", "事项 %d 不在本清单第 %d 版中", id, st.version)
		}
		for _, o := range others {
			if o.ID != op.ID && slices.Contains(touches(o), id) {
				return fieldError("item_id", "事项“%s”已有本申请的另一项操作（操作%d，%s）", cur.Name, o.Number, OpLabel(o.Op))
			}
		}
	}
	var before *models.ItemFields
	if op.ItemID != nil {
		f := st.byID[*op.ItemID].Fields()
		before = &f
	}
	switch op.Op {
	case models.OpRemove:
		return nil
	case models.OpSplit:
		if op.AfterItemID != nil {
			return fieldError("after_item_id", "分设后的事项排在原事项的位置，不能另行指定")
		}
		if len(op.Parts) < 2 {
			return fieldError("parts", "分设须将事项分为至少两个事项")
		}
		seen := map[string]int{}
		for i, part := range op.Parts {
			if err := checkItem(op, part, nil, others, st); err != nil {
				return prefixed(err, i)
			}
			key := models.ItemTitle(part.Name, part.Subitem)
			if j, ok := seen[key]; ok {
				return fieldError(fmt.Sprintf("parts.%d.name", i), "分设后的第 %d 个事项与第 %d 个事项同名（%s）：请以名称或子项区分", i+1, j+1, key)
			}
			seen[key] = i
			for j, other := range op.Parts[:i] {
				if part.Code != "" && part.Code == other.Code {
					return fieldError(fmt.Sprintf("parts.%d.code", i), "分设后的第 %d 个事项与第 %d 个事项的基本编码相同（%s）", i+1, j+1, part.Code)
				}
			}
		}
		return nil
	}
	if err := checkItem(op, op.Item, before, others, st); err != nil {
		return err
	}
	return checkPlace(op, others, st)
}

// touches are the base items an operation changes or takes out.
func touches(op models.Operation) []int64 {
	out := slices.Clone(op.Sources)
	if op.ItemID != nil {
		out = append(out, *op.ItemID)
	}
	return out
}

// checkItem checks an item's state after an operation: item.
// before is its base state (nil for a new item).
func checkItem(op models.Operation, item models.ItemFields, before *models.ItemFields, others []models.Operation, st *listState) error {
	label := OpLabel(op.Op)
	changed := changedFields(before, item)
	if item.Note != "" {
		changed = append(changed, string(models.FieldNote))
	}
	if item.Name == "" {
		return fieldError("item.name", "事项名称不能为空")
	}
	if item.Category == "" {
		return fieldError("item.category", "权力类型不能为空")
	}
	if err := checkLayout(changed, item, st.layout); err != nil {
		return err
	}
	if field, p := models.ItemTextProblem(item); p != "" {
		return fieldError("item."+string(field), "%s", p)
	}
	category, known := codes.Default.Canonical(item.Category)
	if slices.Contains(changed, "category") && !known {
		return fieldError("item.category", "未知的权力类型“%s”，可选：%s", item.Category, strings.Join(codes.Categories, "、"))
	}
	switch op.Op {
	case models.OpAdd, models.OpInclude, models.OpMerge, models.OpSplit:
		// A new power stands on a legal basis: the item's own 职权依据 (the
		// operation's 调整依据 says why the list changes, not what the power rests on).
		if item.Basis == "" {
			return fieldError("item.basis", "%s的事项须填写职权依据，至少引用一部法律、法规或文件", label)
		}
	case models.OpModify, models.OpDelegate:
		if op.Op == models.OpModify && len(changed) == 0 {
			return fieldError("item", "调整没有改变任何字段")
		}
		if old, _ := codes.Default.Canonical(before.Category); old != category {
			return fieldError("item.category", "改变权力类型请用“改为”（recategorize）操作")
		}
		// A 下放 changes the level the power is exercised at, where the list has that column.
		if op.Op == models.OpDelegate && st.layout.Has(models.FieldLevel) && item.Level == before.Level {
			return fieldError("item.level", "下放须改变%s（原为“%s”）", st.layout.Header(models.FieldLevel), before.Level)
		}
	case models.OpRecategorize:
		if old, _ := codes.Default.Canonical(before.Category); old == category {
			return fieldError("item.category", "改为的权力类型须与原类型“%s”不同", before.Category)
		}
		if before.Code != "" && (item.Code == "" || item.Code == before.Code) {
			return fieldError("item.code", "改为其他类别须给出新的基本编码（原编码 %s）", before.Code)
		}
	}
	if slices.Contains(changed, "code") || slices.Contains(changed, "category") {
		if err := codes.Default.Check(item.Code, item.Category); err != nil {
			return fieldError("item.code", "%v", err)
		}
	}
	if slices.Contains(changed, "basis") && item.Basis != "" {
		if err := checkBasis("item.basis", item.Basis); err != nil {
			return err
		}
	}
	if slices.Contains(changed, "code") && item.Code != "" {
		if holder, ok := codeHolders(others, op, st)[item.Code]; ok {
			return fieldError("item.code", "基本编码 %s 已被%s使用", item.Code, holder)
		}
	}
	return nil
}

// missingMaterials names what each operation still lacks to be submitted
// (materialsOf): the 事中事后监管措施 of a 取消 or 下放, the 承接方案 of a 列入.
func missingMaterials(ops []models.Operation, st *listState) []Problem {
	var out []Problem
	for _, op := range ops {
		for _, m := range materialsOf(op.Op) {
			if materialText(op, m.Field) != "" {
				continue
			}
			name := op.Item.Name
			if op.ItemID != nil {
				if r, ok := st.byID[*op.ItemID]; ok {
					name = r.Name
				}
			}
			out = append(out, Problem{OperationID: op.ID, Number: op.Number, Op: op.Op, Field: m.Field,
				Message: fmt.Sprintf("操作%d（%s“%s”）缺少%s", op.Number, OpLabel(op.Op), name, m.Name)})
		}
	}
	return out
}

func materialText(op models.Operation, field string) string {
	if field == supervisionMaterial.Field {
		return op.Supervision
	}
	return op.TakeoverPlan
}

// checkPlace: an item placed after another goes after an item of its own
// category that stays there; only items that enter a category are placed.
func checkPlace(op models.Operation, others []models.Operation, st *listState) error {
	if op.AfterItemID == nil {
		return nil
	}
	if !entersCategory(op.Op) {
		return fieldError("after_item_id", "%s不改变事项的位置；只有增加、列入、改为、合并可以指定位置", OpLabel(op.Op))
	}
	if *op.AfterItemID == 0 {
		return nil
	}
	anchor, ok := st.byID[*op.AfterItemID]
	if !ok {
		return fieldError("after_item_id", "要排在其后的事项（%d）不在本清单第 %d 版中", *op.AfterItemID, st.version)
	}
	if !models.SameCategory(anchor.Category, op.Item.Category) {
		return fieldError("after_item_id", "要排在其后的事项“%s”属于%s，不在%s中", anchor.Name, anchor.Category, op.Item.Category)
	}
	for _, o := range others {
		if o.ID != op.ID && slices.Contains(touches(o), anchor.ItemID) && o.Op != models.OpModify && o.Op != models.OpDelegate {
			return fieldError("after_item_id", "要排在其后的事项“%s”已由本申请%s，请另选位置", anchor.Name, OpLabel(o.Op))
		}
	}
	return nil
}

// checkLayout refuses a changed field the list's layout has no column for:
// it would be published and then lost by every export (a 基本编码 on a
// 权责清单 without a code column).
func checkLayout(changed []string, item models.ItemFields, l *models.Layout) error {
	for _, name := range changed {
		f := models.Field(name)
		if item.Get(f) == "" || f == models.FieldSeq || f == models.FieldExtra || l.Has(f) {
			continue
		}
		return fieldError("item."+name, "本清单没有“%s”一列，不能填写（清单的列：%s）", l.Header(f), strings.Join(l.Headers(), "、"))
	}
	if slices.Contains(changed, string(models.FieldExtra)) {
		extras := l.Extras()
		for k, v := range item.Extra {
			if v != "" && !slices.Contains(extras, k) {
				return fieldError("item.extra", "本清单没有“%s”一列，不能填写（清单的列：%s）", k, strings.Join(l.Headers(), "、"))
			}
		}
	}
	return nil
}

// codeHolders maps each code of the resulting list, apart from op's own item,
// to who holds it: the base items no operation touches, and the other
// operations' new states.
func codeHolders(others []models.Operation, op models.Operation, st *listState) map[string]string {
	touched := map[int64]bool{}
	for _, id := range touches(op) {
		touched[id] = true
	}
	out := map[string]string{}
	for _, o := range others {
		if o.ID == op.ID {
			continue
		}
		for _, id := range touches(o) {
			touched[id] = true
		}
		for _, it := range append([]models.ItemFields{o.Item}, o.Parts...) {
			if it.Code != "" {
				out[it.Code] = fmt.Sprintf("本申请的另一项操作（操作%d，%s“%s”）", o.Number, OpLabel(o.Op), it.Name)
			}
		}
	}
	for _, r := range st.items {
		if !touched[r.ItemID] && r.Code != "" {
			out[r.Code] = fmt.Sprintf("事项“%s”", r.Name)
		}
	}
	return out
}

// Problem is an operation that no longer fits the list it would apply to.
type Problem struct {
	OperationID int64  `json:"operation_id"`
	Number      int    `json:"number"` // the operation's number within its request
	Op          string `json:"op" ts:"OpType"`
	Field       string `json:"field,omitempty"`
	Message     string `json:"message"`
}

// validateAll checks every operation of a request against a list state.
func validateAll(ops []models.Operation, st *listState) []Problem {
	var out []Problem
	for _, op := range ops {
		err := validate(op, ops, st)
		if err == nil {
			continue
		}
		p := Problem{OperationID: op.ID, Number: op.Number, Op: op.Op, Message: fmt.Sprintf("操作%d：%s", op.Number, err.Error())}
		if e, ok := apperr.As(err); ok {
			if d, ok := e.Details.(map[string]any); ok {
				p.Field, _ = d["field"].(string)
			}
		}
		out = append(out, p)
	}
	return out
}
