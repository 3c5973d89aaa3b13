package ui

import (
	"embed"
	"fmt"
	"os"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"proclab/procs"
)

// ProcLab's strings are written in English in the code and translated by
// Fyne's lang package from the files in translations/ (English is the
// fallback, so it needs no file). Python's own words — exception texts,
// repr, code — are never translated: they are what a student will see in
// a terminal.

//go:embed translations
var translations embed.FS

// prefLanguage is the preference that holds the language the user chose in
// View → Language: "en", "zh", or "" to follow the system's locale.
const prefLanguage = "language"

// languages the user can choose, with the locale each stands for.
var languages = []struct{ code, name, locale string }{
	{"en", "English", "en_US.UTF-8"},
	{"zh", "中文", "zh_CN.UTF-8"},
}

var (
	loadTranslations sync.Once
	languageMu       sync.Mutex
)

// translated caches lang.L: the tree and the lanes ask for the same words
// on every poll, for every process, and a lookup in Fyne's bundle matches
// languages each time — measurably slower with hundreds of processes.
var translated struct {
	sync.RWMutex
	m map[string]string
}

// tr translates a ProcLab string; with args, the translation is a
// fmt format and the args fill it in.
func tr(key string, args ...any) string {
	translated.RLock()
	s, ok := translated.m[key]
	translated.RUnlock()
	if !ok {
		s = lang.L(key)
		translated.Lock()
		if translated.m == nil {
			translated.m = map[string]string{}
		}
		translated.m[key] = s
		translated.Unlock()
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// uiLanguage is "zh" when ProcLab speaks Chinese and "en" otherwise: the
// key of a lesson's bilingual texts.
func uiLanguage() string {
	return lang.X("proclab.language", "en")
}

// applyLanguage makes code ("en", "zh", or "" for the system's locale) the
// language of every string translated from now on.
//
// Fyne chooses the language from the locale environment whenever
// translations are added, and has no other way to choose it. So for an
// explicit choice the locale variables are set just for that moment and
// put back at once; children started meanwhile would only see another
// LC_ALL, which workers ignore.
func applyLanguage(code string) {
	languageMu.Lock()
	defer languageMu.Unlock()
	loadTranslations.Do(func() {
		if err := lang.AddTranslationsFS(translations, "translations"); err != nil {
			fyne.LogError("ProcLab's translations", err) // embedded: the tests catch this
		}
	})
	locale := ""
	for _, l := range languages {
		if l.code == code {
			locale = l.locale
		}
	}
	if locale != "" {
		defer restoreEnv("LC_ALL")()
		defer restoreEnv("LANGUAGE")()
		os.Setenv("LC_ALL", locale)
		os.Unsetenv("LANGUAGE")
	}
	// Adding an empty English file changes no text; it makes Fyne read the
	// locale again.
	_ = lang.AddTranslationsForLocale([]byte("{}"), "en")
	translated.Lock()
	translated.m = nil
	translated.Unlock()
}

// restoreEnv returns a function that puts an environment variable back as
// it is now.
func restoreEnv(key string) func() {
	old, was := os.LookupEnv(key)
	return func() {
		if was {
			os.Setenv(key, old)
		} else {
			os.Unsetenv(key)
		}
	}
}

// msg marks a string to translate later, where it is shown (gettext's N_):
// the tests check that every marked string has its translations.
func msg(key string) string { return key }

// mainWord says what main is doing, in the current language.
func mainWord(m procs.MainState) string {
	switch m.Phase {
	case procs.MainJoining:
		if m.Joining != nil {
			return tr("blocked in %s.join()", m.Joining.Var())
		}
		return tr("blocked in join()")
	case procs.MainEnding:
		return tr("ending")
	case procs.MainEnded:
		return tr("ended")
	}
	return tr("running")
}

// stateWords translate the operating system's process states (procs.StateName).
var stateWords = map[string]string{
	"running": msg("running"), "sleeping": msg("sleeping"), "disk wait": msg("disk wait"),
	"zombie": msg("zombie"), "stopped": msg("stopped"), "idle": msg("idle"), "dead": msg("dead"), "unknown": msg("unknown"),
}

// stateWord spells out a one-letter process state in the current language.
func stateWord(state byte) string {
	name := procs.StateName(state)
	if key, ok := stateWords[name]; ok {
		return tr(key)
	}
	return name
}
