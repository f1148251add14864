package feeds

import (
	"errors"
	"fmt"
	"net/netip"
	"syscall"
)

// ErrPrivateAddress is returned when a fetch would connect to an address
// that is not on the public internet.
var ErrPrivateAddress = errors.New("feeds: refusing to connect to a private, loopback, link-local or metadata address (set poll.allow_private_networks: true for feeds on localhost/LAN)")

// blockedPrefixes lists ranges beyond what netip's predicates already
// cover. Read-only after init.
var blockedPrefixes = [...]netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),         // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),     // CGNAT
	netip.MustParsePrefix("192.0.0.0/24"),      // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),     // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),       // reserved, incl. broadcast
	netip.MustParsePrefix("64:ff9b::/96"),      // NAT64 can reach private IPv4
	netip.MustParsePrefix("64:ff9b:1::/48"),    // local-use NAT64
	netip.MustParsePrefix("fd00:ec2::254/128"), // AWS IMDS over IPv6 (also ULA, listed for clarity)
}

// PublicAddress reports whether ip is a routable public address a feed may
// live on. Cloud metadata (169.254.169.254, fd00:ec2::254) falls under
// link-local and ULA.
func PublicAddress(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() ||
		ip.IsUnspecified() {
		return false
	}
	for _, p := range blockedPrefixes {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// dialControl returns a net.Dialer Control hook. It runs after DNS
// resolution, on the exact address about to be dialled, so redirects and DNS
// rebinding cannot slip past it. allowed decides per address and port.
func dialControl(allowed func(netip.AddrPort) bool) func(string, string, syscall.RawConn) error {
	return func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("feeds: dial %s: %w", address, err)
		}
		if !allowed(ap) {
			return fmt.Errorf("%w: %s", ErrPrivateAddress, ap.Addr())
		}
		return nil
	}
}

func publicAddrPort(ap netip.AddrPort) bool { return PublicAddress(ap.Addr()) }
