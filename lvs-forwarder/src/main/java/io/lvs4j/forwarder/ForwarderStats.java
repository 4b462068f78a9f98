package io.lvs4j.forwarder;

/**
 * A snapshot of a {@link Forwarder}'s own counters (the table's {@code --stats} counters are in
 * {@link io.lvs4j.core.IpvsTable#stats()}). Counters count from the forwarder's start; gauges are
 * the value at the time of the snapshot. Each field is read atomically, the record as a whole is not
 * one atomic cut.
 *
 * @param listeners           listening sockets bound (TCP and UDP)
 * @param pendingListeners    listeners wanted by the table but not bound (address not on the host yet, port busy)
 * @param openConnections     TCP connections being relayed or connecting (gauge)
 * @param udpSessions         UDP sessions (one per client of a non-ops UDP service) (gauge)
 * @param acceptedConnections TCP connections accepted from clients
 * @param rejectedConnections accepted TCP connections reset at once because the table had no real server for them
 * @param connectFailures     connects to a real server that were refused, failed or timed out
 * @param bytesToServers      payload bytes relayed from clients to real servers (TCP and UDP)
 * @param bytesToClients      payload bytes relayed from real servers to clients (TCP and UDP)
 * @param datagramsToServers  UDP datagrams relayed to real servers
 * @param datagramsToClients  UDP datagrams relayed to clients
 * @param datagramsDropped    UDP datagrams dropped (no real server, packet dropped by the table, session limit,
 *                            send failure)
 */
public record ForwarderStats(int listeners, int pendingListeners, int openConnections, int udpSessions,
                             long acceptedConnections, long rejectedConnections, long connectFailures,
                             long bytesToServers, long bytesToClients, long datagramsToServers,
                             long datagramsToClients, long datagramsDropped) {
}
