// Package gen makes realistic synthetic data for measurements at scale: a
// province of counties (GB/T 2260-shaped codes), ~40 departments per county,
// and one power list per department with 50–300 items — real-looking names,
// codes whose type digits match the category, legal-basis citations in the
// 【level】《title》（edition）article form — each with a history of published
// versions. Everything follows from the seed: the same Config gives the same
// data, and a smaller province is a prefix of a larger one.
package gen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"qingdan/codes"
	"qingdan/models"
)

// Config sizes the synthetic province. Zero fields take the defaults of
// province scale: 100 counties × 40 departments × ~100 items.
type Config struct {
	Seed         uint64
	Province     string // two digits, the first of every region code; default "99"
	Counties     int
	Departments  int // per county, at most len(departments)
	MinItems     int
	MaxItems     int
	MeanItems    int
	MinVersions  int // published versions per list, the import included
	MaxVersions  int
	ChangeRatio  float64   // share of a list's items a later version touches
	Start        time.Time // publication of the first versions
	HistoryYears int       // later versions spread over this many years
}

// Defaults returns the config with zero fields set to province scale.
func (c Config) Defaults() Config {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	if c.Province == "" {
		c.Province = "99"
	}
	def(&c.Counties, 100)
	def(&c.Departments, 40)
	def(&c.MinItems, 50)
	def(&c.MaxItems, 300)
	def(&c.MeanItems, 100)
	def(&c.MinVersions, 2)
	def(&c.MaxVersions, 6)
	def(&c.HistoryYears, 5)
	if c.ChangeRatio == 0 {
		c.ChangeRatio = 0.03
	}
	if c.Start.IsZero() {
		c.Start = time.Date(2019, 3, 1, 9, 0, 0, 0, models.China)
	}
	return c
}

// Validate reports a config that cannot be generated.
func (c Config) Validate() error {
	switch {
	case len(c.Province) != 2 || strings.Trim(c.Province, "0123456789") != "" || c.Province == "00":
		return fmt.Errorf("province %q: want two digits, e.g. 99", c.Province)
	case c.Counties < 1 || c.Counties > 99*20:
		return fmt.Errorf("counties %d: want 1–1980", c.Counties)
	case c.Departments < 1 || c.Departments > len(departments):
		return fmt.Errorf("departments %d: want 1–%d", c.Departments, len(departments))
	case c.MinItems < 1 || c.MaxItems < c.MinItems || c.MaxItems > 999:
		return fmt.Errorf("items %d–%d: want 1 ≤ min ≤ max ≤ 999", c.MinItems, c.MaxItems)
	case c.MeanItems < c.MinItems || c.MeanItems > c.MaxItems:
		return fmt.Errorf("mean items %d outside %d–%d", c.MeanItems, c.MinItems, c.MaxItems)
	case c.MinVersions < 1 || c.MaxVersions < c.MinVersions:
		return fmt.Errorf("versions %d–%d: want 1 ≤ min ≤ max", c.MinVersions, c.MaxVersions)
	case c.ChangeRatio < 0 || c.ChangeRatio > 0.5:
		return fmt.Errorf("change ratio %g: want 0–0.5", c.ChangeRatio)
	}
	return nil
}

// countiesPerPrefecture groups counties the way a province does.
const countiesPerPrefecture = 10

// Regions returns the province, its prefectures and its counties, parents first.
func Regions(c Config) []models.Region {
	r := rand.New(rand.NewPCG(c.Seed, math.MaxUint64))
	used := map[string]bool{}
	name := func(suffix string) string {
		for {
			n := placeHeads[r.IntN(len(placeHeads))] + placeTails[r.IntN(len(placeTails))]
			if !used[n] {
				used[n] = true
				return n + suffix
			}
		}
	}
	province := models.Region{Code: c.Province + "0000", Name: name("省"), Level: "province"}
	out := []models.Region{province}
	for p := 0; p*countiesPerPrefecture < c.Counties; p++ {
		pref := models.Region{Code: fmt.Sprintf("%s%02d00", c.Province, p+1), Name: name("市"), ParentCode: &province.Code, Level: "prefecture"}
		out = append(out, pref)
		n := min(countiesPerPrefecture, c.Counties-p*countiesPerPrefecture)
		for j := range n {
			// GB/T 2260: districts of the city 02…20, counties 21…80, county-level cities 81…99.
			code, suffix := 21+j-2, "县"
			switch {
			case j < 2:
				code, suffix = 2+j, "区"
			case j == n-1 && n > 3:
				code, suffix = 81, "市"
			}
			out = append(out, models.Region{Code: fmt.Sprintf("%s%02d%02d", c.Province, p+1, code),
				Name: name(suffix), ParentCode: &pref.Code, Level: "county"})
		}
	}
	return out
}

