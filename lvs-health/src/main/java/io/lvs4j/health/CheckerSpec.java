package io.lvs4j.health;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One checker block of a real server, as keepalived.conf declares it. Each kind is a record; its
 * {@link #settings()} are the timing keywords set in the block itself (inherited from the real server
 * and virtual server where unset).
 */
public sealed interface CheckerSpec {

    /** Timing keywords set in this checker block. */
    CheckSettings settings();

    /** The checker's keepalived name: {@code TCP_CHECK}, {@code HTTP_GET}, ... */
    String type();

    /** The defaults of this checker type for what neither block set (spec §1.2), given the resolved delay_loop. */
    default CheckSettings typeDefaults(Duration delayLoop) {
        return new CheckSettings(Duration.ofSeconds(60), Duration.ofSeconds(5), 1, Duration.ofSeconds(1),
                delayLoop, false, false);
    }

    /** TCP_CHECK: success when the TCP handshake completes within connect_timeout (§1.5). */
    record Tcp(CheckSettings settings, ConnectOptions connect) implements CheckerSpec {
        public Tcp {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(connect, "connect");
        }

        @Override
        public String type() {
            return "TCP_CHECK";
        }
    }

    /** HTTP_GET (or SSL_GET with {@code ssl}): fetches one URL per delay_loop (§1.6). */
    record Http(CheckSettings settings, ConnectOptions connect, boolean ssl, List<UrlSpec> urls,
                HttpProtocol protocol, String virtualhost, boolean fastRecovery, TlsOptions tls) implements CheckerSpec {
        public Http {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(connect, "connect");
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(tls, "tls");
            urls = List.copyOf(urls);
            if (urls.isEmpty()) {
                throw new IllegalArgumentException((ssl ? "SSL_GET" : "HTTP_GET") + " has no url; at least one url { path ... } is required");
            }
        }

        @Override
        public String type() {
            return ssl ? "SSL_GET" : "HTTP_GET";
        }

        @Override
        public CheckSettings typeDefaults(Duration delayLoop) {
            return new CheckSettings(Duration.ofSeconds(60), Duration.ofSeconds(5), 1, Duration.ofSeconds(3),
                    delayLoop, false, false);
        }
    }

    /**
     * MISC_CHECK: runs a script (§1.7). {@code command} is the argv ({@code misc_path} split as keepalived
     * splits it); {@code timeout} null means the virtual server's delay_loop.
     */
    record Misc(CheckSettings settings, List<String> command, Duration timeout, boolean dynamic) implements CheckerSpec {
        public Misc {
            Objects.requireNonNull(settings, "settings");
            command = List.copyOf(command);
            if (command.isEmpty()) {
                throw new IllegalArgumentException("MISC_CHECK has no misc_path");
            }
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("misc_timeout " + timeout + " is out of range; accepted: more than 0");
            }
        }

        @Override
        public String type() {
            return "MISC_CHECK";
        }

        @Override
        public CheckSettings typeDefaults(Duration delayLoop) {
            return new CheckSettings(Duration.ofSeconds(60), Duration.ofSeconds(5), 0, Duration.ofSeconds(1),
                    delayLoop, false, false);
        }
    }

    /**
     * UDP_CHECK: sends {@code payload} (random bytes when null); fails on an ICMP error, or with
     * {@code requireReply} (hex, {@code X} wildcards; empty string = any reply) on a missing or mismatched reply.
     */
    record Udp(CheckSettings settings, ConnectOptions connect, byte[] payload, String requireReply,
               int minReplyLength, int maxReplyLength) implements CheckerSpec {
        public Udp {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(connect, "connect");
            if (minReplyLength < 0 || maxReplyLength < minReplyLength) {
                throw new IllegalArgumentException("reply length range " + minReplyLength + ".." + maxReplyLength
                        + " is not valid; accepted: 0 <= min_reply_length <= max_reply_length");
            }
        }

        @Override
        public String type() {
            return "UDP_CHECK";
        }
    }

    /** DNS_CHECK: a UDP query of {@code queryType} (default SOA) for {@code name} (default "."). */
    record Dns(CheckSettings settings, ConnectOptions connect, String queryType, String name) implements CheckerSpec {
        public Dns {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(connect, "connect");
            Objects.requireNonNull(queryType, "queryType");
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String type() {
            return "DNS_CHECK";
        }

        @Override
        public CheckSettings typeDefaults(Duration delayLoop) {
            return new CheckSettings(Duration.ofSeconds(60), Duration.ofSeconds(5), 3, delayLoop, delayLoop, false, false);
        }
    }

    /** SMTP_CHECK: 220 banner, {@code HELO heloName}, 250, QUIT (§1.8). */
    record Smtp(CheckSettings settings, ConnectOptions connect, String heloName) implements CheckerSpec {
        /** keepalived's default HELO name. */
        public static final String DEFAULT_HELO = "smtpchecker.keepalived.org";

        public Smtp {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(connect, "connect");
            Objects.requireNonNull(heloName, "heloName");
        }

        @Override
        public String type() {
            return "SMTP_CHECK";
        }
    }
}
