package io.lvs4j.forwarder;

import io.lvs4j.health.CheckSettings;
import io.lvs4j.health.CheckerSpec;
import io.lvs4j.health.CommandLines;
import io.lvs4j.health.ConnectOptions;
import io.lvs4j.health.HttpProtocol;
import io.lvs4j.health.TlsOptions;
import io.lvs4j.health.UrlSpec;
import io.lvs4j.vrrp.conf.ConfigDiagnostics;
import io.lvs4j.vrrp.conf.ConfigNode;
import io.lvs4j.vrrp.conf.ConfigValues;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the checker blocks of a {@code real_server} ({@code TCP_CHECK}, {@code HTTP_GET}, {@code SSL_GET},
 * {@code MISC_CHECK}, {@code UDP_CHECK}, {@code DNS_CHECK}, {@code SMTP_CHECK}) into lvs-health's
 * {@link CheckerSpec}s with keepalived's keywords, defaults and messages (spec keepalived.md §1.2, §1.5-§1.8;
 * keepalived's {@code check_api.c}, {@code check_http.c}, {@code check_misc.c}, ...). Keywords a checker does
 * not have are reported as keepalived reports them ({@code Unknown keyword 'x'}); {@code PING_CHECK},
 * {@code FILE_CHECK} and {@code BFD_CHECK}, which lvs-health does not have, are reported and left out.
 * Not thread-safe: one reader per configuration.
 */
final class CheckerReader {
    /** Checker block keywords keepalived knows. */
    static final Set<String> CHECKERS = Set.of("TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK", "UDP_CHECK",
            "DNS_CHECK", "SMTP_CHECK", "PING_CHECK", "FILE_CHECK", "BFD_CHECK");

    private static final Set<String> DNS_TYPES = Set.of("A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA", "RRSIG",
            "DNSKEY");
    private static final long UINT_MAX = 4_294_967_295L;

    private final ConfigDiagnostics out;

    CheckerReader(ConfigDiagnostics out) {
        this.out = out;
    }

    /** The checkers {@code block} declares (none when keepalived would discard it). */
    List<CheckerSpec> read(ConfigNode block) {
        String type = block.keyword();
        if (!block.args().isEmpty()) {
            out.warning(block, type + " takes no arguments - ignoring '" + String.join(" ", block.args()) + "'");
        }
        return switch (type) {
            case "TCP_CHECK" -> readTcp(block);
            case "HTTP_GET", "SSL_GET" -> readHttp(block, type.equals("SSL_GET"));
            case "MISC_CHECK" -> readMisc(block);
            case "UDP_CHECK" -> readUdp(block);
            case "DNS_CHECK" -> readDns(block);
            case "SMTP_CHECK" -> readSmtp(block);
            default -> {
                out.warning(block, type + " is not supported by lvs4j's health checkers - ignoring this checker"
                        + " (the real server's other checkers still decide whether it is up)");
                yield List.of();
            }
        };
    }

    // ------------------------------------------------------------------ common keywords

    /** Timing keywords of one checker block. */
    private static final class Settings {
        Duration delayLoop;
        Duration connectTimeout;
        Integer retry;
        Duration delayBeforeRetry;
        Duration warmup;
        Boolean alpha;
        Boolean logAllFailures;

        CheckSettings build() {
            return new CheckSettings(delayLoop, connectTimeout, retry, delayBeforeRetry, warmup, alpha, logAllFailures);
        }
    }

    /** Connection keywords of one checker block. */
    private static final class Connection {
        InetAddress connectIp;
        Integer connectPort;
        InetAddress bindTo;
        Integer bindPort;

        Connection copy() {
            Connection c = new Connection();
            c.connectIp = connectIp;
            c.connectPort = connectPort;
            c.bindTo = bindTo;
            c.bindPort = bindPort;
            return c;
        }

        ConnectOptions build() {
            return new ConnectOptions(connectIp, connectPort, bindTo, bindPort);
        }
    }

