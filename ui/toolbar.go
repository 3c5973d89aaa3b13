package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// actionButton is a toolbar button that explains itself: hovering it puts
// what it does, or why it is disabled, in the status line. Fyne has no
// tooltips, and a disabled button that does not say why is a dead end.
type actionButton struct {
	widget.Button
	action  action
	label   string // the label, also when the button shows its icon only
	explain func() string
	show    func(string)
}

var (
	_ fyne.Widget       = (*actionButton)(nil)
	_ desktop.Hoverable = (*actionButton)(nil)
)

func newActionButton(label string, icon fyne.Resource, tapped func(), explain func() string, show func(string)) *actionButton {
	b := &actionButton{explain: explain, show: show}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *actionButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	if b.Text == "" && b.label != "" {
		b.show(b.label + ": " + b.explain()) // an icon alone does not say its name
		return
	}
	b.show(b.explain())
}

func (b *actionButton) MouseOut() {
	b.Button.MouseOut()
	b.show("")
}

func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }
