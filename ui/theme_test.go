package ui

import (
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/go-text/typesetting/font"

	"proclab/assets"
)

// themedApp is a test app with ProcLab's theme; making it clears Fyne's
// cache of faces (not the fonts parsed, which outlive it).
func themedApp(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(newLabTheme(1, ""))
}

// heap is the Go heap in use after a collection.
func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestThemeFontIsParsedOnce measures text in every style of ProcLab's
// theme and checks that the embedded CJK font (4 MB, about 23 MB once
// parsed) is parsed once, not once a style: Fyne as released parses the
// theme's font for each style it looks up, which was 70 MB of a window's
// heap. It needs the Fyne that make builds against (third_party/fyne).
func TestThemeFontIsParsedOnce(t *testing.T) {
	themedApp(t)
	fyne.MeasureText("进程 process", 14, fyne.TextStyle{}) // parsed here, or before
	for _, style := range []fyne.TextStyle{{Bold: true}, {Italic: true}, {Monospace: true}, {Bold: true, Italic: true}} {
		before := heap()
		fyne.MeasureText("进程 process", 14, style)
		if grew := int64(heap()) - int64(before); grew > 8<<20 {
			t.Errorf("measuring text in %+v grew the heap by %.1f MB: the theme's font was parsed again (is this built with make, against third_party/fyne?)", style, float64(grew)/(1<<20))
		}
	}
}

// TestChineseFontIsParsedWhenFirstDrawn checks that text without Chinese,
// in every style, leaves the embedded CJK font unparsed (about 30 MB of a
// window in English), that the first Chinese character parses it, and
// that lines are as high either way: the theme's first font is the CJK
// font's space and metrics. It needs the Fyne that make builds against
// (third_party/fyne, font_lazy.go).
func TestChineseFontIsParsedWhenFirstDrawn(t *testing.T) {
	if os.Getenv("PROCLAB_FRESH_FONTS") == "" {
		// Parsed fonts outlive a theme and an app: the test runs in a
		// process of its own, where no other test has parsed the font.
		cmd := exec.Command(os.Args[0], "-test.run=^TestChineseFontIsParsedWhenFirstDrawn$", "-test.v")
		cmd.Env = append(os.Environ(), "PROCLAB_FRESH_FONTS=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	themedApp(t)
	styles := []fyne.TextStyle{{}, {Bold: true}, {Italic: true}, {Monospace: true}, {Bold: true, Italic: true}}
	before := heap()
	latin := map[fyne.TextStyle]float32{}
	for _, style := range styles {
		latin[style] = fyne.MeasureText("MainProcess · 4242 — ● ✕ running…", 14, style).Height
	}
	// Fyne's own five fonts are 18 MB parsed; the CJK font would be 30
	// more, the emoji font 12.
	if grew := int64(heap()) - int64(before); grew > 25<<20 {
		t.Errorf("measuring text without Chinese grew the heap by %.1f MB: the CJK font was parsed (is this built with make, against third_party/fyne?)", float64(grew)/(1<<20))
	}
	before = heap()
	for _, style := range styles {
		if h := fyne.MeasureText("跳舞中 dance", 14, style).Height; h != latin[style] {
			t.Errorf("a line in %+v is %.2f high with Chinese, %.2f without", style, h, latin[style])
		}
	}
	if grew := int64(heap()) - int64(before); grew < 15<<20 {
		t.Errorf("measuring Chinese grew the heap by %.1f MB only: was the CJK font parsed?", float64(grew)/(1<<20))
	}
	if w := fyne.MeasureText("中", 14, fyne.TextStyle{}).Width; w < 13 {
		t.Errorf("中 is %.1f wide at 14: not drawn from the CJK font", w)
	}
	// A lazy font stands in its place: Fyne's emoji font comes before the
	// fonts of the system, parsed or not.
	before = heap()
	fyne.MeasureText("😀", 14, fyne.TextStyle{})
	if grew := int64(heap()) - int64(before); grew < 4<<20 {
		t.Errorf("measuring 😀 grew the heap by %.1f MB only: was it drawn from a font of the system, not Fyne's emoji font?", float64(grew)/(1<<20))
	}
}

// The space font stands for the CJK font in every line's height: its
// metrics and its space must be the CJK font's own.
func TestCJKSpaceFontHasTheCJKFontsMetrics(t *testing.T) {
	parse := func(r fyne.Resource) (*font.Font, font.FontExtents, float32) {
		face, err := font.ParseTTF(bytes.NewReader(r.Content()))
		if err != nil {
			t.Fatalf("%s: %v", r.Name(), err)
		}
		ext, ok := face.FontHExtents()
		if !ok {
			t.Fatalf("%s has no horizontal extents", r.Name())
		}
		space, ok := face.NominalGlyph(' ')
		if !ok {
			t.Fatalf("%s has no space", r.Name())
		}
		return face.Font, ext, face.HorizontalAdvance(space)
	}
	full, fullExt, fullSpace := parse(assets.CJKFont)
	space, spaceExt, spaceSpace := parse(assets.CJKSpace)
	if full.Upem() != space.Upem() || fullExt != spaceExt || fullSpace != spaceSpace {
		t.Errorf("the space font: %d units an em, extents %+v, space %v; the CJK font: %d, %+v, %v",
			space.Upem(), spaceExt, spaceSpace, full.Upem(), fullExt, fullSpace)
	}
	if _, ok := space.NominalGlyph('中'); ok {
		t.Error("the space font has 中: it is not the subset it should be")
	}
}
