package io.lvs4j.core;

/** Counter values of a real server, a service or the whole table since the last {@code -Z}. */
public record StatsSnapshot(long conns, long inPackets, long outPackets, long inBytes, long outBytes) {
    public static final StatsSnapshot ZERO = new StatsSnapshot(0, 0, 0, 0, 0);

    StatsSnapshot minus(StatsSnapshot b) {
        return new StatsSnapshot(conns - b.conns, inPackets - b.inPackets, outPackets - b.outPackets,
                inBytes - b.inBytes, outBytes - b.outBytes);
    }
}
