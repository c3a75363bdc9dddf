package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"qingdan/models"
)

// limitsJSON are the input limits the server enforces (models/limits.go),
// sent so clients size their inputs from the same numbers.
type limitsJSON struct {
	Fields       map[models.Field]int `json:"fields"` // characters per item field (also in GET /meta)
	Extra        int                  `json:"extra"`  // characters of an extra column's value
	Title        int                  `json:"title"`
	Reason       int                  `json:"reason"` // also an operation's basis and source
	Opinion      int                  `json:"opinion"`
	Operations   int                  `json:"operations"` // per change request
	SeqMax       int                  `json:"seq_max"`
	ControlChars string               `json:"control_chars"`
}

func (s *Server) limits(c *gin.Context) {
	fields := map[models.Field]int{}
	for _, d := range models.FieldDefs {
		if d.MaxRunes > 0 {
			fields[d.Name] = d.MaxRunes
		}
	}
	c.JSON(http.StatusOK, limitsJSON{
		Fields: fields, Extra: models.MaxExtraRunes, Title: models.MaxTitleRunes, Reason: models.MaxReasonRunes,
		Opinion: models.MaxOpinionRunes, Operations: models.MaxOperations, SeqMax: models.MaxSeq,
		ControlChars: "refused: C0 control characters other than \\n \\r \\t, DEL, bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069)",
	})
}
