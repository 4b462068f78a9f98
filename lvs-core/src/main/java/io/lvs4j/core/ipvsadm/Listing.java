package io.lvs4j.core.ipvsadm;

import io.lvs4j.core.Addresses;
import io.lvs4j.core.Connection;
import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.Protocol;
import io.lvs4j.core.RateSnapshot;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.SchedulerFlags;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.core.StatsSnapshot;
import io.lvs4j.core.TimeoutSettings;
import io.lvs4j.core.VirtualService;
import io.lvs4j.core.ipvsadm.IpvsadmCommand.ListFlag;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * ipvsadm 1.31's text for a table: {@code -L} in all its forms, {@code -L -c}, {@code -L --timeout}
 * and {@code -S}, byte for byte (column widths, trailing blanks, truncation, number abbreviation).
 *
 * <p>Without {@code -n} ipvsadm resolves names; lvs4j does no DNS, so addresses stay numeric and
 * only ports are named, from {@link ServiceNames} (e.g. {@code 10.0.0.1:http}).
 */
final class Listing {
    static final String VERSION_LINE_PREFIX = "IP Virtual Server version 1.2.1 (size=";

    private static final String TITLE = "Prot LocalAddress:Port Scheduler Flags\n"
            + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
    private static final String TITLE_TUN_INFO = "Prot LocalAddress:Port Scheduler Flags\n"
            + "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n";
    private static final String ADDRESS_TITLE = "Prot LocalAddress:Port";
    private static final String REMOTE_TITLE = "  -> RemoteAddress:Port\n";

    private final IpvsTable table;
    private final boolean numeric;
    private final boolean rule;
    private final boolean stats;
    private final boolean rate;
    private final boolean thresholds;
    private final boolean persistentConn;
    private final boolean nosort;
    private final boolean exact;
    private final boolean tunInfo;

    private Listing(IpvsTable table, Set<ListFlag> flags, boolean rule) {
        this.table = table;
        this.rule = rule;
        this.numeric = flags.contains(ListFlag.NUMERIC);
        this.stats = flags.contains(ListFlag.STATS);
        this.rate = flags.contains(ListFlag.RATE);
        this.thresholds = flags.contains(ListFlag.THRESHOLDS);
        this.persistentConn = flags.contains(ListFlag.PERSISTENT_CONN);
        this.nosort = flags.contains(ListFlag.NOSORT);
        this.exact = flags.contains(ListFlag.EXACT);
        this.tunInfo = flags.contains(ListFlag.TUN_INFO);
    }

    /** A listing ({@code -L}) with these output options. */
    static Listing list(IpvsTable table, Set<ListFlag> flags) {
        return new Listing(table, flags, false);
    }

    /** The save format ({@code -S}); only {@link ListFlag#NUMERIC} matters. */
    static Listing save(IpvsTable table, Set<ListFlag> flags) {
        Set<ListFlag> numeric = flags.contains(ListFlag.NUMERIC)
                ? EnumSet.of(ListFlag.NUMERIC) : EnumSet.noneOf(ListFlag.class);
        return new Listing(table, numeric, true);
    }

    /** {@code -L}: the version header (not for {@code -S}), the title and every service. */
    String all() {
        StringBuilder sb = new StringBuilder();
        if (!rule) {
            sb.append(VERSION_LINE_PREFIX).append(table.options().connTabSize()).append(")\n");
        }
        List<VirtualService> services = table.services();
        if (!nosort) {
            services = EntryOrder.sorted(services, EntryOrder::compareServices);
        }
        title(sb);
        for (VirtualService svc : services) {
            service(sb, svc);
        }
        return sb.toString();
    }

    /** {@code -L -t addr:port}: the title and that one service (no version header). */
    String one(VirtualService svc) {
        StringBuilder sb = new StringBuilder();
        title(sb);
        service(sb, svc);
        return sb.toString();
    }

    /** {@code -L --timeout}. */
    static String timeouts(TimeoutSettings t) {
        return "Timeout (tcp tcpfin udp): " + t.tcp() + " " + t.tcpFin() + " " + t.udp() + "\n";
    }

