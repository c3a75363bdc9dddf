package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"qingdan/codes"
	"qingdan/models"
	"qingdan/workflow"
)

// metaJSON is what the UI needs to know of the domain, defined once on the
// server: the item fields with their limits, the seed layouts, the power
// types and their code digits, and the labels.
type metaJSON struct {
	Fields        []models.FieldDef         `json:"fields"`
	MaxExtraRunes int                       `json:"max_extra_runes"` // an extra column's value
	Layouts       map[string]*models.Layout `json:"layouts"`
	Categories    []string                  `json:"categories"`
	CodeRule      codes.Rule                `json:"code_rule"` // for the hint beside the 基本编码; the server checks
	ListKinds     map[string]string         `json:"list_kinds"`
	AgencyKinds   map[string]string         `json:"agency_kinds"`
	CitationField map[string]string         `json:"citation_fields"` // where a finding's citation stands
	Roles         map[string]string         `json:"roles"`
	Operations    map[string]string         `json:"operations"`
	States        map[string]string         `json:"states"`
	Events        map[string]string         `json:"events"`
	Reviews       map[string]string         `json:"reviews"` // the reviews of a process (流程设置)
	Tracks        map[string]string         `json:"tracks"`  // whether a request goes to 审定
	Marks         map[string]string         `json:"marks"`   // an operation against the last return
	// OperationFields name an operation's reason, basis and source.
	OperationFields map[string]string `json:"operation_fields"`
	// Actions are the request page's buttons in order, with their
	// confirmations and whether they need an opinion.
	Actions []workflow.Action `json:"actions"`
	// OpTypes are the operation types in the order the dialog offers them,
	// each with the materials a request needs before it is submitted.
	OpTypes []workflow.OpType `json:"op_types"`
	// ChangeKinds name the kinds of change a comparison shows.
	ChangeKinds map[string]string `json:"change_kinds"`
}

func buildMeta() metaJSON {
	labels := workflow.Labels()
	m := metaJSON{
		Fields: models.FieldDefs, MaxExtraRunes: models.MaxExtraRunes, Layouts: map[string]*models.Layout{},
		Categories: codes.Categories, CodeRule: codes.Default,
		ListKinds: models.KindLabels, AgencyKinds: models.AgencyKindLabels, CitationField: models.LinkFieldLabels, Roles: models.RoleLabels,
		Operations: labels["operations"], States: labels["states"], Events: labels["events"],
		Reviews: labels["reviews"], Tracks: labels["tracks"], Marks: labels["marks"],
		OperationFields: models.OperationFieldLabels, Actions: workflow.Actions(), OpTypes: workflow.OpTypes(), ChangeKinds: models.ItemChangeLabels,
	}
	for _, l := range models.SeedLayouts {
		m.Layouts[l.Kind] = l
	}
	return m
}

// meta serves the domain's fields and labels; public, like the lists.
func (s *Server) meta(c *gin.Context) {
	c.JSON(http.StatusOK, buildMeta())
}
