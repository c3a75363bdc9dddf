package workflow

import (
	"maps"

	"qingdan/models"
)

// Labels are the Chinese names of the operations, states, events, reviews,
// tracks and marks since a return, for the UI to show as the server names them (GET /api/v1/meta).
func Labels() map[string]map[string]string {
	return map[string]map[string]string{
		"operations": maps.Clone(models.OpLabels),
		"states":     maps.Clone(stateLabels),
		"events":     maps.Clone(eventLabels),
		"reviews":    maps.Clone(reviewLabels),
		"tracks":     maps.Clone(trackLabels),
		"marks":      maps.Clone(markLabels),
	}
}

// OpType is an operation type as the UI offers it.
type OpType struct {
	Op          string     `json:"op"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Materials   []Material `json:"materials"` // needed before the request is submitted
}

// Material is a text an operation must carry before its request is submitted.
type Material struct {
	Field string `json:"field"`
	Name  string `json:"name"`
}

var (
	supervisionMaterial  = Material{Field: "supervision", Name: "事中事后监管措施"}
	takeoverPlanMaterial = Material{Field: "takeover_plan", Name: "承接方案"}
)

// materialsOf are the materials an operation type needs.
func materialsOf(op string) []Material {
	switch op {
	case models.OpRemove, models.OpDelegate:
		return []Material{supervisionMaterial}
	case models.OpInclude:
		return []Material{takeoverPlanMaterial}
	}
	return []Material{}
}

// OpTypes are the operation types in the order the operation dialog offers them.
func OpTypes() []OpType {
	out := make([]OpType, 0, len(models.Ops))
	for _, op := range models.Ops {
		out = append(out, OpType{Op: op, Name: OpLabel(op), Description: models.OpDescriptions[op], Materials: materialsOf(op)})
	}
	return out
}