    private void title(StringBuilder sb) {
        if (stats) {
            sb.append(String.format(Locale.ROOT, "%-33s %8s %8s %8s %8s %8s", ADDRESS_TITLE,
                    "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes")).append('\n');
            sb.append(REMOTE_TITLE);
        } else if (rate) {
            sb.append(String.format(Locale.ROOT, "%-33s %8s %8s %8s %8s %8s", ADDRESS_TITLE,
                    "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS")).append('\n');
            sb.append(REMOTE_TITLE);
        } else if (thresholds) {
            sb.append(String.format(Locale.ROOT, "%-33s %-10s %-10s %-10s %-10s", ADDRESS_TITLE,
                    "Uthreshold", "Lthreshold", "ActiveConn", "InActConn")).append('\n');
            sb.append(REMOTE_TITLE);
        } else if (persistentConn) {
            sb.append(String.format(Locale.ROOT, "%-33s %-9s %-11s %-10s %-10s", ADDRESS_TITLE,
                    "Weight", "PersistConn", "ActiveConn", "InActConn")).append('\n');
            sb.append(REMOTE_TITLE);
        } else if (tunInfo) {
            sb.append(TITLE_TUN_INFO);
        } else if (!rule) {
            sb.append(TITLE);
        }
    }

    private void service(StringBuilder sb, VirtualService svc) {
        ServiceKey key = svc.key();
        ServiceOptions o = svc.options();
        int proto = key.isFwmark() ? 0 : key.protocol().number();
        String svcName = serviceName(key, proto);
        if (rule) {
            sb.append("-A ").append(svcName).append(" -s ").append(o.scheduler());
            if (o.persistent()) {
                sb.append(" -p ").append(o.persistenceTimeout());
                String mask = maskText(key, o);
                if (mask != null) {
                    sb.append(" -M ").append(mask);
                }
            }
            if (o.onePacket()) {
                sb.append(" -o");
            }
            if ((o.schedulerFlags() & SchedulerFlags.ALL) != 0) {
                sb.append(" -b ").append(schedulerFlags(o));
            }
        } else if (stats) {
            StatsSnapshot s = svc.stats().snapshot();
            sb.append(pad(svcName, 33)).append(largeNumber(s.conns(), exact)).append(largeNumber(s.inPackets(), exact))
                    .append(largeNumber(s.outPackets(), exact)).append(largeNumber(s.inBytes(), exact))
                    .append(largeNumber(s.outBytes(), exact));
        } else if (rate) {
            sb.append(pad(svcName, 33)).append(serviceRates(svc.stats().rates(), exact));
        } else {
            sb.append(svcName).append(' ').append(o.scheduler());
            if ((o.schedulerFlags() & SchedulerFlags.ALL) != 0) {
                sb.append(" (").append(schedulerFlags(o)).append(')');
            }
            if (o.persistent()) {
                sb.append(" persistent ").append(o.persistenceTimeout());
                String mask = maskText(key, o);
                if (mask != null) {
                    sb.append(" mask ").append(mask);
                }
            }
            if (o.onePacket()) {
                sb.append(" ops");
            }
        }
        sb.append('\n');

        List<RealServer> servers = svc.realServers();
        if (!nosort) {
            servers = EntryOrder.sorted(servers, EntryOrder::compareServers);
        }
        for (RealServer d : servers) {
            String dname = addressPort(d.address(), d.port(), proto);
            if (!rule && !(d.address() instanceof Inet6Address) && dname.length() > 28) {
                dname = dname.substring(0, 28);
            }
            if (rule) {
                sb.append("-a ").append(svcName).append(" -r ").append(dname).append(' ')
                        .append(d.options().forwarding().saveOption()).append(" -w ").append(d.options().weight());
                if (d.options().forwarding() == ForwardingMethod.TUNNEL) {
                    sb.append(" --tun-type ipip");
                }
                sb.append('\n');
            } else if (stats) {
                StatsSnapshot s = d.stats().snapshot();
                sb.append("  -> ").append(pad(dname, 28)).append(largeNumber(s.conns(), exact))
                        .append(largeNumber(s.inPackets(), exact)).append(largeNumber(s.outPackets(), exact))
                        .append(largeNumber(s.inBytes(), exact)).append(largeNumber(s.outBytes(), exact)).append('\n');
            } else if (rate) {
                sb.append("  -> ").append(pad(dname, 28)).append(serverRates(d.stats().rates(), exact)).append('\n');
            } else if (thresholds) {
                sb.append("  -> ").append(pad(dname, 28))
                        .append(' ').append(pad(unsigned(d.options().upperThreshold()), 10))
                        .append(' ').append(pad(unsigned(d.options().lowerThreshold()), 10))
                        .append(' ').append(pad(unsigned(d.activeConnections()), 10))
                        .append(' ').append(pad(unsigned(d.inactiveConnections()), 10)).append('\n');
            } else if (persistentConn) {
                sb.append("  -> ").append(pad(dname, 28))
                        .append(' ').append(pad(unsigned(d.weight()), 9))
                        .append(' ').append(pad(unsigned(d.persistentConnections()), 11))
                        .append(' ').append(pad(unsigned(d.activeConnections()), 10))
                        .append(' ').append(pad(unsigned(d.inactiveConnections()), 10)).append('\n');
            } else {
                sb.append("  -> ").append(pad(dname, 28))
                        .append(' ').append(pad(d.options().forwarding().label(), 7));
                if (tunInfo) {
                    sb.append(' ').append(pad(d.options().forwarding() == ForwardingMethod.TUNNEL ? "ipip" : "n/a", 13));
                }
                sb.append(' ').append(pad(Integer.toString(d.weight()), 6))
                        .append(' ').append(pad(unsigned(d.activeConnections()), 10))
                        .append(' ').append(pad(unsigned(d.inactiveConnections()), 10)).append('\n');
            }
        }
    }

