package io.lvs4j.forwarder;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of a {@link Forwarder}. Immutable; build one with {@link #builder()}.
 *
 * @param eventLoops         NIO event loops (threads) that carry all traffic; default: available processors
 * @param connectTimeout     how long a connect to a real server may take before the client is reset; default 5 s
 * @param bufferSize         bytes buffered per direction of a TCP connection while the receiving side is slow;
 *                           a side is not read while its buffer is full (backpressure); default 64 KiB. Idle
 *                           connections hold no buffer.
 * @param drainTimeout       how long {@link Forwarder#close()} lets open connections finish before resetting
 *                           them; default 10 s
 * @param backlog            listen backlog of each TCP listener (the kernel caps it at net.core.somaxconn);
 *                           default 1024
 * @param reconcileInterval  how often listeners are reconciled with the table's services; default 1 s
 * @param sweepInterval      how often each loop looks for connections whose table entry expired, UDP
 *                           sessions that ended and connections the table held (dropped packets); default 1 s
 * @param catchAllPorts      the ports a port-0 (catch-all) service is served on. User space cannot catch
 *                           every port, so a port-0 service listens on exactly these ports of its address
 *                           (unless a service with that exact port exists); default none
 * @param opsReplyWindow     one-packet (ops) UDP services: how long the socket a datagram was sent from is
 *                           kept open to relay replies; default 2 s
 * @param udpSessionLimit    most UDP sessions (clients) per UDP listener; datagrams from further new clients
 *                           are dropped; default 65,536
 * @param maxDatagramSize    the largest UDP payload relayed (longer ones are truncated by the socket);
 *                           default 65,535
 */
public record ForwarderOptions(int eventLoops, Duration connectTimeout, int bufferSize, Duration drainTimeout,
                               int backlog, Duration reconcileInterval, Duration sweepInterval,
                               Set<Integer> catchAllPorts, Duration opsReplyWindow, int udpSessionLimit,
                               int maxDatagramSize) {

    public ForwarderOptions {
        positive("eventLoops", eventLoops, 1024);
        positive("connectTimeout", connectTimeout);
        positive("bufferSize", bufferSize, 64 * 1024 * 1024);
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout " + drainTimeout + " is negative; accepted: 0 or more");
        }
        positive("backlog", backlog, Integer.MAX_VALUE);
        positive("reconcileInterval", reconcileInterval);
        positive("sweepInterval", sweepInterval);
        Objects.requireNonNull(catchAllPorts, "catchAllPorts");
        for (int p : catchAllPorts) {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("catch-all port " + p + " is out of range; accepted: 1..65535");
            }
        }
        catchAllPorts = Set.copyOf(catchAllPorts);
        positive("opsReplyWindow", opsReplyWindow);
        positive("udpSessionLimit", udpSessionLimit, Integer.MAX_VALUE);
        if (maxDatagramSize < 512 || maxDatagramSize > 65535) {
            throw new IllegalArgumentException("maxDatagramSize " + maxDatagramSize
                    + " is out of range; accepted: 512..65535");
        }
    }

    private static void positive(String name, int v, int max) {
        if (v < 1 || v > max) {
            throw new IllegalArgumentException(name + " " + v + " is out of range; accepted: 1.." + max);
        }
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " " + d + " is not positive; accepted: more than 0");
        }
    }

    /** All defaults. */
    public static ForwarderOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().eventLoops(eventLoops).connectTimeout(connectTimeout).bufferSize(bufferSize)
                .drainTimeout(drainTimeout).backlog(backlog).reconcileInterval(reconcileInterval)
                .sweepInterval(sweepInterval).catchAllPorts(catchAllPorts).opsReplyWindow(opsReplyWindow)
                .udpSessionLimit(udpSessionLimit).maxDatagramSize(maxDatagramSize);
    }

    /** Builder for {@link ForwarderOptions}; every setting starts at its documented default. Not thread-safe. */
    public static final class Builder {
        private int eventLoops = Runtime.getRuntime().availableProcessors();
        private Duration connectTimeout = Duration.ofSeconds(5);
        private int bufferSize = 64 * 1024;
        private Duration drainTimeout = Duration.ofSeconds(10);
        private int backlog = 1024;
        private Duration reconcileInterval = Duration.ofSeconds(1);
        private Duration sweepInterval = Duration.ofSeconds(1);
        private Set<Integer> catchAllPorts = Set.of();
        private Duration opsReplyWindow = Duration.ofSeconds(2);
        private int udpSessionLimit = 65_536;
        private int maxDatagramSize = 65_535;

        private Builder() {
        }

        public Builder eventLoops(int n) {
            this.eventLoops = n;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public Builder bufferSize(int bytes) {
            this.bufferSize = bytes;
            return this;
        }

        public Builder drainTimeout(Duration d) {
            this.drainTimeout = d;
            return this;
        }

        public Builder backlog(int n) {
            this.backlog = n;
            return this;
        }

        public Builder reconcileInterval(Duration d) {
            this.reconcileInterval = d;
            return this;
        }

        public Builder sweepInterval(Duration d) {
            this.sweepInterval = d;
            return this;
        }

        public Builder catchAllPorts(Set<Integer> ports) {
            this.catchAllPorts = ports;
            return this;
        }

        public Builder opsReplyWindow(Duration d) {
            this.opsReplyWindow = d;
            return this;
        }

        public Builder udpSessionLimit(int n) {
            this.udpSessionLimit = n;
            return this;
        }

        public Builder maxDatagramSize(int bytes) {
            this.maxDatagramSize = bytes;
            return this;
        }

        public ForwarderOptions build() {
            return new ForwarderOptions(eventLoops, connectTimeout, bufferSize, drainTimeout, backlog,
                    reconcileInterval, sweepInterval, catchAllPorts, opsReplyWindow, udpSessionLimit, maxDatagramSize);
        }
    }
}
