package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// The window's keys come from one place: the key a text names. A toolbar
// action's tooltip ends in its key ("… (Ctrl+N)"), a menu item's label
// ends in its key ("New lab (Ctrl+L)"), and the other keys are in
// otherKeys with what they do. From those texts the shortcuts are
// registered (bindKey), the F1 screen is listed and a row's menu is
// labelled, so what a text says a key does is what the key does.

// bindKey registers key (as a text writes it: "Ctrl+Shift+Z", "Ctrl+=")
// to run do, once; a key already bound keeps its first command. It reports
// whether the key is one a canvas shortcut can carry (Ctrl with a key).
func (w *labWindow) bindKey(key string, do func()) bool {
	s, ok := shortcutFor(key)
	if !ok {
		return false
	}
	if w.bound == nil {
		w.bound = map[string]bool{}
	}
	if w.bound[key] {
		return true
	}
	w.bound[key] = true
	w.win.Canvas().AddShortcut(s, func(fyne.Shortcut) { do() })
	return true
}

// shortcutFor is the canvas shortcut of a key text. Fyne's driver turns
// Ctrl+Z and Ctrl+A into its Undo and Select all shortcuts, never into a
// custom one, so those two are bound as such (an entry, when focused,
// still gets them).
func shortcutFor(key string) (fyne.Shortcut, bool) {
	switch key {
	case "Ctrl+Z":
		return &fyne.ShortcutUndo{}, true
	case "Ctrl+A":
		return &fyne.ShortcutSelectAll{}, true
	}
	parts := strings.Split(key, "+")
	if len(parts) < 2 {
		return nil, false
	}
	name := parts[len(parts)-1]
	if name == "" && strings.HasSuffix(key, "++") { // "Ctrl++"
		name, parts = "+", parts[:len(parts)-1]
	}
	var mod fyne.KeyModifier
	for _, m := range parts[:len(parts)-1] {
		switch m {
		case "Ctrl":
			mod |= fyne.KeyModifierControl
		case "Shift":
			mod |= fyne.KeyModifierShift
		case "Alt":
			mod |= fyne.KeyModifierAlt
		default:
			return nil, false
		}
	}
	if mod&(fyne.KeyModifierControl|fyne.KeyModifierAlt) == 0 {
		return nil, false // a plain key is typed, not a shortcut (typedKey)
	}
	kn := fyne.KeyName(strings.ToUpper(name))
	switch name {
	case "=":
		kn = fyne.KeyEqual
	case "-":
		kn = fyne.KeyMinus
	case "+":
		kn = fyne.KeyPlus
	}
	return &desktop.CustomShortcut{KeyName: kn, Modifier: mod}, true
}

// keyInLabel is the key a label ends in: "New lab (Ctrl+L)" → "Ctrl+L".
func keyInLabel(label string) string {
	if m := keyInTooltip.FindStringSubmatch(label); m != nil {
		return m[1]
	}
	return ""
}

// menuItem is a menu item whose label (an English text, translated when
// shown) may end in its key: the key is bound to the item's action.
func (w *labWindow) menuItem(label string, do func()) *fyne.MenuItem {
	if key := keyInLabel(label); key != "" {
		w.bindKey(key, do)
	}
	return fyne.NewMenuItem(tr(label), do)
}

// bindKeys binds every key the texts name: the actions' (from their
// tooltips) and the other keys of the window.
func (w *labWindow) bindKeys() {
	for a := range actCount {
		if key := actionKey(a); key != "" {
			w.bindKey(key, w.actionFunc(a))
		}
	}
	for _, k := range otherKeys {
		if k.do != nil {
			for _, key := range strings.Split(k.key, " · ") {
				w.bindKey(key, func() { k.do(w, key) })
			}
		}
	}
}
