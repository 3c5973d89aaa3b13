// Package quietlocale keeps Fyne from logging "Error parsing user locale C"
// on a machine whose locale is C.UTF-8 (Debian's default in containers):
// the library Fyne asks takes "C" of "C.UTF-8" for a language, and Fyne
// asks while its packages initialise, before main runs. Import it, for its
// init only, from a main package.
//
// Go initialises packages in import-path order as soon as their imports
// are ready, so this package, which needs only os and strings, runs its
// init before fyne.io/fyne/v2/lang, which needs text/template.
package quietlocale

import (
	"os"
	"strings"
)

// When the locale names no language, ProcLab says English through
// LANGUAGE, which is what the C locale means and which gettext ignores
// under C, so the children ProcLab starts behave as before.
func init() {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	for _, env := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(env)
		if v == "" {
			continue
		}
		lang, _, _ := strings.Cut(v, ".")
		lang, _, _ = strings.Cut(lang, "@")
		if lang == "C" || lang == "POSIX" {
			os.Setenv("LANGUAGE", "en")
		}
		return
	}
}
