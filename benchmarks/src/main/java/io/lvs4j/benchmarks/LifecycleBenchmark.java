package io.lvs4j.benchmarks;

import io.lvs4j.core.Addresses;
import io.lvs4j.core.Connection;
import io.lvs4j.core.Flow;
import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.Protocol;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.core.TableOptions;
import io.lvs4j.core.TcpFlags;
import io.lvs4j.core.Ticker;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The full life of one NAT TCP connection through the table, on one thread: schedule (SYN), establish
 * (SYN+ACK, ACK), close (client FIN, server FIN, last ACK) and, amortized, expiry from TIME_WAIT by the
 * maintenance pass. Time is a synthetic clock advancing 1 ms per connection, so at any moment ~120,000
 * entries wait in TIME_WAIT (120 s) as on a busy director; maintenance runs every 1,024 connections.
 * Reported in connections per second. The fork runs G1 with a fixed 2 GB heap: with the default
 * growing heap, G1's resizing makes iterations bimodal (0.6 vs 1.1 M/s on the 2-core CI machine).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"}) // a fixed heap, as a director's JVM would run
@Threads(1)
@State(Scope.Benchmark)
public class LifecycleBenchmark {

    @Param({"false", "true"})
    public boolean persistent;

    @Param({"wlc"})
    public String scheduler;

    private final long[] now = {1L << 40};
    private IpvsTable table;
    private Flow[] flows;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Ticker ticker = () -> now[0];
        table = new IpvsTable(TableOptions.builder().ticker(ticker).build());
        InetAddress vip = InetAddress.getByName("192.0.2.10");
        ServiceKey key = ServiceKey.tcp(vip, 80);
        table.addService(key, ServiceOptions.builder().scheduler(scheduler).persistenceTimeout(persistent ? 60 : 0).build());
        for (int i = 0; i < 10; i++) {
            table.addRealServer(key, Addresses.ipv4(0x0A000000 + i + 1), 80,
                    new RealServerOptions(1, ForwardingMethod.MASQ, 0, 0));
        }
        flows = new Flow[1 << 18];
        for (int i = 0; i < flows.length; i++) {
            // 1,024 client addresses (persistence templates are per address), 256 ports each
            flows[i] = Flow.of(Protocol.TCP, Addresses.ipv4(0xC6120000 + (i >>> 8)), 1024 + (i & 255), vip, 80);
        }
    }

    @Benchmark
    public Connection lifecycle() {
        Flow f = flows[next++ & (flows.length - 1)];
        now[0] += 1_000_000L;
        Connection c = table.connect(f, TcpFlags.SYN, 60);
        c.outbound(TcpFlags.SYN_ACK, 60);
        c.inbound(TcpFlags.ACK, 52);
        c.inbound(TcpFlags.FIN_ACK, 52);
        c.outbound(TcpFlags.FIN_ACK, 52);
        c.inbound(TcpFlags.ACK, 52);
        if ((next & 1023) == 0) {
            table.runMaintenance();
        }
        return c;
    }
}
