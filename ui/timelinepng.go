package ui

import (
	"image"
	"image/draw"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// exportScale is how many pixels a unit of the timeline gets in its PNG:
// crisp on a projector, whatever the screen.
const exportScale = 2

// exportImage draws what the Timeline tab shows — the bars, ticks and
// marks, the names beside them and the time axis — into an image of its
// own. A capture of the window read back from software GL came out a
// single colour under Xvfb; this does not depend on the screen at all.
func (t *timeline) exportImage() (image.Image, error) {
	size := t.Size()
	if size.Width <= 0 || size.Height <= 0 {
		size = fyne.NewSize(800, 300)
	}
	w, h := int(size.Width*exportScale), int(size.Height*exportScale)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), t.draw(w, h), image.Point{}, draw.Src)
	face, err := exportFace(theme.TextSize() * exportScale)
	if err != nil {
		return nil, err
	}
	defer face.Close()
	text := func(s string, x, y float32, c image.Image) {
		d := font.Drawer{Dst: img, Src: c, Face: face,
			Dot: fixed.P(int(x*exportScale), int(y*exportScale)+face.Metrics().Ascent.Ceil())}
		d.DrawString(s)
	}
	top, rowH := t.rows()
	fg := image.NewUniform(theme.Color(theme.ColorNameForeground))
	for i, s := range t.lanes {
		y := top + float32(i)*rowH + (rowH-textHeight(fyne.TextStyle{}))/2
		if y > size.Height {
			break
		}
		text(s.name, 14, y, fg)
	}
	muted := image.NewUniform(theme.Color(theme.ColorNamePlaceHolder))
	left, step := t.labelWidth(), t.axisStep()
	for at := (t.start/step + 1) * step; at < t.start+t.width; at += step {
		x := left + float32(float64(at-t.start)/float64(t.width))*(size.Width-left)
		label := axisLabel(at, step)
		width := float32(font.MeasureString(face, label).Ceil()) / exportScale
		text(label, x-width/2, 0, muted)
	}
	return img, nil
}

// exportFace is the theme's text font at size pixels.
func exportFace(size float32) (font.Face, error) {
	f, err := opentype.Parse(theme.TextFont().Content())
	if err != nil {
		return nil, err
	}
	return opentype.NewFace(f, &opentype.FaceOptions{Size: float64(size), DPI: 72, Hinting: font.HintingFull})
}

// exportedAt names the moment a timeline was saved, for its file name.
func exportedAt() string { return time.Now().Format("20060102-150405") }
