// Package lessons embeds ProcLab's lessons: one JSON file per section of
// the lecture note, played by the same lab engine as the buttons.
package lessons

import "embed"

// FS holds the lesson files (*.json).
//
//go:embed *.json
var FS embed.FS
