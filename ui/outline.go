package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// outline is a frame drawn as four thin rectangles. A stroked
// canvas.Rectangle would do the same, but Fyne's GL painter runs its
// rectangle shader over every pixel inside the stroke, transparent or not:
// for the selected lane, which fills the lanes pane, that was most of what
// each frame cost on a software renderer. Four edges touch only the pixels
// they colour.
type outline struct {
	edges [4]*canvas.Rectangle // top, bottom, left, right
	width float32
}

func newOutline(width float32) *outline {
	o := &outline{width: width}
	for i := range o.edges {
		o.edges[i] = canvas.NewRectangle(color.Transparent)
		o.edges[i].Hide()
	}
	return o
}

// objects are the edges, for a renderer's Objects.
func (o *outline) objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{o.edges[0], o.edges[1], o.edges[2], o.edges[3]}
}

// layout frames a box of the given size at the origin.
func (o *outline) layout(size fyne.Size) {
	w := min(o.width, size.Width/2, size.Height/2)
	o.edges[0].Move(fyne.NewPos(0, 0))
	o.edges[0].Resize(fyne.NewSize(size.Width, w))
	o.edges[1].Move(fyne.NewPos(0, size.Height-w))
	o.edges[1].Resize(fyne.NewSize(size.Width, w))
	o.edges[2].Move(fyne.NewPos(0, w))
	o.edges[2].Resize(fyne.NewSize(w, max(0, size.Height-2*w)))
	o.edges[3].Move(fyne.NewPos(size.Width-w, w))
	o.edges[3].Resize(fyne.NewSize(w, max(0, size.Height-2*w)))
}

// show draws the frame in c; nil hides it.
func (o *outline) show(c color.Color) {
	for _, e := range o.edges {
		if c == nil {
			e.Hide()
			continue
		}
		e.FillColor = c
		e.Show()
		e.Refresh()
	}
}
