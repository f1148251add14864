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
// cover: special-purpose ranges (IANA's registries) that are not globally
// reachable, and the IPv6 forms that wrap an IPv4 address the guard cannot
// see through (6to4, Teredo, NAT64, IPv4-compatible, IPv4-translated), so
// that no wrapper can smuggle 127.0.0.1 or 10.x past the check. Feeds never
// live on any of them. Read-only after init.
var blockedPrefixes = [...]netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // CGNAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // TEST-NET-1
	netip.MustParsePrefix("192.88.99.0/24"),  // 6to4 relay anycast (deprecated)
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // TEST-NET-2
	netip.MustParsePrefix("203.0.113.0/24"),  // TEST-NET-3
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, incl. broadcast

	netip.MustParsePrefix("::/96"),             // IPv4-compatible (deprecated): [::127.0.0.1]
	netip.MustParsePrefix("::ffff:0:0:0/96"),   // IPv4-translated (SIIT); Unmap does not see through it
	netip.MustParsePrefix("64:ff9b::/96"),      // NAT64 can reach private IPv4
	netip.MustParsePrefix("64:ff9b:1::/48"),    // local-use NAT64
	netip.MustParsePrefix("100::/64"),          // discard-only
	netip.MustParsePrefix("2001::/32"),         // Teredo: wraps an IPv4 address
	netip.MustParsePrefix("2001:2::/48"),       // benchmarking
	netip.MustParsePrefix("2001:10::/28"),      // ORCHID (deprecated)
	netip.MustParsePrefix("2001:db8::/32"),     // documentation
	netip.MustParsePrefix("2002::/16"),         // 6to4: wraps any IPv4 address, private ones included
	netip.MustParsePrefix("3fff::/20"),         // documentation (RFC 9637)
	netip.MustParsePrefix("5f00::/16"),         // SRv6 SIDs, not globally reachable
	netip.MustParsePrefix("fec0::/10"),         // site-local (deprecated), routed like private
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
