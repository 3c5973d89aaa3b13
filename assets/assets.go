// Package assets embeds ProcLab's icon and the CJK-capable font that lets
// Chinese render on machines with no CJK font installed.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// DroidSansFallbackFull.ttf comes from Debian's fonts-droid-fallback
// (Apache-2.0, licence beside it). Fyne cannot load .ttc collections, so a
// plain .ttf it must be.
//
//go:embed fonts/DroidSansFallbackFull.ttf
var cjkFont []byte

// Icon is the application icon.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)

// CJKFont covers Chinese; Latin text falls through to Fyne's own font.
var CJKFont = fyne.NewStaticResource("DroidSansFallbackFull.ttf", cjkFont)