// County is one generated county: its agencies (departments, then the 司法局
// and the 人民政府) and their lists, not yet stored.
type County = models.BulkCounty

// List is one department's list with every version and revision.
type List = models.BulkList

// Revision is one item revision of a generated list.
type Revision = models.BulkRevision

// GenerateCounty builds county i (0-based) of the province; counties only
// depend on the seed and their index.
func GenerateCounty(c Config, regions []models.Region, i int) County {
	var counties []models.Region
	for _, r := range regions {
		if r.Level == "county" {
			counties = append(counties, r)
		}
	}
	region := counties[i]
	r := rand.New(rand.NewPCG(c.Seed, uint64(i)))
	out := County{Region: region}
	provinceName := regions[0].Name
	for d := range c.Departments {
		dep := departments[d]
		out.Agencies = append(out.Agencies, models.Agency{Name: region.Name + dep.name, Kind: models.AgencyDepartment, RegionCode: region.Code})
		size := c.MaxItems // every county has one full-size list, so each scale has one to measure
		if d > 0 {
			size = itemCount(c, r)
		}
		g := listGen{c: c, r: r, dep: dep, county: region.Name, province: provinceName}
		out.Lists = append(out.Lists, g.list(d, out.Agencies[d].Name, size))
	}
	out.Agencies = append(out.Agencies,
		models.Agency{Name: region.Name + "司法局", Kind: models.AgencyJustice, RegionCode: region.Code},
		models.Agency{Name: region.Name + "人民政府", Kind: models.AgencyGovernment, RegionCode: region.Code})
	return out
}

// itemCount draws a list size from a right-skewed distribution over
// [MinItems, MaxItems] whose mean, with one full-size list per county, is MeanItems.
func itemCount(c Config, r *rand.Rand) int {
	span := float64(c.MaxItems - c.MinItems)
	mean := float64(c.MeanItems)
	if c.Departments > 1 {
		mean = (mean*float64(c.Departments) - float64(c.MaxItems)) / float64(c.Departments-1)
	}
	over := mean - float64(c.MinItems)
	if over <= 0 || span == 0 {
		return c.MinItems
	}
	k := max(span/over-1, 0) // E[u^k] = 1/(k+1)
	return c.MinItems + int(math.Round(span*math.Pow(r.Float64(), k)))
}

// listGen writes one list and its history.
type listGen struct {
	c        Config
	r        *rand.Rand
	dep      department
	county   string
	province string
	kind     string
	layout   *models.Layout // the kind's seed layout: the fields the list has columns for

	names   map[string]bool
	lastSeq map[string]int // per category, the numbering restarts
	lastNum map[string]int // per category, the main-item digits of codes
}

