package ui

import (
	"runtime"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestThemeFontIsParsedOnce measures text in every style of ProcLab's
// theme and checks that the embedded CJK font (4 MB, about 23 MB once
// parsed) is parsed once, not once a style: Fyne as released parses the
// theme's font for each style it looks up, which was 70 MB of a window's
// heap. It needs the Fyne that make builds against (third_party/fyne).
func TestThemeFontIsParsedOnce(t *testing.T) {
	a := test.NewTempApp(t) // clears Fyne's cache of faces
	a.Settings().SetTheme(newLabTheme(1, ""))
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	fyne.MeasureText("进程 process", 14, fyne.TextStyle{}) // parsed here, or before
	for _, style := range []fyne.TextStyle{{Bold: true}, {Italic: true}, {Monospace: true}, {Bold: true, Italic: true}} {
		before := heap()
		fyne.MeasureText("进程 process", 14, style)
		if grew := int64(heap()) - int64(before); grew > 8<<20 {
			t.Errorf("measuring text in %+v grew the heap by %.1f MB: the theme's font was parsed again (is this built with make, against third_party/fyne?)", style, float64(grew)/(1<<20))
		}
	}
}