    /** {@code -L -c}: the connection entries, in the table's own order. */
    String connections() {
        StringBuilder sb = new StringBuilder("IPVS connection entries\n");
        if (persistentConn) {
            sb.append("pro expire ").append(pad("state", 11)).append(' ').append(pad("source", 18)).append(' ')
                    .append(pad("virtual", 18)).append(' ').append(pad("destination", 18)).append(' ')
                    .append(pad("pe name", 16)).append(" pe_data\n");
        } else {
            sb.append("pro expire ").append(pad("state", 11)).append(' ').append(pad("source", 18)).append(' ')
                    .append(pad("virtual", 18)).append(" destination\n");
        }
        for (Connection c : table.connections()) {
            int proto = c.protocol() == Protocol.IP ? 0 : c.protocol().number();
            long millis = Math.max(0, Math.floorDiv(c.expiresInNanos(), 1_000_000L));
            long seconds = millis / 1000;
            String expire = String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
            InetAddress vaddr = c.virtualAddress();
            sb.append(pad(c.protocol().label(), 3)).append(' ').append(pad(expire, 6)).append(' ')
                    .append(pad(c.state().label(), 11)).append(' ')
                    .append(pad(addressPort(c.clientAddress(), c.clientPort(), proto), 18)).append(' ')
                    .append(pad(addressPort(vaddr, c.virtualPort(), proto), 18)).append(' ')
                    .append(addressPort(c.realServer().address(), c.destinationPort(), proto)).append('\n');
        }
        return sb.toString();
    }

    private String serviceName(ServiceKey key, int proto) {
        if (key.isFwmark()) {
            String mark = Integer.toUnsignedString(key.fwmark());
            if (rule) {
                return "-f " + mark + (key.ipv6() ? " -6" : "");
            }
            return "FWM  " + mark + (key.ipv6() ? " IPv6" : "");
        }
        String vname = addressPort(key.address(), key.port(), proto);
        if (rule) {
            String option = switch (key.protocol()) {
                case TCP -> "-t";
                case UDP -> "-u";
                case SCTP -> "--sctp-service";
                default -> "--xxx-service";
            };
            return option + " " + vname;
        }
        String name = pad(key.protocol().label(), 4) + " " + vname;
        if (!key.ipv6() && name.length() > 33) {
            name = name.substring(0, 33);
        }
        return name;
    }