    /**
     * {@code install_checker_common_keywords}: retry, delay_before_retry, warmup, delay_loop, alpha,
     * log_all_failures, and with {@code connection} the connection keywords. Returns false for any other keyword.
     */
    private boolean common(ConfigNode n, Settings s, Connection c, boolean connection) {
        switch (n.keyword()) {
            case "retry" -> {
                OptionalLong v = ConfigValues.integer(n, 0, Integer.MAX_VALUE, out);
                if (v.isPresent()) {
                    s.retry = (int) v.getAsLong();
                }
                return true;
            }
            case "delay_before_retry" -> {
                ConfigValues.timer(n, 0, Duration.ZERO, null, out).ifPresent(d -> s.delayBeforeRetry = d);
                return true;
            }
            case "warmup" -> {
                ConfigValues.timer(n, 0, Duration.ZERO, null, out).ifPresent(d -> s.warmup = d);
                return true;
            }
            case "delay_loop" -> {
                ConfigValues.timer(n, 0, Duration.ofNanos(1000), null, out).ifPresent(d -> s.delayLoop = d);
                return true;
            }
            case "alpha" -> {
                ConfigValues.bool(n, out).ifPresent(b -> s.alpha = b);
                return true;
            }
            case "log_all_failures" -> {
                ConfigValues.bool(n, out).ifPresent(b -> s.logAllFailures = b);
                return true;
            }
            default -> {
                return connection && connectionKeyword(n, s, c);
            }
        }
    }

