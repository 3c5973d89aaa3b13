package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"proclab/procs"
)

// showRunProgramDialog asks for a command line and hands its argv to run;
// an error from run stays in the dialog, which stays open to fix it.
func showRunProgramDialog(win fyne.Window, last string, run func(argv []string) error) {
	entry := newEscEntry()
	entry.SetText(last)
	entry.SetPlaceHolder("python3 sing_dance.py")
	hint := widget.NewLabel(tr("The program becomes a child of the lab (argv, no shell): its processes appear in the tree and its output in lanes. A Python program gets one lane per process."))
	hint.Wrapping = fyne.TextWrapWord
	problem := widget.NewLabel("")
	problem.Wrapping = fyne.TextWrapWord
	problem.Importance = widget.DangerImportance
	var d dialog.Dialog
	close := func() {
		win.Canvas().Unfocus()
		d.Hide()
	}
	submit := func() {
		argv, err := procs.SplitCommand(entry.Text)
		if err != nil {
			err = errors.New(fieldError(tr("command"), err))
		}
		if err == nil && len(argv) == 0 {
			err = errors.New(tr("type a program and its arguments, e.g. python3 sing_dance.py"))
		}
		if err == nil {
			err = run(argv)
		}
		if err != nil {
			problem.SetText(err.Error())
			return
		}
		close()
	}
	entry.OnSubmitted = func(string) { submit() }
	entry.onEscape = close
	cancel := widget.NewButton(tr("Cancel (Esc)"), close)
	ok := widget.NewButton(tr("Run (Enter)"), submit)
	ok.Importance = widget.HighImportance
	content := container.NewVBox(widget.NewForm(widget.NewFormItem(tr("Command"), entry)), hint, problem,
		container.NewHBox(layoutSpacer(), cancel, ok))
	d = dialog.NewCustomWithoutButtons(tr("Run a program in the lab"), content, win)
	d.Resize(fyne.NewSize(620, 0))
	d.Show()
	win.Canvas().Focus(entry)
	entry.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// runProgram starts argv as a child of the lab and selects it.
func (w *labWindow) runProgram(argv []string) error {
	if why := w.whyNot()[actNew]; why != "" {
		return errors.New(why)
	}
	p, err := w.lab.Create(procs.Spec{Target: procs.CommandTarget, Command: argv, Name: procs.ProgramName(argv), AutoReap: true})
	if err != nil {
		return err
	}
	if err := w.lab.Start(p); err != nil {
		return err
	}
	w.lastProgram = procs.JoinCommand(argv)
	w.selectProcess(p)
	w.tabs.SelectIndex(0)
	return nil
}

func (w *labWindow) doRunProgram() {
	if why := w.whyNot()[actNew]; why != "" {
		w.say(why, true)
		return
	}
	showRunProgramDialog(w.win, w.lastProgram, w.runProgram)
}
