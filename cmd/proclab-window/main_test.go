package main

import (
	"os"
	"strings"
	"testing"
)

// Started by hand, the window binary refuses what it would otherwise
// ignore or panic on, and says what to run instead.
func TestTheWindowBinarySaysWhatItCannotDo(t *testing.T) {
	args := os.Args
	defer func() { os.Args = args }()
	for _, tc := range []struct {
		args    []string
		display string
		want    string
	}{
		{[]string{"proclab-window", "--hz", "5"}, ":0", `takes no options ("--hz"): run proclab --hz 5 instead`},
		{[]string{"proclab-window"}, "", "DISPLAY is not set"},
		{[]string{"proclab-window"}, ":nonsense", "is not a display name"},
	} {
		os.Args = tc.args
		t.Setenv("DISPLAY", tc.display)
		var stderr strings.Builder
		if code := run(&stderr); code != 2 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%q with DISPLAY=%q: exit %d, %q; want 2 and %q", tc.args, tc.display, code, stderr.String(), tc.want)
		}
	}
}
