package ui

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"proclab/procs"
)

// translatedKeys finds every string the ui package translates: the literal
// first argument of each tr and msg call, and the tasks' summaries, which
// the New-process dialog shows.
func translatedKeys(t *testing.T) map[string]string {
	t.Helper()
	keys := map[string]string{"proclab.language": "i18n.go"}
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			fn, ok := call.Fun.(*ast.Ident)
			if !ok || (fn.Name != "tr" && fn.Name != "msg") {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				if fn.Name == "tr" || fn.Name == "msg" {
					// tr(variable) is fine when the variable holds a msg() or a task summary.
					return true
				}
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			keys[s] = fset.Position(lit.Pos()).String()
			return true
		})
	}
	for _, format := range procs.ParseMessages {
		keys[format] = "procs.ParseMessages"
	}
	for _, format := range procs.Messages {
		keys[format] = "procs.Messages"
	}
	for _, name := range procs.TaskNames() {
		task, _ := procs.LookupTask(name)
		keys[task.Summary] = "task " + name
	}
	return keys
}

func loadChinese(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile("translations/proclab.zh_Hans.json")
	if err != nil {
		t.Fatal(err)
	}
	var zh map[string]string
	if err := json.Unmarshal(data, &zh); err != nil {
		t.Fatalf("translations/proclab.zh_Hans.json: %v", err)
	}
	return zh
}

var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// TestEveryStringHasAChineseTranslation: a string added to the UI without
// its translation would show in English in a Chinese window, and Fyne would
// log a translation failure each time it is drawn.
func TestEveryStringHasAChineseTranslation(t *testing.T) {
	keys, zh := translatedKeys(t), loadChinese(t)
	var missing []string
	for k, where := range keys {
		if _, ok := zh[k]; !ok {
			missing = append(missing, where+": "+strconv.Quote(k))
		}
	}
	slices.Sort(missing)
	for _, m := range missing {
		t.Errorf("no Chinese for %s", m)
	}
	for k, v := range zh {
		if _, ok := keys[k]; !ok {
			t.Errorf("translation of %q is not used by any tr or msg call: remove it", k)
		}
		if strings.TrimSpace(v) == "" {
			t.Errorf("translation of %q is empty", k)
		}
		// The translation is a fmt format for the same arguments.
		if got, want := verb.FindAllString(v, -1), verb.FindAllString(k, -1); !slices.Equal(got, want) {
			t.Errorf("translation of %q has the verbs %v, want %v", k, got, want)
		}
	}
}

// visibleTexts lists the texts of every label, button and check laid out
// in o, and of the main menu.
func visibleTexts(w *labWindow) []string {
	var out []string
	for _, o := range test.LaidOutObjects(w.win.Content()) {
		switch o := o.(type) {
		case *widget.Label:
			out = append(out, o.Text)
		case *widget.Button:
			out = append(out, o.Text)
		case *actionButton:
			out = append(out, o.Text)
		case *widget.Check:
			out = append(out, o.Text)
		case *fitText:
			out = append(out, o.full)
		}
	}
	for _, m := range w.win.MainMenu().Items {
		out = append(out, m.Label)
		for _, it := range m.Items {
			out = append(out, it.Label)
		}
	}
	return out
}

