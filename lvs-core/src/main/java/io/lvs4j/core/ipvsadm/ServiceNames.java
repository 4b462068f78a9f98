package io.lvs4j.core.ipvsadm;

import java.util.HashMap;
import java.util.Map;

/**
 * A small built-in copy of common {@code /etc/services} entries (Debian netbase), used where
 * ipvsadm calls {@code getservbyport}/{@code getservbyname}: port names in listings without
 * {@code -n}, and names accepted in place of port numbers on input. lvs4j does not read the host's
 * {@code /etc/services}, so the same text comes out on every machine.
 */
final class ServiceNames {
    static final int TCP = 6;
    static final int UDP = 17;

    private static final Map<Integer, String> TCP_NAMES = new HashMap<>();
    private static final Map<Integer, String> UDP_NAMES = new HashMap<>();
    private static final Map<String, Integer> TCP_PORTS = new HashMap<>();
    private static final Map<String, Integer> UDP_PORTS = new HashMap<>();

    static {
        tcp(20, "ftp-data");
        tcp(21, "ftp");
        tcp(22, "ssh");
        tcp(23, "telnet");
        tcp(25, "smtp", "mail");
        both(53, "domain");
        udp(67, "bootps");
        udp(68, "bootpc");
        udp(69, "tftp");
        tcp(80, "http", "www");
        both(88, "kerberos", "kerberos5", "krb5", "kerberos-sec");
        tcp(110, "pop3", "pop-3");
        both(111, "sunrpc", "portmapper");
        tcp(119, "nntp", "readnews", "untp");
        udp(123, "ntp");
        tcp(143, "imap2", "imap");
        both(161, "snmp");
        both(162, "snmp-trap", "snmptrap");
        tcp(179, "bgp");
        both(389, "ldap");
        both(443, "https");
        tcp(445, "microsoft-ds");
        tcp(465, "submissions", "ssmtp", "smtps", "urd");
        udp(500, "isakmp");
        udp(514, "syslog");
        tcp(587, "submission");
        both(636, "ldaps");
        tcp(873, "rsync");
        tcp(993, "imaps");
        tcp(995, "pop3s");
        both(1194, "openvpn");
        both(1812, "radius");
        both(1813, "radius-acct", "radacct");
        tcp(3306, "mysql");
        tcp(3389, "ms-wbt-server");
        both(5060, "sip");
        tcp(5222, "xmpp-client", "jabber-client");
        tcp(5432, "postgresql", "postgres");
        tcp(6379, "redis");
        tcp(8080, "http-alt", "webcache");
    }

    private ServiceNames() {
    }

    private static void tcp(int port, String name, String... aliases) {
        add(TCP_NAMES, TCP_PORTS, port, name, aliases);
    }

    private static void udp(int port, String name, String... aliases) {
        add(UDP_NAMES, UDP_PORTS, port, name, aliases);
    }

    private static void both(int port, String name, String... aliases) {
        tcp(port, name, aliases);
        udp(port, name, aliases);
    }

    private static void add(Map<Integer, String> names, Map<String, Integer> ports, int port, String name,
                            String... aliases) {
        names.put(port, name);
        ports.put(name, port);
        for (String a : aliases) {
            ports.put(a, port);
        }
    }

    /** {@code getservbyport}: the name of {@code port} for protocol number 6 (TCP) or 17 (UDP), else null. */
    static String name(int port, int protocol) {
        return switch (protocol) {
            case TCP -> TCP_NAMES.get(port);
            case UDP -> UDP_NAMES.get(port);
            default -> null;
        };
    }

    /** {@code getservbyname}: the port named {@code name} (or an alias) for TCP or UDP, else -1. */
    static int port(String name, int protocol) {
        Integer p = switch (protocol) {
            case TCP -> TCP_PORTS.get(name);
            case UDP -> UDP_PORTS.get(name);
            default -> null;
        };
        return p == null ? -1 : p;
    }
}
