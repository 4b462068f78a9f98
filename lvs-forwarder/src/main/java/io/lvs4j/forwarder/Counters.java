package io.lvs4j.forwarder;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The forwarder's own counters, updated from every loop; exact under concurrency. */
final class Counters {
    final AtomicInteger openConnections = new AtomicInteger();
    final AtomicInteger udpSessions = new AtomicInteger();
    final LongAdder accepted = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder bytesToServers = new LongAdder();
    final LongAdder bytesToClients = new LongAdder();
    final LongAdder datagramsToServers = new LongAdder();
    final LongAdder datagramsToClients = new LongAdder();
    final LongAdder datagramsDropped = new LongAdder();
}
