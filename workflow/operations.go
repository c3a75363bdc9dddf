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

var opLabels = map[string]string{
	models.OpAdd: "增加", models.OpInclude: "列入", models.OpModify: "调整",
	models.OpRecategorize: "改为", models.OpRemove: "取消",
}

// OpLabel is the Chinese name of an operation.
func OpLabel(op string) string {
	if l, ok := opLabels[op]; ok {
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
	// AfterItemID places an added, included or recategorised item in its
	// category: nil at the end, 0 first, otherwise after that item.
	AfterItemID *int64
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
// complete state after the change (nothing for remove). prev is the
// operation being edited, whose item the input's fields are read over; nil
// for a new operation. The item's note is the submitter's own 备注: empty,
// publication writes the operation's note (see note).
func buildOperation(in OperationInput, base *listState, prev *models.Operation) (models.Operation, error) {
	op := models.Operation{Op: in.Op, ItemID: in.ItemID, Reason: strings.TrimSpace(in.Reason),
		Basis: strings.TrimSpace(in.Basis), Source: strings.TrimSpace(in.Source), AfterItemID: in.AfterItemID}
	switch in.Op {
	case models.OpAdd, models.OpInclude:
		if in.ItemID != nil {
			return op, fieldError("item_id", "%s的是新事项，不应指定 item_id", OpLabel(in.Op))
		}
		start := models.ItemFields{}
		if prev != nil {
			start = prev.Item
		}
		item, _, err := decodeItem(in.Item, start)
		if err != nil {
			return op, err
		}
		item.Citations = basis.Parse(item.Basis)
		op.Item = item
	case models.OpModify, models.OpRecategorize:
		if in.ItemID == nil {
			return op, fieldError("item_id", "请指定要%s的事项", OpLabel(in.Op))
		}
		cur, ok := base.byID[*in.ItemID]
		if !ok {
			return op, fieldError("item_id", "事项 %d 不在本清单第 %d 版中", *in.ItemID, base.version)
		}
		before := cur.Fields()
		start := before
		start.Note = ""
		if prev != nil {
			start = prev.Item
		}
		item, _, err := decodeItem(in.Item, start)
		if err != nil {
			return op, err
		}
		// Citations follow the basis; any the client sent are ignored.
		item.Citations = before.Citations
		if item.Basis != before.Basis {
			item.Citations = basis.Parse(item.Basis)
		}
		op.Item = item
	case models.OpRemove:
		if in.ItemID == nil {
			return op, fieldError("item_id", "请指定要取消的事项")
		}
		if t := bytes.TrimSpace(in.Item); len(t) > 0 && !bytes.Equal(t, []byte("null")) && !bytes.Equal(t, []byte("{}")) {
			return op, fieldError("item", "取消事项不需要填写事项内容")
		}
	default:
		return op, fieldError("op", "不支持的操作“%s”，可选：add（增加）、include（列入）、modify（调整）、recategorize（改为）、remove（取消）", in.Op)
	}
	return op, nil
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
	// imported text: exports keep one cell per field, diffs compare like with like.
	for _, f := range models.TextFields {
		if given[string(f)] {
			*item.Ptr(f) = basis.Markup(item.Get(f))
		}
	}
	if given[string(models.FieldExtra)] {
		for k, v := range item.Extra {
			item.Extra[k] = basis.Markup(strings.TrimSpace(v))
		}
	}
	item.Code = strings.TrimSpace(fullWidthDigits.Replace(item.Code))
	item.Name = strings.TrimSpace(item.Name)
	item.Subitem = strings.TrimSpace(item.Subitem)
	item.Category = strings.TrimSpace(item.Category)
	return item, given, nil
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
	for _, t := range []struct{ field, text string }{{"reason", op.Reason}, {"basis", op.Basis}, {"source", op.Source}} {
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
	var before *models.ItemFields
	if op.ItemID != nil {
		cur, ok := st.byID[*op.ItemID]
		if !ok {
			return fieldError("item_id", "事项 %d 不在本清单第 %d 版中", *op.ItemID, st.version)
		}
		f := cur.Fields()
		before = &f
		for _, o := range others {
			if o.ID != op.ID && o.ItemID != nil && *o.ItemID == *op.ItemID {
				return fieldError("item_id", "事项“%s”已有本申请的另一项操作（操作%d，%s）", f.Name, o.Number, OpLabel(o.Op))
			}
		}
	}
	if op.Op == models.OpRemove {
		return nil
	}
	item := op.Item
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
	case models.OpAdd, models.OpInclude:
		// A new power stands on a legal basis: the item's own 职权依据 (the
		// operation's 调整依据 says why the list changes, not what the power rests on).
		if item.Basis == "" {
			return fieldError("item.basis", "%s的事项须填写职权依据，至少引用一部法律、法规或文件", label)
		}
	case models.OpModify:
		if len(changed) == 0 {
			return fieldError("item", "调整没有改变任何字段")
		}
		if old, _ := codes.Default.Canonical(before.Category); old != category {
			return fieldError("item.category", "改变权力类型请用“改为”（recategorize）操作")
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
	return checkPlace(op, others, st)
}

// checkPlace: an item placed after another goes after an item of its own
// category that stays there; only items that enter a category are placed.
func checkPlace(op models.Operation, others []models.Operation, st *listState) error {
	if op.AfterItemID == nil {
		return nil
	}
	if op.Op == models.OpModify {
		return fieldError("after_item_id", "调整不改变事项的位置；只有增加、列入、改为可以指定位置")
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
		if o.ID != op.ID && o.ItemID != nil && *o.ItemID == anchor.ItemID && (o.Op == models.OpRemove || o.Op == models.OpRecategorize) {
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
	if op.ItemID != nil {
		touched[*op.ItemID] = true
	}
	out := map[string]string{}
	for _, o := range others {
		if o.ID == op.ID {
			continue
		}
		if o.ItemID != nil {
			touched[*o.ItemID] = true
		}
		if o.Op != models.OpRemove && o.Item.Code != "" {
			out[o.Item.Code] = fmt.Sprintf("本申请的另一项操作（操作%d，%s“%s”）", o.Number, OpLabel(o.Op), o.Item.Name)
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
	Op          string `json:"op"`
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