func (g *listGen) list(agency int, agencyName string, size int) List {
	g.kind = models.KindPower
	if g.r.IntN(10) < 3 {
		g.kind = models.KindDuty
	}
	g.layout, _ = models.SeedLayout(g.kind)
	g.names, g.lastSeq, g.lastNum = map[string]bool{}, map[string]int{}, map[string]int{}
	title := agencyName + "权力清单"
	if g.kind == models.KindDuty {
		title = agencyName + "权责清单"
	}
	l := List{Agency: agency, Title: title, Kind: g.kind}

	nVersions := g.c.MinVersions + g.r.IntN(g.c.MaxVersions-g.c.MinVersions+1)
	at := g.c.Start.AddDate(0, 0, g.r.IntN(90))
	gap := max(1, g.c.HistoryYears*365/nVersions)

	// Version 1: the imported list, items grouped by category as the
	// documents are, numbered from 1 in each category.
	cats := make([]string, size)
	for i := range cats {
		cats[i] = g.category()
	}
	slices.SortStableFunc(cats, func(a, b string) int {
		return slices.Index(codes.Categories, a) - slices.Index(codes.Categories, b)
	})
	open := map[int]int{} // item → index of its open revision
	year := at.Year()
	for i, cat := range cats {
		rev := Revision{Item: i, ItemRevision: models.ItemRevision{ValidFrom: 1, ValidTo: models.OpenEnd,
			Position: (i + 1) * models.PositionStep, Op: models.OpImport}}
		rev.SetFields(g.item(cat, year))
		open[i] = len(l.Revisions)
		l.Revisions = append(l.Revisions, rev)
		l.ItemSince = append(l.ItemSince, 1)
	}
	l.Items = size
	l.Versions = append(l.Versions, models.ListVersion{Number: 1, PublishedAt: at.UTC(), ItemCount: size})

	maxPos := size * models.PositionStep
	for n := 2; n <= nVersions; n++ {
		at = at.AddDate(0, 0, 1+g.r.IntN(2*gap))
		v := models.ListVersion{Number: n, PublishedAt: at.UTC()}
		live := make([]int, 0, len(open))
		for it := range open {
			live = append(live, it)
		}
		slices.Sort(live) // map order is random; the data must not be
		g.r.Shuffle(len(live), func(a, b int) { live[a], live[b] = live[b], live[a] })
		changes := max(1, int(float64(len(live))*g.c.ChangeRatio*g.r.Float64()*2))
		for k := range changes {
			op := g.op(len(live) - k)
			var rev Revision
			switch op {
			case models.OpAdd, models.OpInclude:
				cat := g.category()
				rev = Revision{Item: l.Items}
				l.Items++
				l.ItemSince = append(l.ItemSince, n)
				maxPos += models.PositionStep
				rev.Position = maxPos
				f := g.item(cat, at.Year())
				f.Note = map[string]string{models.OpAdd: "增加", models.OpInclude: "列入"}[op]
				rev.SetFields(f)
				if op == models.OpAdd {
					v.Added++
				} else {
					v.Included++
				}
			default:
				it := live[k]
				cur := &l.Revisions[open[it]]
				cur.ValidTo = n
				if op == models.OpRemove {
					delete(open, it)
					v.Removed++
					continue
				}
				rev = Revision{Item: it, ItemRevision: models.ItemRevision{Position: cur.Position}}
				f := cur.Fields()
				if op == models.OpModify {
					f = g.modify(f, at.Year())
					f.Note = "调整"
					v.Modified++
				} else {
					f = g.recategorize(f)
					if f.Code != cur.Code {
						rev.PrevCode = cur.Code
					}
					v.Recategorized++
				}
				rev.SetFields(f)
			}
			rev.ValidFrom, rev.ValidTo, rev.Op = n, models.OpenEnd, op
			open[rev.Item] = len(l.Revisions)
			l.Revisions = append(l.Revisions, rev)
		}
		v.ItemCount = len(open)
		l.Versions = append(l.Versions, v)
	}
	return l
}

// op draws what a later version does to an item. Removals balance
// additions, so a list keeps its size over a long history; it never loses
// its last items.
func (g *listGen) op(live int) string {
	x := g.r.IntN(100)
	switch {
	case x < 50 && live > 0:
		return models.OpModify
	case x < 60 && live > 0:
		return models.OpRecategorize
	case x < 80 && live > 10:
		return models.OpRemove
	case x < 90:
		return models.OpInclude
	}
	return models.OpAdd
}

func (g *listGen) category() string {
	total := 0
	for _, w := range categoryWeights {
		total += w
	}
	x := g.r.IntN(total)
	for i, w := range categoryWeights {
		if x < w {
			return codes.Categories[i]
		}
		x -= w
	}
	return codes.Categories[len(codes.Categories)-1]
}

func (g *listGen) pick(s []string) string { return s[g.r.IntN(len(s))] }

