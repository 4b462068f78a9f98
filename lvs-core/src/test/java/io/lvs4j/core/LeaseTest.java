package io.lvs4j.core;

import static io.lvs4j.core.TestTables.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LeaseTest {
    private final FakeTicker ticker = new FakeTicker();
    private final ServiceKey web = ServiceKey.tcp(ip("192.168.0.10"), 80);

    @Test
    void anOpenLeaseIsActiveAndAClosedOneRestsInTimeWaitUntilItExpires() {
        IpvsTable t = TestTables.table(ticker);
        t.addService(web, ServiceOptions.builder().scheduler("wlc").build());
        RealServer a = t.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.defaults());
        RealServer b = t.addRealServer(web, ip("10.0.0.2"), 80, RealServerOptions.defaults());
        Lease l1 = t.acquire(web, ip("1.1.1.1"));
        Lease l2 = t.acquire(web, ip("1.1.1.1"));
        assertThat(l1.connection().state()).isEqualTo(ConnectionState.ESTABLISHED);
        assertThat(l1.realServer()).isSameAs(b); // wlc tie: first in scan order
        assertThat(l2.realServer()).isSameAs(a); // b has overhead 256 now
        l1.close();
        assertThat(l1.connection().state()).isEqualTo(ConnectionState.TIME_WAIT);
        assertThat(b.activeConnections()).isZero();
        assertThat(b.inactiveConnections()).isEqualTo(1);
        l1.close(); // idempotent
        assertThat(b.inactiveConnections()).isEqualTo(1);
        l2.abort();
        assertThat(l2.connection().state()).isEqualTo(ConnectionState.CLOSE);
        ticker.advanceSeconds(121);
        t.runMaintenance();
        assertThat(a.inactiveConnections() + b.inactiveConnections()).isZero();
        assertThat(t.connectionCount()).isZero();
    }

    @Test
    void leasesHonourPersistence() {
        IpvsTable t = TestTables.table(ticker);
        t.addService(web, ServiceOptions.builder().scheduler("rr").persistenceTimeout(30).build());
        t.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.defaults());
        t.addRealServer(web, ip("10.0.0.2"), 80, RealServerOptions.defaults());
        RealServer first = t.acquire(web, ip("1.1.1.1")).realServer();
        for (int i = 0; i < 10; i++) {
            Lease l = t.acquire(web, ip("1.1.1.1"));
            assertThat(l.realServer()).isSameAs(first);
            l.close();
        }
        assertThat(t.acquire(web, ip("2.2.2.2")).realServer()).isNotSameAs(first);
    }

    @Test
    void noServerOrNoServiceFailsNamingTheService() {
        IpvsTable t = TestTables.table(ticker);
        assertThatThrownBy(() -> t.acquire(web, ip("1.1.1.1")))
                .isInstanceOf(NoRealServerException.class).hasMessageContaining("TCP 192.168.0.10:80");
        t.addService(web, ServiceOptions.builder().scheduler("rr").build());
        t.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.weight(0));
        assertThatThrownBy(() -> t.acquire(web, ip("1.1.1.1")))
                .isInstanceOfSatisfying(NoRealServerException.class, e -> assertThat(e.service()).isEqualTo(web));
    }

    @Test
    void udpLeasesAreInactive() {
        IpvsTable t = TestTables.table(ticker);
        ServiceKey dns = ServiceKey.udp(ip("192.168.0.10"), 53);
        t.addService(dns, ServiceOptions.builder().scheduler("rr").build());
        RealServer d = t.addRealServer(dns, ip("10.0.0.1"), 53, RealServerOptions.defaults());
        Lease l = t.acquire(dns, ip("1.1.1.1"));
        assertThat(d.activeConnections()).isZero();
        assertThat(d.inactiveConnections()).isEqualTo(1);
        l.close();
        assertThat(d.inactiveConnections()).isEqualTo(1);
    }

    /**
     * Many threads acquire and release leases through every kind of scheduler while another thread edits
     * weights; once everything has expired, every counter is back to zero and conns equals the number of leases.
     */
    @Test
    void countersReturnToZeroUnderConcurrency() throws Exception {
        for (String scheduler : List.of("rr", "wrr", "lc", "wlc", "sed", "nq", "fo", "ovf", "twos", "sh", "mh", "dh", "lblc", "lblcr")) {
            IpvsTable t = TestTables.table(ticker);
            boolean persistent = scheduler.equals("rr");
            t.addService(web, ServiceOptions.builder().scheduler(scheduler).persistenceTimeout(persistent ? 5 : 0).build());
            List<RealServer> servers = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                servers.add(t.addRealServer(web, ip("10.0.0." + i), 80, new RealServerOptions(i, ForwardingMethod.MASQ, 50, 0)));
            }
            int threads = 4;
            int perThread = 5000;
            ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int th = 0; th < threads; th++) {
                int id = th;
                results.add(pool.submit(() -> {
                    start.await();
                    int ok = 0;
                    List<Lease> open = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        try {
                            open.add(t.acquire(web, Addresses.ipv4(0x01000000 + id * 65536 + (i % 50))));
                            ok++;
                        } catch (NoRealServerException e) {
                            // every server overloaded or quiesced for a moment: allowed
                        }
                        if (open.size() > 20 || (i % 7 == 0 && !open.isEmpty())) {
                            Lease l = open.remove(0);
                            if (ThreadLocalRandom.current().nextBoolean()) {
                                l.close();
                            } else {
                                l.abort();
                            }
                        }
                    }
                    open.forEach(Lease::close);
                    return ok;
                }));
            }
            Future<?> editor = pool.submit(() -> {
                start.await();
                for (int i = 0; i < 200; i++) {
                    int n = 1 + (i % 8);
                    t.editRealServer(web, ip("10.0.0." + n), 80, new RealServerOptions(i % 3, ForwardingMethod.MASQ, 50, 0));
                }
                return null;
            });
            start.countDown();
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            editor.get(60, TimeUnit.SECONDS);
            pool.shutdown();
            assertThat(total).as(scheduler).isPositive();
            int active = servers.stream().mapToInt(RealServer::activeConnections).sum();
            assertThat(active).as(scheduler + " active after close").isZero();
            assertThat(t.service(web).stats().snapshot().conns()).as(scheduler).isEqualTo(total);
            long perServer = servers.stream().mapToLong(s -> s.stats().snapshot().conns()).sum();
            assertThat(perServer).as(scheduler).isEqualTo(total);
            ticker.advanceSeconds(200);
            t.runMaintenance();
            // templates whose connections outlived them were deferred by 60 s (spec §3.6)
            ticker.advanceSeconds(61);
            t.runMaintenance();
            for (RealServer s : servers) {
                assertThat(s.activeConnections()).as(scheduler + " " + s).isZero();
                assertThat(s.inactiveConnections()).as(scheduler + " " + s).isZero();
                assertThat(s.persistentConnections()).as(scheduler + " " + s).isZero();
                assertThat(s.overloaded()).as(scheduler + " " + s).isFalse();
            }
            assertThat(t.connectionCount()).isZero();
            assertThat(t.templateCount()).isZero();
        }
    }
}
