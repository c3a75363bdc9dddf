package importer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"qingdan/basis"
	"qingdan/codes"
	"qingdan/models"
)

// check reports findings about the content of well-formed rows. It changes
// no item: a wrong code or level is for a person to decide.
func (p *parser) check(items []models.ItemFields) {
	p.checkCategoriesAndCodes(items)
	p.checkSeq(items)
	p.checkCitations(items)
}

func (p *parser) checkCategoriesAndCodes(items []models.ItemFields) {
	unknown := map[string]bool{}
	for i, it := range items {
		if _, ok := p.rule.Canonical(it.Category); !ok && !unknown[it.Category] {
			unknown[it.Category] = true
			p.anomaly(p.lines[i], KindUnknownCategory, i, fmt.Sprintf(
				"权力类型“%s”不是编码规则中的十类权力之一（%s），已照原样保留", it.Category, strings.Join(codes.Categories, "、")))
		}
		err := p.rule.Check(it.Code, it.Category)
		var fe *codes.FormatError
		var me *codes.CategoryMismatchError
		switch {
		case errors.As(err, &fe):
			p.anomaly(p.lines[i], KindCodeFormat, i, err.Error()+"，已照原样保留")
		case errors.As(err, &me):
			p.anomaly(p.lines[i], KindCodeCategoryMismatch, i, err.Error()+"，已照原样保留，请核实编码或类别")
		}
	}
}

// checkSeq: 序号 counts from 1 in each table: per category in the power
// layout (Hongsibu restarts it under every heading), over the whole duty list.
func (p *parser) checkSeq(items []models.ItemFields) {
	want := 1
	for i, it := range items {
		if i > 0 && p.layout.CategoryHeadings && it.Category != items[i-1].Category {
			want = 1
		}
		if it.Seq != want {
			p.anomaly(p.lines[i], KindSeqIrregular, i, fmt.Sprintf("序号为%d，按顺序应为%d，已照原样保留", it.Seq, want))
		}
		want = it.Seq + 1
	}
}

func (p *parser) checkCitations(items []models.ItemFields) {
	var uses []basis.Use
	for i, it := range items {
		w := basis.Where{Line: p.lines[i], Category: it.Category, Seq: it.Seq, Item: it.Name, Ref: strconv.Itoa(i)}
		w.Field = string(models.FieldBasis)
		uses = append(uses, basis.Uses(it.Citations, w)...)
		if it.ResponsibilityBasis != "" {
			w.Field = string(models.FieldResponsibilityBasis)
			uses = append(uses, basis.Uses(basis.Parse(it.ResponsibilityBasis), w)...)
		}
		p.checkCitationShape(i, it)
	}
	for _, c := range basis.LevelConflicts(uses) {
		// Attach the finding to the first use that disagrees with the first level.
		at := c.Uses[0]
		for _, u := range c.Uses {
			if basis.CanonicalLevel(u.Citation.Level) != c.Levels[0] {
				at = u
				break
			}
		}
		idx, _ := strconv.Atoi(at.Where.Ref)
		p.anomaly(at.Where.Line, KindCitationLevelConflict, idx, conflictMessage(c))
	}
}

// checkCitationShape reports citations Parse had to guess at.
func (p *parser) checkCitationShape(i int, it models.ItemFields) {
	text := basis.Text(it.Basis)
	for _, c := range it.Citations {
		switch {
		case c.Level == "":
			p.anomaly(p.lines[i], KindCitationWithoutLevel, i, fmt.Sprintf(
				"%s中有一段文字不在任何【层级】之下：“%s”，已作为无层级的引用保留", p.layout.Header(models.FieldBasis), clipStart(c.Title+c.Articles, 20)))
		case c.Title != "" && !strings.Contains(text, "《"+c.Title):
			msg := fmt.Sprintf("%s中【%s】后的标题没有书名号《》，已读作《%s》", p.layout.Header(models.FieldBasis), c.Level, c.Title)
			if c.Edition != "" {
				msg += fmt.Sprintf("（%s）", c.Edition)
			}
			p.anomaly(p.lines[i], KindCitationTitleUnmarked, i, msg+"，请核实")
		}
	}
}

func conflictMessage(c basis.Conflict) string {
	var b strings.Builder
	b.WriteString(c.Summary())
	b.WriteString("。")
	for k, lv := range c.Levels {
		if k > 0 {
			b.WriteString("；")
		}
		b.WriteString(lv + "：")
		n := 0
		for _, u := range c.Uses {
			if basis.CanonicalLevel(u.Citation.Level) != lv {
				continue
			}
			if n > 0 {
				b.WriteString("、")
			}
			n++
			w := u.Where
			fmt.Fprintf(&b, "%s第%d项“%s”（第%d行", w.Category, w.Seq, clipStart(w.Item, 12), w.Line)
			if w.Field == string(models.FieldResponsibilityBasis) {
				b.WriteString("，责任事项依据")
			}
			if s := strings.TrimSpace(u.Citation.Level); s != lv {
				b.WriteString("，写作“" + s + "”")
			}
			b.WriteString("）")
		}
	}
	b.WriteString("。已照原样保留，请法制审核确认其效力层级")
	return b.String()
}
