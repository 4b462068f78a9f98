package io.lvs4j.core;

import static io.lvs4j.core.TestTables.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableAdminTest {
    private final FakeTicker ticker = new FakeTicker();
    private final IpvsTable table = TestTables.table(ticker);
    private final ServiceKey web = ServiceKey.tcp(ip("192.168.0.10"), 80);

    private List<String> scanOrder() {
        return table.service(web).realServers().stream().map(RealServer::toString).toList();
    }

    @Test
    void newestAddedServerIsFirstInScanOrderAndAReAddedOneGoesBackToTheHead() {
        table.addService(web, ServiceOptions.defaults());
        table.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.defaults());
        table.addRealServer(web, ip("10.0.0.2"), 80, RealServerOptions.defaults());
        table.addRealServer(web, ip("10.0.0.3"), 80, RealServerOptions.defaults());
        assertThat(scanOrder()).containsExactly("10.0.0.3:80", "10.0.0.2:80", "10.0.0.1:80");
        table.editRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.weight(5));
        assertThat(scanOrder()).containsExactly("10.0.0.3:80", "10.0.0.2:80", "10.0.0.1:80");
        table.deleteRealServer(web, ip("10.0.0.1"), 80);
        table.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.defaults());
        assertThat(scanOrder()).containsExactly("10.0.0.1:80", "10.0.0.3:80", "10.0.0.2:80");
    }

    @Test
    void defaultsAreIpvsadms() {
        VirtualService svc = table.addService(web, ServiceOptions.defaults());
        assertThat(svc.options().scheduler()).isEqualTo("wlc");
        assertThat(svc.options().persistent()).isFalse();
        RealServer d = table.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.defaults());
        assertThat(d.weight()).isEqualTo(1);
        assertThat(d.options().forwarding()).isEqualTo(ForwardingMethod.ROUTE);
    }

    @Test
    void editServiceWithTheSameSchedulerKeepsItsStateAndANewNameReplacesIt() {
        VirtualService svc = table.addService(web, ServiceOptions.builder().scheduler("rr").build());
        Scheduler rr = svc.scheduler();
        table.editService(web, ServiceOptions.builder().scheduler("rr").persistenceTimeout(60).build());
        assertThat(svc.scheduler()).isSameAs(rr);
        assertThat(svc.options().persistenceTimeout()).isEqualTo(60);
        table.editService(web, ServiceOptions.defaults());
        assertThat(svc.scheduler()).isNotSameAs(rr);
        assertThat(svc.options()).isEqualTo(ServiceOptions.defaults());
    }

    @Test
    void lastWeightRemembersTheLastNonZeroWeight() {
        table.addService(web, ServiceOptions.defaults());
        RealServer d = table.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.weight(4));
        table.editRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.weight(0));
        assertThat(d.weight()).isZero();
        assertThat(d.lastWeight()).isEqualTo(4);
        RealServer z = table.addRealServer(web, ip("10.0.0.2"), 80, RealServerOptions.weight(0));
        assertThat(z.lastWeight()).isZero();
    }

    @Test
    void refusedOperationsNameTheValueAndChangeNothing() {
        table.addService(web, ServiceOptions.builder().scheduler("rr").build());
        table.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.weight(2));

        assertThatThrownBy(() -> table.addService(web, ServiceOptions.defaults()))
                .isInstanceOfSatisfying(IpvsException.class, e -> assertThat(e.reason()).isEqualTo(IpvsException.Reason.SERVICE_EXISTS))
                .hasMessageContaining("TCP 192.168.0.10:80");
        assertThatThrownBy(() -> table.editService(web, ServiceOptions.builder().scheduler("bogus").build()))
                .isInstanceOfSatisfying(IpvsException.class, e -> assertThat(e.reason()).isEqualTo(IpvsException.Reason.SCHEDULER_NOT_FOUND))
                .hasMessageContaining("bogus");
        assertThatThrownBy(() -> table.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.defaults()))
                .isInstanceOfSatisfying(IpvsException.class, e -> assertThat(e.reason()).isEqualTo(IpvsException.Reason.DESTINATION_EXISTS));
        assertThatThrownBy(() -> table.editRealServer(web, ip("10.0.0.9"), 80, RealServerOptions.defaults()))
                .isInstanceOfSatisfying(IpvsException.class, e -> assertThat(e.reason()).isEqualTo(IpvsException.Reason.NO_SUCH_DESTINATION))
                .hasMessageContaining("10.0.0.9:80");
        assertThatThrownBy(() -> table.deleteService(ServiceKey.udp(ip("192.168.0.10"), 80)))
                .isInstanceOfSatisfying(IpvsException.class, e -> assertThat(e.reason()).isEqualTo(IpvsException.Reason.NO_SUCH_SERVICE));
        assertThatThrownBy(() -> table.addService(ServiceKey.tcp(ip("192.168.0.10"), 0), ServiceOptions.defaults()))
                .isInstanceOf(IpvsException.class).hasMessageContaining("port 0");
        assertThatThrownBy(() -> table.addService(ServiceKey.tcp(ip("192.168.0.11"), 80),
                ServiceOptions.builder().onePacket(true).build()))
                .isInstanceOf(IpvsException.class).hasMessageContaining("one-packet");
        assertThatThrownBy(() -> table.addRealServer(web, ip("2001:db8::1"), 80, RealServerOptions.defaults()))
                .isInstanceOf(IpvsException.class).hasMessageContaining("2001:db8::1");
        assertThatThrownBy(() -> RealServerOptions.weight(65536)).hasMessageContaining("65536").hasMessageContaining("0..65535");
        assertThatThrownBy(() -> new RealServerOptions(1, ForwardingMethod.ROUTE, 5, 6)).hasMessageContaining("lower threshold 6");
        assertThatThrownBy(() -> ServiceOptions.builder().persistenceTimeout(-1).build()).hasMessageContaining("-1");

        assertThat(table.services()).hasSize(1);
        VirtualService svc = table.service(web);
        assertThat(svc.options().scheduler()).isEqualTo("rr");
        assertThat(svc.realServers()).hasSize(1);
        assertThat(svc.realServers().get(0).weight()).isEqualTo(2);
    }

    @Test
    void mhRefusesMoreServersThanItsTableSize() {
        IpvsTable small = new IpvsTable(TableOptions.builder().ticker(ticker).mhTabIndex(8).build());
        small.addService(web, ServiceOptions.builder().scheduler("mh").build());
        for (int i = 0; i < 251; i++) {
            small.addRealServer(web, Addresses.ipv4(0x0A000000 + i + 1), 80, RealServerOptions.defaults());
        }
        assertThatThrownBy(() -> small.addRealServer(web, ip("10.1.0.1"), 80, RealServerOptions.defaults()))
                .isInstanceOfSatisfying(IpvsException.class, e -> assertThat(e.reason()).isEqualTo(IpvsException.Reason.INVALID))
                .hasMessageContaining("251");
        assertThat(small.service(web).realServers()).hasSize(251);
    }

    @Test
    void clearRemovesEveryService() {
        table.addService(web, ServiceOptions.defaults());
        table.addService(ServiceKey.udp(ip("192.168.0.10"), 53), ServiceOptions.defaults());
        table.clear();
        assertThat(table.services()).isEmpty();
        assertThat(table.service(web)).isNull();
    }

    @Test
    void customSchedulerCanBeRegisteredByName() {
        SchedulerRegistry registry = SchedulerRegistry.defaults()
                .register("last", o -> (svc, flow) -> {
                    List<RealServer> list = svc.realServers();
                    return list.isEmpty() ? null : list.get(list.size() - 1);
                });
        IpvsTable t = new IpvsTable(TableOptions.builder().ticker(ticker).schedulers(registry).build());
        t.addService(web, ServiceOptions.builder().scheduler("last").build());
        RealServer oldest = t.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.defaults());
        t.addRealServer(web, ip("10.0.0.2"), 80, RealServerOptions.defaults());
        assertThat(t.connect(TestTables.tcp("1.1.1.1", 1, "192.168.0.10", 80)).realServer()).isSameAs(oldest);
        assertThatThrownBy(() -> registry.register("bad name", o -> null)).hasMessageContaining("bad name");
    }
}
