package io.lvs4j.forwarder;

import io.lvs4j.vrrp.conf.ConfigDiagnostics;
import io.lvs4j.vrrp.conf.ConfigNode;
import io.lvs4j.vrrp.conf.ConfigValues;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The {@code virtual_server_group} blocks of a configuration (spec keepalived.md §2.2; keepalived's
 * {@code alloc_vsg_entry}): each line is {@code IP [PORT]}, {@code IP-RANGE [PORT]} or {@code fwmark N
 * [inet|inet6]}, where a range is {@code 192.168.200.1-10} (last octet, or last 16-bit group for IPv6),
 * {@code 192.168.200.250-192.168.201.10} (first to last) or {@code 192.168.202.8/29} (the whole block,
 * whose host bits must be zero). A port of 0, or none, means no port. {@link #expand} turns a group into
 * one address and port per member, for the forwarder makes one IPVS service of each; firewall-mark
 * members are errors there, since user space cannot receive marked packets. Not thread-safe.
 */
final class VirtualServerGroups {
    /** The most addresses one group line may expand to. */
    static final int MAX_RANGE = 1024;

    /** A member line: a range of addresses with a port, or a firewall mark. */
    record Entry(ConfigNode node, InetAddress first, InetAddress last, int port, long fwmark) {
        boolean isFwmark() {
            return first == null;
        }
    }

    /** A group: its name, its block and its members in order. */
    record Group(String name, ConfigNode node, List<Entry> entries) {
    }

    /** One virtual address and port a group stands for, with the line it came from. */
    record Member(InetAddress address, int port, ConfigNode node) {
    }

    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final ConfigDiagnostics out;

    VirtualServerGroups(ConfigDiagnostics out) {
        this.out = out;
    }

    /** Reads one {@code virtual_server_group NAME { ... }} block. */
    void read(ConfigNode block) {
        if (block.args().isEmpty()) {
            out.error(block, "virtual_server_group has no name - ignoring");
            return;
        }
        String name = block.args().get(0);
        if (block.args().size() > 1) {
            out.warning(block, "virtual_server_group " + name + ": extra words '"
                    + String.join(" ", block.args().subList(1, block.args().size())) + "' - ignoring");
        }
        if (groups.containsKey(name)) {
            out.error(block, "virtual_server_group " + name + " is already defined at "
                    + groups.get(name).node().location() + " - ignoring this one");
            return;
        }
        List<Entry> entries = new ArrayList<>();
        for (ConfigNode line : block.children()) {
            Entry e = entry(name, line);
            if (e != null) {
                entries.add(e);
            }
        }
        if (entries.isEmpty()) {
            out.warning(block, "virtual server group " + name + " has no entries - removing");
            return;
        }
        groups.put(name, new Group(name, block, entries));
    }

    /** The group called {@code name}, or null. */
    Group group(String name) {
        return groups.get(name);
    }

    private Entry entry(String group, ConfigNode line) {
        if (line.block()) {
            out.error(line, "(" + group + "): a block is not a virtual_server_group entry - ignoring");
            return null;
        }
        if (line.keyword().equals("fwmark")) {
            OptionalLong mark = ConfigValues.integer(line, 0, 4_294_967_295L, out);
            if (mark.isEmpty()) {
                return null;
            }
            if (line.args().size() > 1 && !line.args().get(1).equals("inet") && !line.args().get(1).equals("inet6")) {
                out.error(line, "(" + group + "): fwmark '" + mark.getAsLong() + "' family " + line.args().get(1)
                        + " unknown - ignoring");
                return null;
            }
            return new Entry(line, null, null, 0, mark.getAsLong());
        }
        String spec = line.keyword();
        int port = 0;
        if (!line.args().isEmpty()) {
            String p = line.args().get(0);
            if (!p.chars().allMatch(ch -> ch == '0')) {
                port = port(p);
                if (port < 0) {
                    out.error(line, "Invalid virtual server group IP address " + spec + " /port/" + p + " - skipping");
                    return null;
                }
            }
            if (line.args().size() > 1) {
                out.warning(line, "(" + group + "): extra words '"
                        + String.join(" ", line.args().subList(1, line.args().size())) + "' - ignoring");
            }
        }
        int slash = spec.indexOf('/');
        if (slash >= 0) {
            InetAddress base = IpAddresses.parse(spec.substring(0, slash));
            if (base == null) {
                out.error(line, "Invalid virtual server group IP address " + spec + " - skipping");
                return null;
            }
            int bits = base.getAddress().length * 8;
            String m = spec.substring(slash + 1);
            int mask = m.isEmpty() || m.length() > 3 || !m.chars().allMatch(Character::isDigit) ? -1 : Integer.parseInt(m);
            if (mask <= 0 || mask > bits) {
                out.error(line, "Invalid netmask - " + spec + " - skipping");
                return null;
            }
            BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - mask).subtract(BigInteger.ONE);
            BigInteger value = IpAddresses.toInteger(base);
            if (value.and(hostMask).signum() != 0) {
                out.error(line, "Address mask bits not empty - " + spec + " - skipping");
                return null;
            }
            return bounded(line, base, IpAddresses.fromInteger(value.or(hostMask), base), port);
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            InetAddress a = IpAddresses.parse(spec);
            if (a == null) {
                out.error(line, "Invalid virtual server group IP address " + spec + " - skipping");
                return null;
            }
            return new Entry(line, a, a, port, 0);
        }
        InetAddress first = IpAddresses.parse(spec.substring(0, dash));
        String end = spec.substring(dash + 1);
        if (first == null) {
            out.error(line, "Invalid virtual server group IP address " + spec + " - skipping");
            return null;
        }
        boolean v4 = first instanceof Inet4Address;
        if ((v4 && end.indexOf('.') >= 0) || (!v4 && end.indexOf(':') >= 0)) {
            InetAddress last = IpAddresses.parse(end);
            if (last == null) {
                out.error(line, "Invalid range end " + spec + " - skipping");
                return null;
            }
            if ((last instanceof Inet4Address) != v4) {
                out.error(line, "Range address families do not match " + spec + " - skipping");
                return null;
            }
            if (IpAddresses.toInteger(first).compareTo(IpAddresses.toInteger(last)) > 0) {
                out.error(line, "Address range end is less than address range start - " + spec + " - skipping");
                return null;
            }
            return bounded(line, first, last, port);
        }
        // a.b.c.d-N: the last octet (IPv4, decimal) or the last 16-bit group (IPv6, hex) runs up to N.
        long n;
        try {
            n = v4 ? Long.parseLong(end) : Long.parseLong(end, 16);
        } catch (NumberFormatException e) {
            n = -1;
        }
        long limit = v4 ? 255 : 0xffff;
        if (n < 0 || n > limit) {
            out.error(line, "Invalid virtual server group IP address range " + spec + " - skipping");
            return null;
        }
        byte[] b = first.getAddress();
        long start = v4 ? (b[3] & 0xff) : (((b[14] & 0xff) << 8) | (b[15] & 0xff));
        if (start >= n) {
            out.error(line, "Address range end is not greater than address range start - " + spec + " - skipping");
            return null;
        }
        if (v4) {
            b[3] = (byte) n;
        } else {
            b[14] = (byte) (n >> 8);
            b[15] = (byte) n;
        }
        InetAddress last;
        try {
            last = InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        return bounded(line, first, last, port);
    }

    private Entry bounded(ConfigNode line, InetAddress first, InetAddress last, int port) {
        BigInteger count = IpAddresses.count(first, last);
        if (count.compareTo(BigInteger.valueOf(MAX_RANGE)) > 0) {
            out.error(line, "virtual server group range " + line.keyword() + " holds " + count
                    + " addresses; the forwarder makes one service per address and accepts at most " + MAX_RANGE
                    + " per line - skipping");
            return null;
        }
        return new Entry(line, first, last, port, 0);
    }

    private static int port(String p) {
        if (p.isEmpty() || p.length() > 5 || !p.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int v = Integer.parseInt(p);
        return v >= 1 && v <= 65535 ? v : -1;
    }

    /**
     * The addresses and ports {@code group} stands for, in order; firewall-mark members are reported as errors
     * at their line (naming the {@code virtual_server} that uses the group) and left out.
     */
    List<Member> expand(Group group, ConfigNode user) {
        List<Member> members = new ArrayList<>();
        for (Entry e : group.entries()) {
            if (e.isFwmark()) {
                out.error(e.node(), "virtual_server_group " + group.name() + ": fwmark " + e.fwmark()
                        + " (used by the virtual_server at " + user.location() + "): firewall-mark services need the"
                        + " kernel's IPVS; the user-space forwarder cannot serve them - ignoring this member");
                continue;
            }
            for (InetAddress a : IpAddresses.range(e.first(), e.last())) {
                members.add(new Member(a, e.port(), e.node()));
            }
        }
        return members;
    }
}