    /** The persistence mask text, or null when it is the full /32 or /128. */
    private static String maskText(ServiceKey key, ServiceOptions o) {
        int m = o.netmask();
        if (m == ServiceOptions.FULL_NETMASK) {
            return null;
        }
        if (key.ipv6()) {
            return m == 128 ? null : Integer.toString(m);
        }
        return (m >>> 24) + "." + ((m >>> 16) & 0xff) + "." + ((m >>> 8) & 0xff) + "." + (m & 0xff);
    }

    /** ipvsadm's print_sched_flags. */
    private static String schedulerFlags(ServiceOptions o) {
        return SchedulerFlags.names(o.scheduler(), o.schedulerFlags());
    }

    /** {@code a.b.c.d:port} or {@code [v6]:port}; without -n the port is named when it has a name. */
    private String addressPort(InetAddress address, int port, int proto) {
        String host = address instanceof Inet6Address ? "[" + Addresses.compactIpv6(address) + "]"
                : address.getHostAddress();
        String portText = null;
        if (!numeric) {
            portText = ServiceNames.name(port, proto);
        }
        return host + ":" + (portText != null ? portText : Integer.toString(port));
    }

    /**
     * ipvsadm's print_largenum: 9 characters; above 8 digits abbreviated to K (thousands), M, G or T
     * (10^12) with the quotient right-aligned in 8; with {@code --exact} the whole number, width 9 or
     * its length + 1.
     */
    static String largeNumber(long value, boolean exact) {
        String digits = Long.toUnsignedString(value);
        if (exact) {
            return padLeft(digits, digits.length() <= 8 ? 9 : digits.length() + 1);
        }
        if (Long.compareUnsigned(value, 100_000_000L) < 0) {
            return padLeft(digits, 9);
        } else if (Long.compareUnsigned(value, 1_000_000_000L) < 0) {
            return padLeft(Long.toUnsignedString(Long.divideUnsigned(value, 1000L)), 8) + "K";
        } else if (Long.compareUnsigned(value, 100_000_000_000L) < 0) {
            return padLeft(Long.toUnsignedString(Long.divideUnsigned(value, 1_000_000L)), 8) + "M";
        } else if (Long.compareUnsigned(value, 100_000_000_000_000L) < 0) {
            return padLeft(Long.toUnsignedString(Long.divideUnsigned(value, 1_000_000_000L)), 8) + "G";
        }
        return padLeft(Long.toUnsignedString(Long.divideUnsigned(value, 1_000_000_000_000L)), 8) + "T";
    }

    /** The five rate fields of a service row: all abbreviated like the counters. */
    static String serviceRates(RateSnapshot r, boolean exact) {
        return largeNumber(r.cps(), exact) + largeNumber(r.inPps(), exact) + largeNumber(r.outPps(), exact)
                + largeNumber(r.inBps(), exact) + largeNumber(r.outBps(), exact);
    }

    /** The five rate fields of a real-server row: CPS, InPPS and OutPPS as plain {@code " %8llu"}, never abbreviated. */
    static String serverRates(RateSnapshot r, boolean exact) {
        return " " + padLeft(Long.toUnsignedString(r.cps()), 8) + " " + padLeft(Long.toUnsignedString(r.inPps()), 8)
                + " " + padLeft(Long.toUnsignedString(r.outPps()), 8)
                + largeNumber(r.inBps(), exact) + largeNumber(r.outBps(), exact);
    }

    private static String unsigned(int v) {
        return Integer.toUnsignedString(v);
    }

    /** printf {@code %-Ns}. */
    static String pad(String s, int width) {
        if (s.length() >= width) {
            return s;
        }
        return s + " ".repeat(width - s.length());
    }

    /** printf {@code %Ns}. */
    static String padLeft(String s, int width) {
        if (s.length() >= width) {
            return s;
        }
        return " ".repeat(width - s.length()) + s;
    }
}
