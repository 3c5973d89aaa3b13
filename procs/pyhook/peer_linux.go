package pyhook

import (
	"net"
	"os"

	"golang.org/x/sys/unix"
)

// peerPid is the pid of the process that connected c, as the kernel saw it.
func peerPid(c *net.UnixConn) (int, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return 0, err
	}
	var cred *unix.Ucred
	var credErr error
	if err := raw.Control(func(fd uintptr) {
		cred, credErr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return 0, err
	}
	if credErr != nil {
		return 0, credErr
	}
	return int(cred.Pid), nil
}

// unixRightsSpace is the room n file descriptors take in a control message.
func unixRightsSpace(n int) int { return unix.CmsgSpace(n * 4) }

// receivedFiles are the file descriptors a control message carried, made
// close-on-exec (no child ProcLab starts may hold a program's pipe) and
// non-blocking (so that closing one ends a read blocked on it, whoever
// holds its write end).
func receivedFiles(oob []byte) ([]*os.File, error) {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return nil, err
	}
	var files []*os.File
	for _, m := range msgs {
		fds, err := unix.ParseUnixRights(&m)
		if err != nil {
			continue
		}
		for _, fd := range fds {
			unix.CloseOnExec(fd)
			_ = unix.SetNonblock(fd, true)
			files = append(files, os.NewFile(uintptr(fd), "python-output"))
		}
	}
	return files, nil
}
