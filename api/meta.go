package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"qingdan/codes"
	"qingdan/models"
	"qingdan/workflow"
)

// metaJSON is what the UI needs to know of the domain, defined once on the
// server: the item fields, the seed layouts, the power types and the labels.
type metaJSON struct {
	Fields     []models.FieldDef         `json:"fields"`
	Layouts    map[string]*models.Layout `json:"layouts"`
	Categories []string                  `json:"categories"`
	ListKinds  map[string]string         `json:"list_kinds"`
	Roles      map[string]string         `json:"roles"`
	Operations map[string]string         `json:"operations"`
	States     map[string]string         `json:"states"`
	Events     map[string]string         `json:"events"`
	// OpTypes are the operation types in the order the dialog offers them,
	// each with the materials a request needs before it is submitted.
	OpTypes []workflow.OpType `json:"op_types"`
	// ChangeKinds name the kinds of change a comparison shows.
	ChangeKinds map[string]string `json:"change_kinds"`
}

func buildMeta() metaJSON {
	labels := workflow.Labels()
	m := metaJSON{
		Fields: models.FieldDefs, Layouts: map[string]*models.Layout{}, Categories: codes.Categories,
		ListKinds: models.KindLabels, Roles: models.RoleLabels,
		Operations: labels["operations"], States: labels["states"], Events: labels["events"],
		OpTypes: workflow.OpTypes(), ChangeKinds: models.ItemChangeLabels,
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
