package basis

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"qingdan/models"
)

// NormTitle is the key under which a title is looked up in the registry:
// whitespace and quotation marks removed, brackets and full-width letters and
// digits folded to one form. Nothing else is dropped — a leading 中华人民共和国
// is part of the title (the registry lists such spellings as aliases), since
// a wrong match would be a false legal finding.
func NormTitle(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r), strings.ContainsRune("“”\"‘’'", r):
			return -1
		case r == '(':
			return '（'
		case r == ')':
			return '）'
		case strings.ContainsRune("<《‹〈", r):
			return '〈'
		case strings.ContainsRune(">》›〉", r):
			return '〉'
		case r == ',':
			return '，'
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ':
			return r - 0xFEE0
		}
		return r
	}, s)
}

// NormDocNumber folds a document number (文号) to one form: no whitespace,
// every bracket around the year written 〔〕, full-width digits half-width.
func NormDocNumber(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return -1
		case strings.ContainsRune("[［【(（", r):
			return '〔'
		case strings.ContainsRune("]］】)）", r):
			return '〕'
		case r >= '０' && r <= '９':
			return r - 0xFEE0
		}
		return r
	}, s)
}

// Edition kinds that make a text of an instrument; 施行 only dates it.
const (
	KindPassed    = "通过"
	KindPublished = "公布"
	KindInForce   = "施行"
	KindAmended   = "修正"
	KindRevised   = "修订"
)

// Edition is one text of an instrument: the original (通过/公布) or an
// amendment (修正/修订). Dates holds every date that names it.
type Edition struct {
	Date  string   `json:"date"`
	Kind  string   `json:"kind"`
	Dates []string `json:"-"`
}

// Label is how a list cites the edition: 2018年修正.
func (e Edition) Label() string {
	if len(e.Date) < 4 {
		return ""
	}
	kind := e.Kind
	if kind == KindPassed {
		kind = KindPublished
	}
	return e.Date[:4] + "年" + kind
}

// Editions groups an instrument's dated events into its texts, oldest first:
// the first 通过 or 公布 is the original (a later 公布 of it names the same
// text), every 修正 or 修订 a new text.
func Editions(events []models.InstrumentEdition) []Edition {
	evs := slices.Clone(events)
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].Date < evs[j].Date })
	var out []Edition
	for _, e := range evs {
		switch e.Kind {
		case KindAmended, KindRevised:
			out = append(out, Edition{Date: e.Date, Kind: e.Kind, Dates: []string{e.Date}})
		case KindPassed, KindPublished:
			if len(out) == 0 {
				out = append(out, Edition{Date: e.Date, Kind: e.Kind, Dates: []string{e.Date}})
			} else if last := &out[len(out)-1]; last.Kind == KindPassed || last.Kind == KindPublished {
				// The original, passed then published: dated by its publication.
				last.Dates = append(last.Dates, e.Date)
				if e.Kind == KindPublished {
					last.Date, last.Kind = e.Date, e.Kind
				}
			}
		}
	}
	return out
}

// CitedEdition is what an edition as written says: a date (year, perhaps
// month and day) and perhaps the kind of text.
type CitedEdition struct {
	Year, Month, Day int
	Kind             string // 修正, 修订, 公布 (发布, 颁布, 印发), 通过, 施行, or ""
}

var (
	// A document number's year in brackets is no edition date: 〔2012〕.
	docYearRE = regexp.MustCompile(`[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]`)
	dateRE    = regexp.MustCompile(`(\d{4})\s*年?(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?`)
	kindRE    = regexp.MustCompile(`修正|修订|公布|发布|颁布|印发|通过|施行`)
)

var kindSpellings = map[string]string{"发布": KindPublished, "颁布": KindPublished, "印发": KindPublished}

// ParseEdition reads the date and kind of an edition as written, e.g.
// "2018年修正", "2019 修订", "1999年国务院令 第259号",
// "2014年2月21日发布，根据2019年3月2日《…决定》修订". Each date takes the first
// kind written after it, before the next date; the edition is the last date
// that is a 修正 or 修订, else the first date. ok is false without a date.
func ParseEdition(s string) (CitedEdition, bool) {
	s = NormDocNumber(s)
	s = docYearRE.ReplaceAllString(s, "")
	locs := dateRE.FindAllStringSubmatchIndex(s, -1)
	var eds []CitedEdition
	for i, m := range locs {
		year, _ := strconv.Atoi(s[m[2]:m[3]])
		if year < 1949 || year > 2200 {
			continue
		}
		e := CitedEdition{Year: year}
		if m[4] >= 0 {
			e.Month, _ = strconv.Atoi(s[m[4]:m[5]])
		}
		if m[6] >= 0 {
			e.Day, _ = strconv.Atoi(s[m[6]:m[7]])
		}
		end := len(s)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		if k := kindRE.FindString(s[m[1]:end]); k != "" {
			e.Kind = k
			if c, ok := kindSpellings[k]; ok {
				e.Kind = c
			}
		}
		eds = append(eds, e)
	}
	if len(eds) == 0 {
		return CitedEdition{}, false
	}
	for i := len(eds) - 1; i >= 0; i-- {
		if eds[i].Kind == KindAmended || eds[i].Kind == KindRevised {
			return eds[i], true
		}
	}
	return eds[0], true
}

// date is the edition's date as YYYY-MM-DD, with 00 for what is not known.
func (c CitedEdition) date() string {
	return pad(c.Year, 4) + "-" + pad(c.Month, 2) + "-" + pad(c.Day, 2)
}

func pad(n, w int) string {
	s := strconv.Itoa(n)
	for len(s) < w {
		s = "0" + s
	}
	return s
}

