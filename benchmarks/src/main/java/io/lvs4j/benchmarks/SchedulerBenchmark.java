package io.lvs4j.benchmarks;

import io.lvs4j.core.Addresses;
import io.lvs4j.core.Flow;
import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.Protocol;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.core.TcpFlags;
import io.lvs4j.core.VirtualService;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one scheduling decision (a pick for a new connection) per scheduler and number of real
 * servers. Run with {@code -t 1} and {@code -t 2} for one and two threads, and {@code -prof gc} for
 * bytes allocated per pick.
 *
 * <p>Servers have weights 1..10 and a few live connections each (so lc-family scans compare real
 * overheads); flows come from 4096 different clients so hashing schedulers spread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class SchedulerBenchmark {

    @Param({"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "mh", "fo", "ovf", "twos"})
    public String scheduler;

    @Param({"10", "100", "1000"})
    public int servers;

    private VirtualService service;
    private Flow[] flows;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        IpvsTable table = new IpvsTable();
        InetAddress vip = InetAddress.getByName("192.0.2.10");
        ServiceKey key = ServiceKey.tcp(vip, 80);
        service = table.addService(key, ServiceOptions.builder().scheduler(scheduler).build());
        for (int i = 0; i < servers; i++) {
            table.addRealServer(key, Addresses.ipv4(0x0A000000 + i + 1), 80,
                    new RealServerOptions(1 + i % 10, ForwardingMethod.MASQ, 0, 0));
        }
        // a few connections per server, some established (active), some reset (inactive)
        int port = 1;
        for (int round = 0; round < 3; round++) {
            for (RealServer ignored : service.realServers()) {
                Flow f = Flow.of(Protocol.TCP, InetAddress.getByName("198.18.0.1"), port++, vip, 80);
                var c = table.connect(f);
                if (c != null && (port % 3 == 0)) {
                    c.inbound(TcpFlags.RST, 0);
                } else if (c != null) {
                    c.inbound(TcpFlags.ACK, 0);
                }
            }
        }
        flows = new Flow[4096];
        for (int i = 0; i < flows.length; i++) {
            flows[i] = Flow.of(Protocol.TCP, Addresses.ipv4(0xC6120000 + i * 7919), 1024 + i,
                    Addresses.ipv4(0xCB007100 + (i & 255)), 80);
        }
    }

    /** Per-thread cursor over the flows, so two threads do not share a counter. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    public RealServer pick(Cursor cursor) {
        Flow f = flows[cursor.next++ & 4095];
        return service.scheduler().schedule(service, f);
    }
}
