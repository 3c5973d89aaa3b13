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

// DroidSansFallbackSpace.ttf is DroidSansFallbackFull.ttf with its space
// only, and every table of metrics as they were (fontTools, in Debian's
// python3-fonttools):
//
//	pyftsubset DroidSansFallbackFull.ttf --unicodes=U+0020 --no-hinting \
//	  --drop-tables+=GSUB,GPOS,GDEF --output-file=DroidSansFallbackSpace.ttf
//
//go:embed fonts/DroidSansFallbackSpace.ttf
var cjkSpace []byte

// Icon is the application icon.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)

// CJKFont covers Chinese; Latin text falls through to Fyne's own font.
var CJKFont = fyne.NewStaticResource("DroidSansFallbackFull.ttf", cjkFont)

// CJKSpace is CJKFont's space and metrics alone, 1 KB against 4 MB: the
// theme's first font, which sets the height of every line as CJKFont
// would, while CJKFont itself is parsed only when a Chinese character is
// first drawn.
var CJKSpace = fyne.NewStaticResource("DroidSansFallbackSpace.ttf", cjkSpace)
