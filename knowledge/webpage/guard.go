package webpage

import (
	"net/netip"
)

// nonPublic lists address ranges a server that fetches user-given URLs
// must never reach, beyond what netip.Addr's own tests cover (loopback,
// private, link-local, multicast, unspecified): shared address space
// (carrier-grade NAT, where some clouds put their metadata service),
// "this network", IETF protocol assignments, documentation, benchmarking
// and reserved ranges, and IPv6 translation, discard and documentation
// prefixes that can lead back to them.
func nonPublic() []netip.Prefix {
	return []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/8"),
		netip.MustParsePrefix("100.64.0.0/10"),
		netip.MustParsePrefix("192.0.0.0/24"),
		netip.MustParsePrefix("192.0.2.0/24"),
		netip.MustParsePrefix("192.88.99.0/24"),
		netip.MustParsePrefix("198.18.0.0/15"),
		netip.MustParsePrefix("198.51.100.0/24"),
		netip.MustParsePrefix("203.0.113.0/24"),
		netip.MustParsePrefix("240.0.0.0/4"),
		netip.MustParsePrefix("64:ff9b::/96"),
		netip.MustParsePrefix("64:ff9b:1::/48"),
		netip.MustParsePrefix("100::/64"),
		netip.MustParsePrefix("2001::/23"),
		netip.MustParsePrefix("2001:db8::/32"),
		netip.MustParsePrefix("2002::/16"),
		netip.MustParsePrefix("3fff::/20"),
		netip.MustParsePrefix("5f00::/16"),
	}
}

// Public reports whether a is an address on the public internet: not
// loopback, private, link-local (which holds the cloud metadata address
// 169.254.169.254), multicast, unspecified, shared (CGNAT), reserved or
// documentation space, nor an IPv4-mapped or translated form of one.
func Public(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.Zone() != "" {
		return false
	}
	if a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() {
		return false
	}
	if a.Is4() && a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return false
	}
	for _, p := range nonPublic() {
		if p.Contains(a) {
			return false
		}
	}
	return true
}
