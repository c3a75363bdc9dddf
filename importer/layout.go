package importer

import (
	"qingdan/models"
)

// Column and Layout are a list's columns (models.Layout); the importer
// finds them in a file, exporters write them.
type (
	Column = models.Column
	Layout = models.Layout
)

// The seed layouts Parse recognises in text files.
var (
	Power   = models.PowerLayout
	Duty    = models.DutyLayout
	Layouts = models.SeedLayouts
)

// LayoutFor returns the seed layout of a list kind ("power" or "duty").
func LayoutFor(kind string) (*Layout, bool) { return models.SeedLayout(kind) }