// Match finds the edition of eds a cited edition means: the one with its
// exact date; else, for a year, the one of that year (of the cited kind when
// there are several); else, when no 修正/修订 is claimed, the text in force
// then — the latest before the date. ok is false when none fits, e.g. a
// 2014年修正 of an instrument amended only in 2013.
func (c CitedEdition) Match(eds []Edition) (Edition, bool) {
	if c.Day > 0 {
		d := c.date()
		for _, e := range eds {
			if slices.Contains(e.Dates, d) {
				return e, true
			}
		}
	}
	var sameYear []Edition
	for _, e := range eds {
		if slices.ContainsFunc(e.Dates, func(d string) bool { return strings.HasPrefix(d, pad(c.Year, 4)) }) {
			sameYear = append(sameYear, e)
		}
	}
	if len(sameYear) > 0 {
		for i := len(sameYear) - 1; i >= 0; i-- {
			if sameYear[i].Kind == c.Kind {
				return sameYear[i], true
			}
		}
		return sameYear[len(sameYear)-1], true
	}
	if c.Kind == KindAmended || c.Kind == KindRevised {
		return Edition{}, false
	}
	upTo := c.date()
	if c.Month == 0 {
		upTo = pad(c.Year, 4) + "-12-31"
	}
	var found *Edition
	for i := range eds {
		if eds[i].Date <= upTo {
			found = &eds[i]
		}
	}
	if found == nil {
		return Edition{}, false
	}
	return *found, true
}

// Resolution is the registry instrument a citation names, and how.
type Resolution struct {
	Instrument *models.Instrument // nil: resolves to nothing
	By         string             // ByTitle, ByAlias, ByDocNumber
	Edition    *Edition           // the cited edition, when one is written and found
}

// How a citation was resolved.
const (
	ByTitle     = "title"
	ByAlias     = "alias"
	ByDocNumber = "doc_number"
)

// Registry resolves citations against the instruments of the registry. It
// does not change once built, so it remembers what it resolved: lists cite
// the same few instruments over and over.
type Registry struct {
	mu       sync.Mutex
	resolved map[[2]string]Resolution
	byID     map[int64]*models.Instrument
	editions map[int64][]Edition
	byTitle  map[string]int64
	byAlias  map[string]int64
	docs     []docKey // longest first, so 第78号 does not match inside 第178号 first
}

type docKey struct {
	norm string
	id   int64
}

// NewRegistry indexes instruments by official title, alias and document number.
func NewRegistry(ins []models.Instrument) *Registry {
	r := &Registry{resolved: map[[2]string]Resolution{}, byID: map[int64]*models.Instrument{}, editions: map[int64][]Edition{},
		byTitle: map[string]int64{}, byAlias: map[string]int64{}}
	for i := range ins {
		in := &ins[i]
		r.byID[in.ID] = in
		r.editions[in.ID] = Editions(in.Editions)
		r.byTitle[NormTitle(in.Title)] = in.ID
		for _, a := range in.Aliases {
			if k := NormTitle(a); k != "" {
				if _, taken := r.byAlias[k]; !taken {
					r.byAlias[k] = in.ID
				}
			}
		}
		if d := NormDocNumber(in.DocNumber); d != "" {
			r.docs = append(r.docs, docKey{d, in.ID})
		}
	}
	sort.SliceStable(r.docs, func(i, j int) bool { return len(r.docs[i].norm) > len(r.docs[j].norm) })
	return r
}

// Instrument returns a registry instrument by id.
func (r *Registry) Instrument(id int64) (*models.Instrument, bool) {
	in, ok := r.byID[id]
	return in, ok
}

// Editions returns an instrument's texts, oldest first.
func (r *Registry) Editions(id int64) []Edition { return r.editions[id] }

// Current is an instrument's newest text.
func (r *Registry) Current(id int64) (Edition, bool) {
	eds := r.editions[id]
	if len(eds) == 0 {
		return Edition{}, false
	}
	return eds[len(eds)-1], true
}

// Resolve finds the instrument a citation names: by official title, then by
// alias, then by a document number written in its title or edition. A
// citation without a title, or whose title and number match nothing,
// resolves to nothing — never to a guess.
func (r *Registry) Resolve(c models.Citation) Resolution {
	if strings.TrimSpace(c.Title) == "" {
		return Resolution{}
	}
	key := [2]string{c.Title, c.Edition}
	r.mu.Lock()
	res, ok := r.resolved[key]
	r.mu.Unlock()
	if !ok {
		res = r.resolve(c)
		r.mu.Lock()
		if len(r.resolved) < maxResolved {
			r.resolved[key] = res
		}
		r.mu.Unlock()
	}
	return res
}

// maxResolved bounds what a registry remembers (a province cites some 10⁵
// distinct title–edition pairs at most).
const maxResolved = 200000

func (r *Registry) resolve(c models.Citation) Resolution {
	key := NormTitle(c.Title)
	var res Resolution
	if id, ok := r.byTitle[key]; ok {
		res = Resolution{Instrument: r.byID[id], By: ByTitle}
	} else if id, ok := r.byAlias[key]; ok {
		res = Resolution{Instrument: r.byID[id], By: ByAlias}
	} else {
		written := NormDocNumber(c.Title + c.Edition)
		for _, d := range r.docs {
			if strings.Contains(written, d.norm) {
				res = Resolution{Instrument: r.byID[d.id], By: ByDocNumber}
				break
			}
		}
	}
	if res.Instrument == nil {
		return res
	}
	if ce, ok := ParseEdition(c.Edition); ok {
		if e, ok := ce.Match(r.editions[res.Instrument.ID]); ok {
			res.Edition = &e
		}
	}
	return res
}
