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
var parsedFonts byContent[*font.Font]

// maxParsedFonts bounds a byContent: a resource that reads its content
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

// byContent keeps what was made of each font file, once, by its bytes.
type byContent[T any] struct {
	sync.Mutex
	made map[fontBytes]T
}

// get returns what build made of data's content, making it the first time.
func (c *byContent[T]) get(data fyne.Resource, build func(content []byte) (T, error)) (T, error) {
	content := data.Content()
	if len(content) == 0 {
		return build(content)
	}
	key := fontBytes{&content[0], len(content)}
	c.Lock()
	defer c.Unlock()
	if v, ok := c.made[key]; ok {
		return v, nil
	}
	v, err := build(content)
	if err != nil {
		return v, err
	}
	if c.made == nil || len(c.made) >= maxParsedFonts {
		c.made = map[fontBytes]T{}
	}
	c.made[key] = v
	return v, nil
}

func parsedFont(data fyne.Resource) (*font.Font, error) {
	return parsedFonts.get(data, func(content []byte) (*font.Font, error) {
		face, err := font.ParseTTF(bytes.NewReader(content))
		if err != nil {
			return nil, err
		}
		return face.Font, nil
	})
}
