//go:build !linux

package pyhook

import (
	"errors"
	"net"
	"os"
)

// The hook runs on Linux only.

func peerPid(*net.UnixConn) (int, error) {
	return 0, errors.New("the Python hook needs Linux")
}

func unixRightsSpace(n int) int { return 64 }

func receivedFiles([]byte) ([]*os.File, error) { return nil, nil }