// item makes the fields of a new item of the category.
func (g *listGen) item(cat string, year int) models.ItemFields {
	ci := slices.Index(codes.Categories, cat)
	obj := g.pick(g.dep.objects)
	name := fmt.Sprintf(g.pick(nameTemplates[ci]), obj, g.dep.field, g.pick(violations))
	subitem := ""
	for k := 1; g.names[name+"\x00"+subitem]; k++ {
		// A second power with the same name is a sub-item (子项), as in the seeds.
		subitem = "涉及" + g.pick(g.dep.objects) + "的情形"
		if k > 3 {
			subitem = fmt.Sprintf("%s（%s）", subitem, articleNumber(k))
		}
	}
	g.names[name+"\x00"+subitem] = true
	g.lastSeq[cat]++
	f := models.ItemFields{Seq: g.lastSeq[cat], Name: name, Subitem: subitem, Category: cat}
	if g.kind == models.KindPower {
		f.Code = g.code(cat)
		f.Department = g.dep.field + "主管部门"
		f.Level = g.pick(levels)
	} else {
		f.Department = g.county + g.dep.name
		f.Level = g.pick(levels)
		f.Duty = fmt.Sprintf("负责全县%s工作的监督管理，依法对%s实施%s。", g.dep.field, obj, contentVerbs[ci])
		f.Responsibility = fmt.Sprintf("1.受理责任：依法受理或者立案。2.审查责任：对%s的有关材料进行审查。3.决定责任：依法作出决定。4.执行责任：依法执行并公开结果。", obj)
		f.ResponsibilityBasis = citationText(g.law(year, 1))
		f.Accountable = g.county + g.dep.name + "有关责任人员"
		f.Accountability = "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任：1.对符合条件的申请不予受理的；2.未严格审查造成不良后果的；3.在工作中玩忽职守、滥用职权的；4.其他违反法律法规规章规定的行为。"
	}
	f.Content = fmt.Sprintf("依法对%s进行%s。", obj, contentVerbs[ci])
	f.Citations = g.citations(obj, ci, year)
	f.Basis = citationText(f.Citations...)
	return g.fit(f)
}

// fit empties the fields the list's layout has no column for (a 权责清单
// has no 行使内容 or 基本编码): the workflow refuses such a field in a
// change request, and an export could not write it.
func (g *listGen) fit(f models.ItemFields) models.ItemFields {
	for _, name := range models.TextFields {
		if !g.layout.Has(name) {
			*f.Ptr(name) = ""
		}
	}
	return f
}

// code is TT (type) + DD (department catalogue) + MMM (main item) + 000.
func (g *listGen) code(cat string) string {
	t, _ := codes.TypeDigits(cat)
	g.lastNum[cat]++
	return fmt.Sprintf("%s%s%03d000", t, g.dep.catalogue, g.lastNum[cat]%1000)
}

// citations cites the department's law, often its regulation, sometimes a
// rule, local rule or normative document. Now and then the regulation is
// cited under the wrong level, as the seeds do: a finding for legal review.
func (g *listGen) citations(obj string, ci, year int) []models.Citation {
	cs := []models.Citation{g.law(year, ci)}
	if g.r.IntN(10) < 6 {
		level := "行政法规"
		if g.r.IntN(50) == 0 {
			level = "部门规章"
		}
		cs = append(cs, models.Citation{Level: level, Title: g.dep.regulation,
			Edition:  fmt.Sprintf("%d年国务院令第%d号", year-1-g.r.IntN(8), 100+g.r.IntN(700)),
			Articles: g.articles(obj, ci)})
	}
	// Penalties and coercive measures also cite the general laws the
	// registry (法规库) has, as real lists do: the instruments a law change
	// reaches across the whole province.
	if general, ok := generalLaws[codes.Categories[ci]]; ok && g.r.IntN(10) < 7 {
		cs = append(cs, models.Citation{Level: "法律", Title: general.title, Edition: general.editions[g.r.IntN(len(general.editions))],
			Articles: g.articles(obj, ci)})
	}
	if g.r.IntN(10) < 3 {
		y := year - g.r.IntN(5)
		switch g.r.IntN(3) {
		case 0:
			cs = append(cs, models.Citation{Level: "部门规章", Title: g.dep.field + "监督管理办法",
				Edition: fmt.Sprintf("%d年第%d号令", y, 1+g.r.IntN(60)), Articles: g.articles(obj, ci)})
		case 1:
			cs = append(cs, models.Citation{Level: "地方政府规章", Title: g.province + g.dep.field + "管理办法",
				Edition: fmt.Sprintf("%d年%s人民政府令第%d号", y, g.province, 1+g.r.IntN(150)), Articles: g.articles(obj, ci)})
		default:
			cs = append(cs, models.Citation{Level: "规范性文件", Title: "关于进一步规范" + g.dep.field + "工作的通知",
				Edition: fmt.Sprintf("%s政办发〔%d〕%d号", g.province[:len(g.province)-len("省")], y, 1+g.r.IntN(90)), Articles: g.articles(obj, ci)})
		}
	}
	return cs
}

