package painter

import (
	"bytes"

	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/font/opentype/tables"

	"fyne.io/fyne/v2"
)

// Fonts parsed on first use (ProcLab). go-text parses every glyph outline
// of a font up front: Fyne's emoji font and a large CJK font cost 12 and
// 30 MB of memory in a window that may never draw one of their characters.
// A lazy font waits in its place in a face list with only its character
// map read, and is parsed when a character that no face before it has asks
// for it: a character is drawn from the same font as if every font were
// parsed at once.

// lazyFallbacks is a theme font that stands for a small font, to be parsed
// at once (its space and metrics, which set the line height), and fonts to
// be parsed when a character first needs them, after Fyne's own. Fyne as
// released parses the theme font itself.
type lazyFallbacks interface {
	LazyFallbacks() (first fyne.Resource, lazy []fyne.Resource)
}

// lazyFont is a font of a face list, parsed or not yet.
type lazyFont struct {
	data fyne.Resource
	cmap font.Cmap
	face *font.Face // nil until parsed
}

// lazyFaces are fonts of a dynamicFontMap that stand, in order, before its
// face at index at: parsed when a character first needs one of them.
type lazyFaces struct {
	at    int
	fonts []lazyFont
}

// newLazyFaces lists the fonts in data, in order, to stand before the face
// at index at of a face list; a font whose character map cannot be read is
// left out.
func newLazyFaces(at int, data []fyne.Resource) *lazyFaces {
	l := &lazyFaces{at: at}
	for _, d := range data {
		if d == nil {
			continue
		}
		cmap, err := parsedCmap(d)
		if err != nil {
			fyne.LogError("font load error", err)
			continue
		}
		l.fonts = append(l.fonts, lazyFont{data: d, cmap: cmap})
	}
	return l
}

// resolve returns the first of the fonts that has r, parsing it if it was
// not yet; nil if none has r.
func (l *lazyFaces) resolve(r rune) *font.Face {
	for i := range l.fonts {
		lf := &l.fonts[i]
		if _, ok := lf.cmap.Lookup(r); !ok {
			continue
		}
		if lf.face == nil {
			lf.face = loadMeasureFont(lf.data)
		}
		if lf.face != nil {
			return lf.face
		}
	}
	return nil
}

// parsedCmaps holds each lazy font's character map, read once, by the
// bytes it was read from (see parsedFonts).
var parsedCmaps byContent[font.Cmap]

func parsedCmap(data fyne.Resource) (font.Cmap, error) { return parsedCmaps.get(data, readCmap) }

// readCmap reads a font's character map as font.NewFont does, and nothing
// else of it.
func readCmap(content []byte) (font.Cmap, error) {
	ld, err := ot.NewLoader(bytes.NewReader(content))
	if err != nil {
		return nil, err
	}
	raw, _ := ld.RawTable(ot.MustNewTag("OS/2"))
	os2, _, _ := tables.ParseOs2(raw)
	raw, err = ld.RawTable(ot.MustNewTag("cmap"))
	if err != nil {
		return nil, err
	}
	tb, _, err := tables.ParseCmap(raw)
	if err != nil {
		return nil, err
	}
	cmap, _, err := font.ProcessCmap(tb, os2.FontPage())
	return cmap, err
}
