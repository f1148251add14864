package main

import (
	"fmt"
	"net"
	"os"
	"syscall"
)

// peerAllowed lets in only the daemon's own user (or root): the socket's
// mode says the same, this holds even in the instant before its chmod.
func peerAllowed(c net.Conn) error {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return nil
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return fmt.Errorf("control: %w", err)
	}
	var cred *syscall.Ucred
	var cerr error
	if err := raw.Control(func(fd uintptr) {
		cred, cerr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil {
		return fmt.Errorf("control: %w", err)
	}
	if cerr != nil {
		return fmt.Errorf("control: peer credentials: %w", cerr)
	}
	if cred.Uid != uint32(os.Getuid()) && cred.Uid != 0 {
		return fmt.Errorf("control: user %d may not use this daemon's socket", cred.Uid)
	}
	return nil
}
