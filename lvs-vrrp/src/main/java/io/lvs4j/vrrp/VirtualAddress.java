package io.lvs4j.vrrp;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code virtual_ipaddress} entry: an address, its prefix length and an optional device
 * ({@code dev}) when it is not the instance's interface. Immutable.
 *
 * @param address      the virtual address (IPv4 or IPv6)
 * @param prefixLength 0..32 for IPv4, 0..128 for IPv6; keepalived's default is the full length
 * @param device       the interface to add it on, if not the instance's own interface
 */
public record VirtualAddress(InetAddress address, int prefixLength, Optional<String> device) {

    public VirtualAddress {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(device, "device");
        int max = IpLiterals.isIpv6(address) ? 128 : 32;
        if (prefixLength < 0 || prefixLength > max) {
            throw new VrrpConfigException("virtual_ipaddress " + IpLiterals.format(address) + ": prefix length "
                    + prefixLength + " is out of range; accepted 0.." + max);
        }
        if (device.isPresent() && device.get().isBlank()) {
            throw new VrrpConfigException("virtual_ipaddress " + IpLiterals.format(address)
                    + ": 'dev' needs an interface name");
        }
    }

    /** The address with its full prefix length (/32 or /128) on the instance's interface. */
    public static VirtualAddress of(InetAddress address) {
        return new VirtualAddress(address, IpLiterals.isIpv6(address) ? 128 : 32, Optional.empty());
    }

    /** The address with the given prefix length on the instance's interface. */
    public static VirtualAddress of(InetAddress address, int prefixLength) {
        return new VirtualAddress(address, prefixLength, Optional.empty());
    }

    /**
     * Parses keepalived's {@code <address>[/<len>] [dev <ifname>]}, e.g.
     * {@code "192.168.200.16/24 dev eth0"}. Other keepalived address options are rejected.
     */
    public static VirtualAddress parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        String[] tokens = spec.strip().split("\\s+");
        if (tokens.length == 0 || tokens[0].isEmpty()) {
            throw new VrrpConfigException("virtual_ipaddress: empty entry; accepted '<address>[/<len>] [dev <ifname>]'");
        }
        String addr = tokens[0];
        Integer prefix = null;
        int slash = addr.indexOf('/');
        if (slash >= 0) {
            String len = addr.substring(slash + 1);
            addr = addr.substring(0, slash);
            try {
                prefix = Integer.parseInt(len);
            } catch (NumberFormatException e) {
                throw new VrrpConfigException("virtual_ipaddress '" + spec + "': prefix length '" + len
                        + "' is not a number");
            }
        }
        InetAddress address = IpLiterals.parse(addr, "virtual_ipaddress '" + spec + "'");
        Optional<String> dev = Optional.empty();
        int i = 1;
        while (i < tokens.length) {
            if (tokens[i].equals("dev") && i + 1 < tokens.length) {
                dev = Optional.of(tokens[i + 1]);
                i += 2;
            } else {
                throw new VrrpConfigException("virtual_ipaddress '" + spec + "': unsupported option '" + tokens[i]
                        + "'; accepted '<address>[/<len>] [dev <ifname>]'");
            }
        }
        int len = prefix != null ? prefix : (IpLiterals.isIpv6(address) ? 128 : 32);
        return new VirtualAddress(address, len, dev);
    }

    /** Whether this is an IPv6 address. */
    public boolean isIpv6() {
        return IpLiterals.isIpv6(address);
    }

    @Override
    public String toString() {
        return IpLiterals.format(address) + "/" + prefixLength + device.map(d -> " dev " + d).orElse("");
    }
}
