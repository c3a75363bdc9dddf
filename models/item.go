package models

// Citation is one structured reference of a legal basis:
// 【level】《title》（edition）articles.
type Citation struct {
	Level    string `json:"level"`
	Title    string `json:"title"`
	Edition  string `json:"edition"`
	Articles string `json:"articles"`
}

// ItemFields are the fields both list layouts share (DESIGN.md §1 "An item").
// A layout without a column leaves its field empty.
type ItemFields struct {
	Seq                 int        `json:"seq"`
	Code                string     `json:"code"`
	Name                string     `json:"name"`
	Subitem             string     `json:"subitem"`
	Category            string     `json:"category"`
	Department          string     `json:"department"`
	Basis               string     `json:"basis"`
	Citations           []Citation `json:"citations"`
	Level               string     `json:"level"`
	Content             string     `json:"content"`
	Duty                string     `json:"duty"`
	Responsibility      string     `json:"responsibility"`
	ResponsibilityBasis string     `json:"responsibility_basis"`
	Accountable         string     `json:"accountable"`
	Accountability      string     `json:"accountability"`
	Note                string     `json:"note"`
}
