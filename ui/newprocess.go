package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"proclab/procs"
)

// newProcessForm is the New-process dialog: multiprocessing.Process's
// arguments as fields. Enter in any field creates the process.
type newProcessForm struct {
	target  *escSelectEntry
	name    *escEntry
	args    *escEntry
	kwargs  *escEntry
	command *escEntry
	daemon  *widget.Check
	hint    *widget.Label
	problem *widget.Label
	// warned holds the call a TypeError warning was shown for: pressing
	// Create again on the same call creates it, as Python would allow.
	warned string
}

func newNewProcessForm(lastTarget string) *newProcessForm {
	f := &newProcessForm{}
	f.target = newEscSelectEntry(append(procs.TaskNames(), procs.CommandTarget))
	f.target.SetText(lastTarget)
	f.name = newEscEntry()
	f.name.SetPlaceHolder(tr("Process-N (automatic)"))
	f.args = newEscEntry()
	f.args.SetPlaceHolder("('Tom', 30)")
	f.kwargs = newEscEntry()
	f.kwargs.SetPlaceHolder("{'age': 15, 'name': 'Jerry'}")
	f.command = newEscEntry()
	f.command.SetPlaceHolder(tr("sleep 3   (target command: program and arguments, no shell)"))
	f.daemon = widget.NewCheck(tr("daemon (set before start)"), nil)
	f.hint = widget.NewLabel("")
	f.hint.Wrapping = fyne.TextWrapWord
	f.problem = widget.NewLabel("")
	f.problem.Wrapping = fyne.TextWrapWord
	f.problem.Importance = widget.DangerImportance
	f.target.OnChanged = func(string) { f.showHint() }
	f.showHint()
	return f
}

func (f *newProcessForm) showHint() {
	name := strings.TrimSpace(f.target.Text)
	if name == procs.CommandTarget {
		f.hint.SetText(tr("command: runs a program of this machine by argv, without a shell"))
		return
	}
	if t, ok := procs.LookupTask(name); ok {
		f.hint.SetText(t.Signature() + " — " + tr(t.Summary))
		return
	}
	f.hint.SetText(tr("targets: %s", strings.Join(procs.TaskNames(), ", ")+", "+procs.CommandTarget))
}

// spec reads the fields. A non-nil error says what is wrong and how to
// fix it; the dialog stays open to let the user do so.
func (f *newProcessForm) spec() (procs.Spec, error) {
	s := procs.Spec{Target: strings.TrimSpace(f.target.Text), Name: strings.TrimSpace(f.name.Text), Daemon: f.daemon.Checked}
	if s.Target == "" {
		return s, errors.New(tr("target: choose what the process runs, e.g. dance"))
	}
	var err error
	if s.Args, err = procs.ParseArgs(f.args.Text); err != nil {
		return s, errors.New(fieldError("args", err))
	}
	if s.Kwargs, err = procs.ParseKwargs(f.kwargs.Text); err != nil {
		return s, errors.New(fieldError("kwargs", err))
	}
	if s.Target == procs.CommandTarget {
		if s.Command, err = procs.SplitCommand(f.command.Text); err != nil {
			return s, errors.New(fieldError(tr("command"), err))
		}
		if len(s.Command) == 0 {
			return s, errors.New(tr("command: type a program and its arguments, e.g. sleep 3"))
		}
		return s, nil
	}
	if strings.TrimSpace(f.command.Text) != "" {
		return s, errors.New(tr("command is only for the target %q: clear it, or set the target to %s", procs.CommandTarget, procs.CommandTarget))
	}
	t, ok := procs.LookupTask(s.Target)
	if !ok {
		return s, errors.New(tr("target %q is not a task: choose one of %s, or %s", s.Target, strings.Join(procs.TaskNames(), ", "), procs.CommandTarget))
	}
	if err := t.CheckCall(s.Args, s.Kwargs); err != nil {
		call := fmt.Sprintf("%s|%s|%s", s.Target, f.args.Text, f.kwargs.Text)
		if f.warned != call {
			f.warned = call
			return s, errors.New(tr("%v — Python raises this in the child once it starts. Fix the arguments, or press Create again to watch it fail", err))
		}
	}
	return s, nil
}

// showNewProcessDialog opens the form; create returns "" on success or the
// error to show in the form.
func showNewProcessDialog(win fyne.Window, lastTarget string, create func(procs.Spec) error) {
	f := newNewProcessForm(lastTarget)
	var d dialog.Dialog
	// A hidden entry that keeps the focus keeps its cursor blinking, and
	// every blink repaints the window: let the focus go with the dialog.
	close := func() {
		win.Canvas().Unfocus()
		d.Hide()
	}
	submit := func() {
		s, err := f.spec()
		if err == nil {
			err = create(s)
		}
		if err != nil {
			f.problem.SetText(err.Error())
			return
		}
		close()
	}
	for _, e := range []*escEntry{f.name, f.args, f.kwargs, f.command} {
		e.OnSubmitted = func(string) { submit() }
		e.onEscape = close
	}
	f.target.OnSubmitted = func(string) { submit() }
	f.target.onEscape = close
	form := widget.NewForm(
		widget.NewFormItem(tr("Target"), f.target),
		widget.NewFormItem(tr("Name"), f.name),
		widget.NewFormItem("args", f.args),
		widget.NewFormItem("kwargs", f.kwargs),
		widget.NewFormItem(tr("Command"), f.command),
		widget.NewFormItem("", f.daemon),
	)
	cancel := widget.NewButton(tr("Cancel (Esc)"), close)
	ok := widget.NewButton(tr("Create (Enter)"), submit)
	ok.Importance = widget.HighImportance
	content := container.NewVBox(form, f.hint, f.problem, container.NewHBox(layoutSpacer(), cancel, ok))
	d = dialog.NewCustomWithoutButtons(tr("New process — multiprocessing.Process(...)"), content, win)
	d.Resize(fyne.NewSize(620, 0))
	d.Show()
	// The target is focused with its text selected: type to replace it,
	// Enter to create.
	win.Canvas().Focus(f.target)
	f.target.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// escEntry and escSelectEntry are the form's fields: Enter creates, Esc
// cancels, as in any dialog. Fyne's entries swallow Esc otherwise.
type escEntry struct {
	widget.Entry
	onEscape func()
}

func newEscEntry() *escEntry {
	e := &escEntry{}
	e.ExtendBaseWidget(e)
	return e
}

func (e *escEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

type escSelectEntry struct {
	widget.SelectEntry
	onEscape func()
}

func newEscSelectEntry(options []string) *escSelectEntry {
	e := &escSelectEntry{}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.SetOptions(options)
	return e
}

func (e *escSelectEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.SelectEntry.TypedKey(k)
}

// fieldError says what is wrong in a field of a form, in the user's
// language: where (the column, for a Python value) and what.
func fieldError(field string, err error) string {
	var pe *procs.ParseError
	if !errors.As(err, &pe) {
		return field + ": " + err.Error()
	}
	what := tr(pe.Format, pe.Args...)
	if pe.Column == 0 {
		return tr("%s: %s", field, what)
	}
	return tr("%s column %d: %s", field, pe.Column, what)
}
