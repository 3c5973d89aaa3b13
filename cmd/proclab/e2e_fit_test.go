//go:build e2e

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// viewStats is the view report the window writes with --stats as it
// closes (ui/viewreport.go; DEVELOPERS.md).
type viewStats struct {
	Report                string  `json:"report"`
	Zoom                  float32 `json:"zoom"`
	FullScreen            bool    `json:"full_screen"`
	Projector             bool    `json:"projector_layout"`
	Window                [2]int  `json:"window_px"`
	Screen                [2]int  `json:"screen_px"`
	ContentMin            [2]int  `json:"content_min_px"`
	Content               [4]int  `json:"content_px"`
	Fits                  bool    `json:"fits"`
	ToolbarButtons        int     `json:"toolbar_buttons"`
	ToolbarButtonsVisible int     `json:"toolbar_buttons_visible"`
	TreeRows              int     `json:"tree_rows"`
	TreeRowsVisible       int     `json:"tree_rows_visible"`
	Lanes                 []struct {
		Name      string `json:"name"`
		RowsRoom  int    `json:"rows_room"`
		RowsShown int    `json:"rows_shown"`
		CutRows   int    `json:"cut_rows"`
	} `json:"lanes"`
	CutTexts  int      `json:"cut_texts"`
	Cut       []string `json:"cut"`
	TreeNames []string `json:"tree_names"`
}

// viewOf quits the app with Ctrl+Q and reads the view report it wrote.
func (s *session) viewOf(stats string) viewStats {
	s.key("ctrl+q")
	done := make(chan error, 1)
	go func() { _, err := s.app.Process.Wait(); done <- err }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		s.t.Fatalf("the app did not quit on Ctrl+Q; stderr:\n%s", s.stderr)
	}
	data, err := os.ReadFile(stats)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		var v viewStats
		if json.Unmarshal(line, &v) == nil && v.Report == "view" {
			return v
		}
	}
	s.t.Fatalf("no view report in the stats:\n%s", data)
	return viewStats{}
}

// The lecture hall's targets, checked from the running window's own report
// of what it shows: at 200 % on a 1280×800 and a 1920×1080 screen, windowed
// and full screen (F11), and at 100 % on 1280×800, the window fits the
// screen, the whole toolbar is on screen, the tree shows its rows, each
// lane its lines, and no line of output is cut.
func TestE2EWindowFitsTheScreenAtEveryZoom(t *testing.T) {
	need(t, "Xvfb", "xdotool", "import")
	bin := buildApp(t)
	cases := []struct {
		screen      string
		zoomIn      int // Ctrl+= presses (25 % each)
		fullScreen  bool
		rows, lines int
		locale      string
	}{
		{"1280x800", 0, false, 15, 25, "en_US.UTF-8"},
		{"1280x800", 4, false, 8, 10, "en_US.UTF-8"},
		{"1280x800", 4, true, 8, 10, "en_US.UTF-8"},
		{"1920x1080", 4, false, 12, 10, "en_US.UTF-8"},
		{"1920x1080", 4, true, 12, 10, "en_US.UTF-8"},
		{"1280x800", 4, false, 8, 10, "zh_CN.UTF-8"},
		// The ends of the zoom range: it fits, every button is on screen.
		{"1280x800", -1, false, 15, 25, "en_US.UTF-8"},
		{"1280x800", 6, true, 5, 6, "en_US.UTF-8"},
	}
	for _, c := range cases {
		name := fmt.Sprintf("%s-%d%%", c.screen, 100+25*c.zoomIn)
		if c.fullScreen {
			name += "-fullscreen"
		}
		if !strings.HasPrefix(c.locale, "en") {
			name += "-" + c.locale[:2]
		}
		t.Run(name, func(t *testing.T) {
			stats := filepath.Join(t.TempDir(), "stats.jsonl")
			// Twenty-five children that print: more rows than any screen
			// holds, and lanes that fill.
			s := startAppWith(t, bin, startXvfbSized(t, c.screen), c.locale, "--stats", stats, "--preload", "forever:25")
			for range c.zoomIn {
				s.key("ctrl+equal")
			}
			for range -c.zoomIn {
				s.key("ctrl+minus")
			}
			if c.fullScreen {
				s.key("F11")
			}
			time.Sleep(6 * time.Second) // every child started, lanes full
			s.screenshot("fit-" + name + ".png")
			v := s.viewOf(stats)
			t.Logf("%+v", v)
			want := float32(1 + 0.25*float64(c.zoomIn))
			if v.Zoom != want || v.FullScreen != c.fullScreen {
				t.Fatalf("the window reports zoom %v, full screen %v; the test asked for %v, %v", v.Zoom, v.FullScreen, want, c.fullScreen)
			}
			if !v.Fits {
				t.Errorf("the window does not fit the screen: window %v, content asks for %v and lies at %v, screen %v", v.Window, v.ContentMin, v.Content, v.Screen)
			}
			if v.ToolbarButtonsVisible != v.ToolbarButtons || v.ToolbarButtons == 0 {
				t.Errorf("%d of %d toolbar buttons on screen", v.ToolbarButtonsVisible, v.ToolbarButtons)
			}
			if v.TreeRowsVisible < c.rows {
				t.Errorf("%d tree rows on screen (of %d), want at least %d", v.TreeRowsVisible, v.TreeRows, c.rows)
			}
			if len(v.Lanes) == 0 {
				t.Fatalf("no lane wholly on screen")
			}
			for _, l := range v.Lanes {
				if l.RowsRoom < c.lines {
					t.Errorf("lane %q has room for %d lines, want at least %d", l.Name, l.RowsRoom, c.lines)
				}
				if l.CutRows > 0 {
					t.Errorf("lane %q shows %d cut lines", l.Name, l.CutRows)
				}
				if strings.HasPrefix(l.Name, "Process-") && l.RowsShown < min(c.lines, 6) {
					t.Errorf("lane %q shows %d lines after 6 s of printing", l.Name, l.RowsShown)
				}
			}
		})
	}
}