// generalLaws are registry instruments cited by category, with the editions
// lists cite them by (some outdated, as in real lists).
var generalLaws = map[string]struct {
	title    string
	editions []string
}{
	"行政处罚": {"中华人民共和国行政处罚法", []string{"2021年修订", "2021年修订", "2017年修正"}},
	"行政强制": {"中华人民共和国行政强制法", []string{"2011年6月30日通过", ""}},
}

func (g *listGen) law(year, ci int) models.Citation {
	return models.Citation{Level: "法律", Title: g.dep.law, Edition: fmt.Sprintf("%d年修正", year-1-g.r.IntN(10)),
		Articles: g.articles(g.pick(g.dep.objects), ci)}
}

// articles are one to three articles, one paragraph each: cells about as
// long as the seeds' (~500 characters).
func (g *listGen) articles(obj string, ci int) string {
	n := 1 + g.r.IntN(3)
	first := 5 + g.r.IntN(150)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf("第%s条 %s%s的，由县级以上人民政府%s主管部门责令限期改正，给予警告；逾期不改正的，依法%s，并可以处%s万元以上%s万元以下的罚款；情节严重的，依法吊销有关许可证件，对直接负责的主管人员和其他直接责任人员依法给予处分。",
			articleNumber(first+i), obj, g.pick(violations), g.dep.field, contentVerbs[ci],
			articleNumber(1+g.r.IntN(3)), articleNumber(5+g.r.IntN(5)))
	}
	return strings.Join(parts, "\n")
}

// modify is a 调整: the law was amended, and the content (行使内容, or a
// 权责清单's 部门职责) says so.
func (g *listGen) modify(f models.ItemFields, year int) models.ItemFields {
	cs := slices.Clone(f.Citations)
	cs[0].Edition = fmt.Sprintf("%d年修正", year)
	f.Citations = cs
	f.Basis = citationText(cs...)
	text := &f.Content
	if !g.layout.Has(models.FieldContent) {
		text = &f.Duty
	}
	*text = strings.TrimSuffix(*text, "。") + "，并依法公开处理结果。"
	return f
}

// recategorize is a 改为: the power moves to another category and gets a
// code with that category's type digits.
func (g *listGen) recategorize(f models.ItemFields) models.ItemFields {
	before := f
	for f.Category == before.Category {
		f.Category = g.category()
	}
	g.lastSeq[f.Category]++
	f.Seq = g.lastSeq[f.Category]
	code := ""
	if before.Code != "" {
		f.Code = g.code(f.Category)
		code = "（" + before.Code + "）"
	}
	f.Note = fmt.Sprintf("由其他类别“%s”%s改为%s", before.Name, code, f.Category)
	return f
}

// citationText writes citations as the seed lists' cells do: each level and
// title a paragraph, each article a paragraph.
func citationText(cs ...models.Citation) string {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "<p>【%s】《%s》（%s）</p>", c.Level, c.Title, c.Edition)
		for _, a := range strings.Split(c.Articles, "\n") {
			fmt.Fprintf(&b, " <p>%s</p>", a)
		}
	}
	return b.String()
}
