//go:build !linux

package pyhook

import (
	"errors"
	"net"
)

// peerPid needs Linux's SO_PEERCRED; the hook runs on Linux only.
func peerPid(*net.UnixConn) (int, error) {
	return 0, errors.New("the Python hook needs Linux")
}