// TestLanguageSwitchesTheWholeWindow switches a window with a running
// child to Chinese, as View → Language → 中文 does, and looks for any
// English text ProcLab translates that is still on screen.
func TestLanguageSwitchesTheWholeWindow(t *testing.T) {
	var logged bytes.Buffer
	log.SetOutput(&logged)
	t.Cleanup(func() { log.SetOutput(os.Stderr); applyLanguage("en") })

	h := newHarness(t)
	h.w.openLesson(h.w.lessons[0])
	h.sync()
	p := h.create("forever")
	h.w.doStart()
	h.sync()
	h.w.selectProcess(p)
	h.w.setLanguage("zh")
	h.sync()

	if got := h.w.app.Preferences().String(prefLanguage); got != "zh" {
		t.Errorf("the choice is not remembered: preference %q", got)
	}
	english := map[string]bool{}
	for k, v := range loadChinese(t) {
		if k != v && !strings.Contains(k, "%") {
			english[k] = true
		}
	}
	shown := visibleTexts(h.w)
	for _, tab := range h.w.tabs.Items {
		h.w.tabs.Select(tab)
		shown = append(shown, tab.Text)
		shown = append(shown, visibleTexts(h.w)...)
	}
	for _, s := range shown {
		if english[s] && !slices.Contains(pythonFields, s) {
			t.Errorf("still in English after switching to Chinese: %q", s)
		}
		// Formats too: "%.1f %% of a core" shown as "0.0 % of a core".
		for _, tail := range []string{" of a core", " resident"} {
			if strings.HasSuffix(s, tail) {
				t.Errorf("still in English after switching to Chinese: %q", s)
			}
		}
	}
	for _, want := range []string{"启动", "进程树", "检查器", "实验", "视图", "输出通道", "父进程"} {
		if !slices.Contains(shown, want) {
			t.Errorf("%q is not shown in Chinese (shown: %q)", want, shown)
		}
	}
	if row := h.w.tree.model.rows[p.Var()]; row == nil || (row.look.word != "睡眠" && row.look.word != "运行中") {
		t.Errorf("the tree row of the running child says %+v", row)
	}
	if why := h.w.whyNot()[actStart]; !strings.HasPrefix(why, p.Name()+" 已经启动了 — Python: AssertionError") {
		t.Errorf("why Start is disabled: %q", why)
	}
	if h.w.lessonV.title.Text != h.w.lessons[0].Section+"  "+h.w.lessons[0].Title["zh"] {
		t.Errorf("the lesson title did not follow: %q", h.w.lessonV.title.Text)
	}
	// A mistake in the New-process form is explained in Chinese too.
	form := newNewProcessForm("show_info")
	form.args.SetText("Tom, 30")
	if _, err := form.spec(); err == nil || err.Error() != "args 第 1 列：Tom 不是一个值：文字要加引号，例如 'Tom'" {
		t.Errorf("the form's error in Chinese: %v", err)
	}
	if strings.Contains(logged.String(), "Translation failure") {
		t.Errorf("Fyne could not translate a string:\n%s", logged.String())
	}

	h.w.setLanguage("en")
	if got := h.w.buttons[actStart].Text; got != "Start" {
		t.Errorf("back in English, Start says %q", got)
	}
}

// What the lab already said is said again in the new language when it
// switches: main's transcript and the status line, not only what comes
// after.
func TestALanguageSwitchRewritesWhatWasSaid(t *testing.T) {
	h := newHarness(t)
	t.Cleanup(func() { applyLanguage("en") })
	p := h.create("dance")
	h.w.doStart()
	<-p.Exited()
	h.sync()
	h.w.doJoin()
	<-p.Done()
	time.Sleep(50 * time.Millisecond)
	h.sync()
	transcript := func() string { return strings.Join(laneTexts(h.w.lanePane.main), "\n") }
	if !strings.Contains(transcript(), "ended with exit status 0; a zombie until main reaps it") || !strings.Contains(h.w.statusBar.message, "returned: p1.exitcode == 0") {
		t.Fatalf("before the switch: transcript\n%s\nstatus %q", transcript(), h.w.statusBar.message)
	}
	h.w.setLanguage("zh")
	h.sync()
	if got := transcript(); !strings.Contains(got, "已结束，退出状态 0；在主进程回收它之前是僵尸进程") || strings.Contains(got, "a zombie until") {
		t.Errorf("after switching to Chinese, the transcript:\n%s", got)
	}
	if !strings.Contains(h.w.statusBar.message, "已返回：p1.exitcode == 0") {
		t.Errorf("after switching to Chinese, the status line: %q", h.w.statusBar.message)
	}
	// Python's own words stay: the statements, exitcode=.
	if got := transcript(); !strings.Contains(got, "p1.start()") || !strings.Contains(got, "p1.join()") {
		t.Errorf("the Python statements went from the transcript:\n%s", got)
	}
	h.w.setLanguage("en")
	h.sync()
	if !strings.Contains(transcript(), "a zombie until main reaps it") {
		t.Errorf("back in English, the transcript:\n%s", transcript())
	}
}

// ProcLab's own status messages follow a language switch too.
func TestAStatusMessageFollowsTheLanguage(t *testing.T) {
	h := newHarness(t)
	t.Cleanup(func() { applyLanguage("en") })
	h.w.togglePause()
	if !strings.HasPrefix(h.w.statusBar.message, "paused: the view is frozen") {
		t.Fatalf("the status line: %q", h.w.statusBar.message)
	}
	h.w.setLanguage("zh")
	zh := loadChinese(t)["paused: the view is frozen, the processes keep running"]
	if h.w.statusBar.message != zh {
		t.Errorf("after switching to Chinese: %q, want %q", h.w.statusBar.message, zh)
	}
	h.w.setLanguage("en")
}
