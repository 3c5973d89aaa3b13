package painter

import (
	"bytes"
	"sync"

	"github.com/go-text/typesetting/font"

	"fyne.io/fyne/v2"
)

// parsedFonts holds each font file parsed once, by the bytes it was parsed
// from. Fyne looks up the faces of every text style on its own (regular,
// bold, italic, monospace), and each lookup parsed the theme's font again:
// for a large CJK font that is about 23 MB of glyph tables a style. A
// *font.Font is read-only and safe for concurrent use; the faces made from
// it keep their own caches. It outlives a change of theme, so a zoom does
// not parse the fonts again.
var parsedFonts struct {
	sync.Mutex
	fonts map[fontBytes]*font.Font
}

// maxParsedFonts bounds parsedFonts: a resource that reads its content
// afresh each time gets a new entry each time, and the entries hold their
// bytes.
const maxParsedFonts = 16

// fontBytes names a resource's content by where it is held and how long it
// is: a bundled or static resource hands out the same bytes every time. An
// entry holds its bytes, so they are not freed and reused while it lasts.
type fontBytes struct {
	data *byte
	size int
}

func parsedFont(data fyne.Resource) (*font.Font, error) {
	content := data.Content()
	if len(content) == 0 {
		face, err := font.ParseTTF(bytes.NewReader(content))
		if err != nil {
			return nil, err
		}
		return face.Font, nil
	}
	key := fontBytes{&content[0], len(content)}
	parsedFonts.Lock()
	defer parsedFonts.Unlock()
	if f, ok := parsedFonts.fonts[key]; ok {
		return f, nil
	}
	face, err := font.ParseTTF(bytes.NewReader(content))
	if err != nil {
		return nil, err
	}
	if parsedFonts.fonts == nil || len(parsedFonts.fonts) >= maxParsedFonts {
		parsedFonts.fonts = make(map[fontBytes]*font.Font)
	}
	parsedFonts.fonts[key] = face.Font
	return face.Font, nil
}
