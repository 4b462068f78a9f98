package io.lvs4j.okhttp;

import static io.lvs4j.okhttp.TestSupport.builder;
import static io.lvs4j.okhttp.TestSupport.client;
import static io.lvs4j.okhttp.TestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs4j.core.Connection;
import io.lvs4j.core.Flow;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.Protocol;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The flows calls are scheduled as: client ports, the anonymous client, collisions with lingering entries. */
class FlowSourceTest {

    @Test
    void portsCycleAndTheAnonymousClientMovesOnEveryCycle() throws Exception {
        FlowSource flows = new FlowSource();
        InetAddress vip = InetAddress.getByName("0.0.0.1");
        Flow first = flows.next(null, vip, 80);
        assertThat(first.clientAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(first.clientPort()).isEqualTo(1024);
        assertThat(first.destinationAddress()).isEqualTo(vip);
        assertThat(first.destinationPort()).isEqualTo(80);
        Flow last = first;
        for (int i = 1; i < FlowSource.PORTS; i++) {
            last = flows.next(null, vip, 80);
        }
        assertThat(last.clientAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(last.clientPort()).isEqualTo(65535);
        Flow wrapped = flows.next(null, vip, 80);
        assertThat(wrapped.clientAddress()).isEqualTo(InetAddress.getByName("127.0.0.2"));
        assertThat(wrapped.clientPort()).isEqualTo(1024);
        InetAddress alice = Flow.keyAddress("alice");
        assertThat(flows.next(alice, vip, 80).clientAddress()).isEqualTo(alice);
    }

    @Test
    void aKeyedFlowThatMeetsALingeringEntryTakesTheNextPortAndGivesUpAfter64() throws Exception {
        try (Backend a = new Backend("a");
             LvsInterceptor lvs = builder(new FakeTicker())
                     .service("app.lvs", ServiceOptions.builder().scheduler("rr").build())
                     .clientKey(RequestKey.header("X-User")).build()) {
            IpvsTable table = lvs.table();
            ServiceKey key = lvs.serviceKey("app.lvs");
            a.addTo(table, key, 1);
            InetAddress alice = Flow.keyAddress("alice");
            // entries alice:1024..1087 exist already (as TIME_WAIT entries of earlier calls would)
            for (int port = 1024; port < 1024 + 64; port++) {
                table.acquire(table.service(key), Flow.of(Protocol.TCP, alice, port, key.address(), 80)).close();
            }
            assertThatThrownBy(() -> get(client(lvs), "http://app.lvs/", "X-User", "alice"))
                    .isInstanceOf(VirtualServiceUnavailableException.class)
                    .hasMessage("no real server available for virtual service app.lvs (TCP 0.0.0.1:80): client "
                            + alice.getHostAddress() + " has no free client port (64 flows met existing connection entries; "
                            + "one client key holds at most 64512 entries, in flight or lingering in TIME_WAIT)");
            assertThat(get(client(lvs), "http://app.lvs/", "X-User", "alice")).isEqualTo("a"); // port 1088
            assertThat(table.connections()).filteredOn(c -> c.clientPort() == 1088)
                    .extracting(Connection::clientAddress).containsExactly(alice);
        }
    }
}
