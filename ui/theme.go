package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"proclab/assets"
	"proclab/procs"
)

// labTheme is Fyne's theme with an embedded CJK font first in line. Fyne
// resolves each character through the theme font, then its own default
// font: Chinese comes from the embedded font and Latin from Fyne's, so the
// window reads the same on a machine with no CJK font installed.
//
// It also carries the projector settings: a zoom factor on every size, and
// a forced light or dark variant with stronger contrast.
type labTheme struct {
	fyne.Theme
	zoom    float32
	variant string // "", "dark" or "light"
}

func newLabTheme(zoom float32, variant string) fyne.Theme {
	if zoom <= 0 {
		zoom = 1
	}
	return &labTheme{Theme: theme.DefaultTheme(), zoom: zoom, variant: variant}
}

func (t *labTheme) Size(name fyne.ThemeSizeName) float32 { return t.Theme.Size(name) * t.zoom }

func (t *labTheme) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch t.variant {
	case "dark":
		v = theme.VariantDark
		switch name {
		case theme.ColorNameBackground:
			return color.Black
		case theme.ColorNameForeground:
			return color.White
		case theme.ColorNameDisabled, theme.ColorNamePlaceHolder:
			// Readable, yet plainly dimmer than the text: 7:1 on black.
			return color.NRGBA{R: 0xa8, G: 0xa8, B: 0xa8, A: 0xff}
		case theme.ColorNameDisabledButton:
			return color.NRGBA{R: 0x30, G: 0x30, B: 0x30, A: 0xff}
		}
	case "light":
		v = theme.VariantLight
		switch name {
		case theme.ColorNameBackground:
			return color.White
		case theme.ColorNameForeground:
			return color.Black
		case theme.ColorNameDisabled, theme.ColorNamePlaceHolder:
			// Readable, yet plainly dimmer than the text: 7:1 on white.
			return color.NRGBA{R: 0x59, G: 0x59, B: 0x59, A: 0xff}
		case theme.ColorNameDisabledButton:
			return color.NRGBA{R: 0xe0, G: 0xe0, B: 0xe0, A: 0xff}
		}
	}
	return t.Theme.Color(name, v)
}

func (t *labTheme) Font(style fyne.TextStyle) fyne.Resource {
	if style.Symbol {
		return t.Theme.Font(style)
	}
	return themeFont
}

// themeFont is the CJK font. To ProcLab's Fyne (third_party/fyne,
// font_lazy.go) it stands for its space and metrics, parsed at once, and
// the whole font, parsed when a Chinese character is first drawn: it is
// about 30 MB parsed, and a window in English may never draw one. Fyne as
// released parses the whole font at once.
var themeFont = lazyCJK{assets.CJKFont}

type lazyCJK struct{ fyne.Resource }

func (lazyCJK) LazyFallbacks() (fyne.Resource, []fyne.Resource) {
	return assets.CJKSpace, []fyne.Resource{assets.CJKFont}
}

// State colours, the same in the tree, the lanes and the legend.
var (
	colorRunning  = color.NRGBA{R: 0x22, G: 0xc5, B: 0x5e, A: 0xff} // green: on a CPU
	colorSleeping = color.NRGBA{R: 0x3b, G: 0x82, B: 0xf6, A: 0xff} // blue: alive, waiting
	colorStopped  = color.NRGBA{R: 0xf5, G: 0x9e, B: 0x0b, A: 0xff} // amber: SIGSTOP
	colorZombie   = color.NRGBA{R: 0xa8, G: 0x55, B: 0xf7, A: 0xff} // purple: ended, not reaped
	colorEnded    = color.NRGBA{R: 0x9c, G: 0xa3, B: 0xaf, A: 0xff} // grey: exit code known
	colorFailed   = color.NRGBA{R: 0xef, G: 0x44, B: 0x44, A: 0xff} // red: non-zero exit
	colorInitial  = color.NRGBA{R: 0x9c, G: 0xa3, B: 0xaf, A: 0xff} // grey: not started
)

// stateLook is how one process state is drawn: a glyph, a word and a colour.
type stateLook struct {
	glyph string
	word  string
	color color.Color
}

// lookOf combines what the lab knows (Python's view) with what the last
// poll saw (the OS's view); os is nil when the process is not in the poll.
func lookOf(s procs.Snapshot, os *procs.ProcInfo) stateLook {
	if s.Closed {
		return stateLook{"✕", tr("closed"), colorEnded}
	}
	switch s.Status {
	case procs.Initial:
		return stateLook{"◌", tr("not started"), colorInitial}
	case procs.Stopped:
		if !s.ExitKnown {
			return stateLook{"✕", tr("ended"), colorEnded}
		}
		c := color.Color(colorEnded)
		if s.ExitCode != 0 {
			c = colorFailed
		}
		return stateLook{"✕", tr("exitcode %s", procs.ExitCodeName(s.ExitCode)), c}
	}
	if s.Zombie {
		return stateLook{"●", tr("zombie · not reaped"), colorZombie}
	}
	if s.Frozen {
		return stateLook{"●", tr("stopped (SIGSTOP)"), colorStopped}
	}
	if os == nil {
		return stateLook{"●", tr("started"), colorSleeping}
	}
	return osLook(os.State)
}

func osLook(state byte) stateLook {
	word := stateWord(state)
	switch state {
	case 'R':
		return stateLook{"●", word, colorRunning}
	case 'Z':
		return stateLook{"●", word, colorZombie}
	case 'T', 't':
		return stateLook{"●", word, colorStopped}
	}
	return stateLook{"●", word, colorSleeping}
}
