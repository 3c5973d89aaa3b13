package launch

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// NoDisplay says why the window cannot open here, or "" when an X server
// answers at DISPLAY. Fyne's driver would panic instead ("The GLFW library
// is not initialized"), so the window commands ask first.
func NoDisplay() string {
	display := os.Getenv("DISPLAY")
	if display == "" {
		return "no display to open the window on (DISPLAY is not set)"
	}
	network, addr, ok := xAddress(display)
	if !ok {
		return fmt.Sprintf("DISPLAY=%q is not a display name such as :0", display)
	}
	conn, err := net.DialTimeout(network, addr, 2*time.Second)
	if err != nil && network == "unix" {
		// Many X servers listen on an abstract socket only.
		conn, err = net.DialTimeout("unix", "@"+addr, 2*time.Second)
	}
	if err != nil {
		return fmt.Sprintf("no X server answers at DISPLAY=%s", display)
	}
	conn.Close()
	return ""
}

// xAddress turns an X display name ([host]:N[.screen]) into where its
// server listens.
func xAddress(display string) (network, addr string, ok bool) {
	host, rest, found := strings.Cut(display, ":")
	if !found {
		return "", "", false
	}
	number, _, _ := strings.Cut(rest, ".")
	n, err := strconv.Atoi(number)
	if err != nil || n < 0 {
		return "", "", false
	}
	if host == "" || host == "unix" {
		return "unix", "/tmp/.X11-unix/X" + number, true
	}
	if strings.HasPrefix(host, "/") {
		// macOS launchd style: the socket path itself.
		return "unix", display, true
	}
	return "tcp", net.JoinHostPort(host, strconv.Itoa(6000+n)), true
}