    private boolean connectionKeyword(ConfigNode n, Settings s, Connection c) {
        switch (n.keyword()) {
            case "connect_ip" -> {
                InetAddress a = address(n, "connect_ip");
                if (a != null) {
                    if (c.bindTo != null && family(c.bindTo) != family(a)) {
                        out.error(n, "connect_ip address " + n.args().get(0)
                                + " does not match address family of bindto - skipping");
                    } else {
                        c.connectIp = a;
                    }
                }
                return true;
            }
            case "connect_port" -> {
                OptionalLong v = ConfigValues.integer(n, 1, 65535, out);
                if (v.isPresent()) {
                    c.connectPort = (int) v.getAsLong();
                }
                return true;
            }
            case "bindto" -> {
                InetAddress a = address(n, "bindto");
                if (a != null) {
                    if (c.connectIp != null && family(c.connectIp) != family(a)) {
                        out.error(n, "bindto address " + n.args().get(0)
                                + " does not match address family of connect_ip - skipping");
                    } else {
                        c.bindTo = a;
                    }
                }
                return true;
            }
            case "bind_port" -> {
                OptionalLong v = ConfigValues.integer(n, 1, 65535, out);
                if (v.isPresent()) {
                    c.bindPort = (int) v.getAsLong();
                }
                return true;
            }
            case "connect_timeout" -> {
                ConfigValues.timer(n, 0, Duration.ofNanos(1000), Duration.ofSeconds(UINT_MAX), out)
                        .ifPresent(d -> s.connectTimeout = d);
                return true;
            }
            case "bind_if" -> {
                ConfigValues.string(n, out).ifPresent(v -> out.warning(n, "bind_if " + v
                        + " is not supported by lvs4j's checkers - ignoring (the system's routing picks the interface)"));
                return true;
            }
            case "fwmark" -> {
                if (ConfigValues.integer(n, 0, UINT_MAX, out).isPresent()) {
                    out.warning(n, "fwmark (SO_MARK on the checker's socket) is not supported by lvs4j's checkers"
                            + " - ignoring");
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private InetAddress address(ConfigNode n, String what) {
        Optional<String> v = ConfigValues.string(n, out);
        if (v.isEmpty()) {
            return null;
        }
        InetAddress a = IpAddresses.parse(v.get());
        if (a == null) {
            out.error(n, "Invalid " + what + " address " + v.get() + " - ignoring");
        }
        return a;
    }

    private static int family(InetAddress a) {
        return a instanceof Inet6Address ? 6 : 4;
    }

    private void unknown(ConfigNode n) {
        out.warning(n, "Unknown keyword '" + n.keyword() + "'");
    }

    // ------------------------------------------------------------------ TCP_CHECK

    private List<CheckerSpec> readTcp(ConfigNode block) {
        Settings s = new Settings();
        Connection c = new Connection();
        for (ConfigNode n : block.children()) {
            if (!common(n, s, c, true)) {
                unknown(n);
            }
        }
        return List.of(new CheckerSpec.Tcp(s.build(), c.build()));
    }

    // ------------------------------------------------------------------ HTTP_GET / SSL_GET

    private List<CheckerSpec> readHttp(ConfigNode block, boolean ssl) {
        Settings s = new Settings();
        Connection c = new Connection();
        List<UrlSpec> urls = new ArrayList<>();
        HttpProtocol protocol = HttpProtocol.HTTP_1_0;
        String virtualhost = null;
        boolean fastRecovery = false;
        boolean enableSni = false;
        String sniName = null;
        for (ConfigNode n : block.children()) {
            if (common(n, s, c, true)) {
                continue;
            }
            switch (n.keyword()) {
                case "nb_get_retry" -> {
                    out.warning(n, "nb_get_retry is deprecated - please use 'retry'");
                    OptionalLong v = ConfigValues.integer(n, 0, Integer.MAX_VALUE, out);
                    if (v.isPresent()) {
                        s.retry = (int) v.getAsLong();
                    }
                }
                case "virtualhost" -> {
                    if (n.args().isEmpty()) {
                        out.error(n, "HTTP_GET virtualhost name missing");
                    } else {
                        virtualhost = n.args().get(0);
                    }
                }
                case "http_protocol" -> {
                    if (n.args().isEmpty()) {
                        out.error(n, "Missing http_protocol version");
                    } else {
                        try {
                            protocol = HttpProtocol.parse(n.args().get(0));
                        } catch (IllegalArgumentException e) {
                            out.error(n, "Invalid http_protocol version " + n.args().get(0)
                                    + "; accepted: 1.0, 1.0C, 1.1");
                        }
                    }
                }
                case "fast_recovery" -> {
                    Optional<Boolean> b = ConfigValues.bool(n, out);
                    if (b.isPresent()) {
                        fastRecovery = b.get();
                    }
                }
                case "enable_sni" -> {
                    if (!ssl) {
                        unknown(n);
                    } else {
                        Optional<Boolean> b = ConfigValues.bool(n, out);
                        if (b.isPresent()) {
                            enableSni = b.get();
                        }
                    }
                }
                case "sni_name" -> {
                    if (!ssl) {
                        unknown(n);
                    } else if (n.args().isEmpty()) {
                        out.error(n, "sni_name missing");
                    } else {
                        sniName = n.args().get(0);
                    }
                }
                case "tls_compliant" -> {
                    if (!ssl) {
                        unknown(n);
                    } else {
                        ConfigValues.bool(n, out);
                    }
                }
                case "url" -> {
                    UrlSpec url = readUrl(n, ssl);
                    if (url != null) {
                        urls.add(url);
                    }
                }
                default -> unknown(n);
            }
        }
        if (urls.isEmpty()) {
            out.error(block, "HTTP/SSL_GET checker has no urls specified - ignoring");
            return List.of();
        }
        TlsOptions tls = ssl ? new TlsOptions(enableSni, sniName, false, null, false) : TlsOptions.KEEPALIVED;
        return List.of(new CheckerSpec.Http(s.build(), c.build(), ssl, urls, protocol, virtualhost, fastRecovery, tls));
    }

    private UrlSpec readUrl(ConfigNode block, boolean ssl) {
        String path = null;
        byte[] digest = null;
        List<int[]> codes = new ArrayList<>();
        String virtualhost = null;
        String regex = null;
        ConfigNode regexNode = null;
        int regexFlags = 0;
        boolean noMatch = false;
        boolean regexParameters = false;
        for (ConfigNode n : block.children()) {
            switch (n.keyword()) {
                case "path" -> {
                    if (n.args().isEmpty()) {
                        out.error(n, "'path' is missing a parameter at word position 2: expected a URL path");
                    } else {
                        path = n.args().get(0);
                    }
                }
                case "digest" -> {
                    if (n.args().isEmpty()) {
                        out.error(n, "'digest' is missing a parameter at word position 2: expected 32 hex characters");
                    } else if (digest != null) {
                        out.error(n, "Digest '" + n.args().get(0) + "' is a duplicate");
                    } else {
                        digest = digest(n, n.args().get(0));
                    }
                }
                case "status_code" -> {
                    if (n.args().isEmpty()) {
                        out.error(n, "'status_code' is missing a parameter at word position 2: expected N or N-M"
                                + " within 100-599");
                    }
                    for (String word : n.args()) {
                        int[] range = statusRange(word);
                        if (range == null) {
                            out.error(n, "Invalid HTTP_GET status code '" + word + "'; accepted: N or N-M within 100-599");
                        } else {
                            codes.add(range);
                        }
                    }
                }
                case "virtualhost" -> {
                    if (n.args().isEmpty()) {
                        out.error(n, "Missing HTTP_GET virtualhost name");
                    } else {
                        virtualhost = n.args().get(0);
                    }
                }
                case "regex" -> {
                    if (n.args().size() != 1) {
                        out.error(n, "regex missing or too many fields");
                    } else {
                        regex = n.args().get(0);
                        regexNode = n;
                    }
                }
                case "regex_no_match" -> {
                    noMatch = true;
                    regexParameters = true;
                }
                case "regex_options" -> {
                    regexParameters = true;
                    for (String option : n.args()) {
                        switch (option) {
                            case "caseless" -> regexFlags |= Pattern.CASE_INSENSITIVE;
                            case "multiline" -> regexFlags |= Pattern.MULTILINE;
                            case "dotall" -> regexFlags |= Pattern.DOTALL;
                            case "extended" -> regexFlags |= Pattern.COMMENTS;
                            case "ucp" -> regexFlags |= Pattern.UNICODE_CHARACTER_CLASS;
                            case "utf" -> regexFlags |= Pattern.UNICODE_CASE;
                            default -> out.warning(n, "regex option '" + option
                                    + "' has no Java equivalent in lvs4j - ignoring; supported: caseless, multiline,"
                                    + " dotall, extended, ucp, utf");
                        }
                    }
                }
                case "regex_min_offset", "regex_max_offset", "regex_stack" -> {
                    regexParameters = true;
                    out.warning(n, n.keyword() + " is not supported by lvs4j's HTTP checker - ignoring (the whole"
                            + " response is matched)");
                }
                case "tls_compliant" -> {
                    if (!ssl) {
                        unknown(n);
                    } else {
                        ConfigValues.bool(n, out);
                    }
                }
                default -> unknown(n);
            }
        }
        if (path == null) {
            out.error(block, "HTTP/SSL_GET checker url has no path - ignoring");
            return null;
        }
        Pattern pattern = null;
        if (regex != null) {
            try {
                pattern = Pattern.compile(regex, regexFlags);
            } catch (PatternSyntaxException e) {
                out.error(regexNode, "Invalid regex: '" + regex + "' at offset " + Math.max(0, e.getIndex()) + ": "
                        + e.getDescription());
            }
        } else if (regexParameters) {
            out.warning(block, "regex parameters specified without regex");
            noMatch = false;
        }
        return new UrlSpec(path, digest, codes, virtualhost, pattern, pattern != null && noMatch);
    }

    private byte[] digest(ConfigNode n, String hex) {
        if (hex.length() != 32) {
            out.error(n, "digest '" + hex + "' character length should be 32 rather than " + hex.length());
            return null;
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                out.error(n, "Unable to interpret hex digit in '" + hex + "' at offset " + (i & ~1) + "/" + (i | 1));
                return null;
            }
        }
        return HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
    }

    /** {@code N} or {@code N-M} within 100..599, or null. */
    static int[] statusRange(String word) {
        int dash = word.indexOf('-');
        String lo = dash < 0 ? word : word.substring(0, dash);
        String hi = dash < 0 ? word : word.substring(dash + 1);
        if (!digits(lo) || !digits(hi) || lo.length() > 3 || hi.length() > 3) {
            return null;
        }
        int min = Integer.parseInt(lo);
        int max = Integer.parseInt(hi);
        if (min < 100 || max > 599 || min > max) {
            return null;
        }
        return new int[] {min, max};
    }

    private static boolean digits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ MISC_CHECK

    private List<CheckerSpec> readMisc(ConfigNode block) {
        Settings s = new Settings();
        List<String> command = null;
        Duration timeout = null;
        boolean dynamic = false;
        for (ConfigNode n : block.children()) {
            if (common(n, s, null, false)) {
                continue;
            }
            switch (n.keyword()) {
                case "misc_path" -> {
                    String arguments = keywordArguments(n);
                    if (arguments.isEmpty()) {
                        out.error(n, "'misc_path' is missing a parameter at word position 2: expected a script,"
                                + " optionally quoted with its arguments");
                    } else {
                        try {
                            command = CommandLines.scriptArgv(arguments);
                        } catch (IllegalArgumentException e) {
                            out.error(n, "Invalid misc_path " + arguments + ": " + e.getMessage());
                        }
                    }
                }
                case "misc_timeout" -> {
                    Optional<Duration> d = ConfigValues.timer(n, 0, Duration.ofNanos(1000), null, out);
                    if (d.isPresent()) {
                        timeout = d.get();
                    }
                }
                case "misc_dynamic" -> {
                    Optional<Boolean> b = ConfigValues.bool(n, out);
                    if (b.isPresent()) {
                        dynamic = b.get();
                    }
                }
                case "user" -> {
                    if (n.args().isEmpty()) {
                        out.error(n, "No user specified for misc checker script");
                    } else {
                        out.warning(n, "user " + String.join(" ", n.args()) + ": lvs4j runs checker scripts as the"
                                + " forwarder's own user - ignoring");
                    }
                }
                default -> unknown(n);
            }
        }
        if (command == null) {
            out.error(block, "No script path has been specified for MISC_CHECKER - skipping");
            return List.of();
        }
        return List.of(new CheckerSpec.Misc(s.build(), command, timeout, dynamic));
    }

    /** What follows the keyword on its line, as the config lexer left it (quotes kept). */
    static String keywordArguments(ConfigNode n) {
        String text = n.text().stripLeading();
        if (text.startsWith(n.keyword())) {
            return text.substring(n.keyword().length()).strip();
        }
        // The keyword itself was quoted or escaped: fall back to the already split words.
        StringBuilder sb = new StringBuilder();
        for (String a : n.args()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append('"').append(a.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ UDP_CHECK

    private List<CheckerSpec> readUdp(ConfigNode block) {
        Settings s = new Settings();
        Connection c = new Connection();
        byte[] payload = null;
        String requireReply = null;
        int min = 0;
        int max = 255;
        for (ConfigNode n : block.children()) {
            if (common(n, s, c, true)) {
                continue;
            }
            switch (n.keyword()) {
                case "payload" -> {
                    String hex = String.join("", n.args());
                    if (hex.isEmpty() || hex.length() % 2 != 0 || !isHex(hex)) {
                        out.error(n, "Invalid UDP_CHECK payload '" + String.join(" ", n.args())
                                + "'; accepted: an even number of hex digits");
                    } else {
                        payload = HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
                    }
                }
                case "require_reply" -> {
                    String hex = String.join("", n.args());
                    if (!hex.isEmpty() && (hex.length() % 2 != 0 || !isHex(hex.replace('X', '0').replace('x', '0')))) {
                        out.error(n, "Invalid UDP_CHECK require_reply '" + String.join(" ", n.args())
                                + "'; accepted: an even number of hex digits, X for any digit");
                    } else {
                        requireReply = hex;
                    }
                }
                case "min_reply_length" -> {
                    OptionalLong v = ConfigValues.integer(n, 0, 65535, out);
                    if (v.isPresent()) {
                        min = (int) v.getAsLong();
                    }
                }
                case "max_reply_length" -> {
                    OptionalLong v = ConfigValues.integer(n, 0, 65535, out);
                    if (v.isPresent()) {
                        max = (int) v.getAsLong();
                    }
                }
                default -> unknown(n);
            }
        }
        if (max < min) {
            out.error(block, "UDP_CHECK min_reply_length " + min + " exceeds max_reply_length " + max
                    + " - using 0 and 255");
            min = 0;
            max = 255;
        }
        return List.of(new CheckerSpec.Udp(s.build(), c.build(), payload, requireReply, min, max));
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ DNS_CHECK

    private List<CheckerSpec> readDns(ConfigNode block) {
        Settings s = new Settings();
        Connection c = new Connection();
        String type = "SOA";
        String name = ".";
        for (ConfigNode n : block.children()) {
            if (common(n, s, c, true)) {
                continue;
            }
            switch (n.keyword()) {
                case "type" -> {
                    if (n.args().isEmpty()) {
                        out.error(n, "DNS_CHECK type missing; accepted: " + String.join(", ", sortedDnsTypes()));
                    } else {
                        String t = n.args().get(0).toUpperCase(Locale.ROOT);
                        if (DNS_TYPES.contains(t)) {
                            type = t;
                        } else {
                            out.error(n, "Unknown DNS check type " + n.args().get(0) + "; accepted: "
                                    + String.join(", ", sortedDnsTypes()));
                        }
                    }
                }
                case "name" -> {
                    if (n.args().isEmpty()) {
                        out.error(n, "DNS_CHECK name missing");
                    } else {
                        name = n.args().get(0);
                    }
                }
                default -> unknown(n);
            }
        }
        return List.of(new CheckerSpec.Dns(s.build(), c.build(), type, name));
    }

    private static List<String> sortedDnsTypes() {
        return List.of("A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA", "RRSIG", "DNSKEY");
    }

    // ------------------------------------------------------------------ SMTP_CHECK

    private List<CheckerSpec> readSmtp(ConfigNode block) {
        Settings s = new Settings();
        Connection c = new Connection();
        String helo = CheckerSpec.Smtp.DEFAULT_HELO;
        List<ConfigNode> hosts = new ArrayList<>();
        for (ConfigNode n : block.children()) {
            if (common(n, s, c, true)) {
                continue;
            }
            switch (n.keyword()) {
                case "helo_name" -> {
                    if (n.args().isEmpty()) {
                        out.error(n, "SMTP_CHECK helo_name missing");
                    } else {
                        helo = n.args().get(0);
                    }
                }
                case "host" -> {
                    out.warning(n, "SMTP_CHECK 'host' is deprecated - please use the connection keywords in the"
                            + " SMTP_CHECK block (one checker per host)");
                    hosts.add(n);
                }
                default -> unknown(n);
            }
        }
        List<CheckerSpec> list = new ArrayList<>();
        if (hosts.isEmpty()) {
            list.add(new CheckerSpec.Smtp(s.build(), c.build(), helo));
        }
        for (ConfigNode host : hosts) {
            Connection hc = c.copy();
            Settings hs = new Settings();
            hs.retry = s.retry;
            hs.delayBeforeRetry = s.delayBeforeRetry;
            hs.warmup = s.warmup;
            hs.delayLoop = s.delayLoop;
            hs.alpha = s.alpha;
            hs.logAllFailures = s.logAllFailures;
            hs.connectTimeout = s.connectTimeout;
            for (ConfigNode n : host.children()) {
                if (!connectionKeyword(n, hs, hc)) {
                    unknown(n);
                }
            }
            list.add(new CheckerSpec.Smtp(hs.build(), hc.build(), helo));
        }
        return list;
    }
}
