//go:build !linux

package main

import "net"

// peerAllowed relies on the socket file's mode (0600) where peer
// credentials are not read.
func peerAllowed(net.Conn) error { return nil }
