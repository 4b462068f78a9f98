package io.lvs4j.core;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Fixtures shared by the core tests. */
final class TestTables {
    private TestTables() {
    }

    static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static IpvsTable table(FakeTicker ticker) {
        return new IpvsTable(TableOptions.builder().ticker(ticker).build());
    }

    static Flow tcp(String client, int clientPort, String vip, int vport) {
        return Flow.of(Protocol.TCP, ip(client), clientPort, ip(vip), vport);
    }

    static Flow udp(String client, int clientPort, String vip, int vport) {
        return Flow.of(Protocol.UDP, ip(client), clientPort, ip(vip), vport);
    }
}
