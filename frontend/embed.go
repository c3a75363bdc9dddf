// Package frontend holds the web UI. Its built assets (npm run build → dist/)
// are embedded in the binary; a committed dist/.gitkeep lets go build and
// go test work before any frontend build.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist is the built single-page app, rooted at its index.html.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed directive guarantees dist exists
	}
	return sub
}
