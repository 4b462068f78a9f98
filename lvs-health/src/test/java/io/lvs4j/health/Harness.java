package io.lvs4j.health;

import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.VirtualService;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A table, a manual timer, fake probes, and recorders for scripts, listener events and log lines. */
final class Harness {
    final IpvsTable table = new IpvsTable();
    final ManualTimer timer = new ManualTimer();
    final FakeProbes probes = new FakeProbes(timer);
    final List<String> scripts = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final List<String> logs = new ArrayList<>();
    HealthChecker checker;

    static final ServiceKey VS = ServiceKey.tcp(ip("10.0.1.1"), 80);

    Harness() {
        checker = builder().build();
    }

    HealthChecker.Builder builder() {
        return HealthChecker.builder(table).timer(timer).probes(probes)
                .scripts(cmd -> scripts.add(cmd + " @" + fmt(timer.seconds())))
                .random(new SplittableRandom(7))
                .listener(new HealthListener() {
                    @Override
                    public void realServerUp(ServiceKey vs, InetSocketAddress rs) {
                        events.add("up " + addr(rs) + " @" + fmt(timer.seconds()));
                    }

                    @Override
                    public void realServerDown(ServiceKey vs, InetSocketAddress rs) {
                        events.add("down " + addr(rs) + " @" + fmt(timer.seconds()));
                    }

                    @Override
                    public void quorumGained(ServiceKey vs, long weightSum) {
                        events.add("quorum up " + weightSum + " @" + fmt(timer.seconds()));
                    }

                    @Override
                    public void quorumLost(ServiceKey vs, long weightSum) {
                        events.add("quorum down " + weightSum + " @" + fmt(timer.seconds()));
                    }
                })
                .logSink(logs::add);
    }

    static String fmt(double s) {
        return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
    }

    private static String addr(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static Duration s(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    static CheckSettings.Builder settings() {
        return CheckSettings.builder();
    }

    static CheckerSpec.Tcp tcp(CheckSettings settings) {
        return new CheckerSpec.Tcp(settings, ConnectOptions.DEFAULT);
    }

    static CheckerSpec.Tcp tcp() {
        return tcp(CheckSettings.UNSET);
    }

    static RealServerSpec rs(String ip, int port, CheckerSpec... checkers) {
        return RealServerSpec.of(ip(ip), port, checkers);
    }

    static VirtualServerSpec.Builder vs() {
        return VirtualServerSpec.builder(VS);
    }

    /** The destination in the table, or null. */
    RealServer dest(String ip, int port) {
        VirtualService svc = table.service(VS);
        return svc == null ? null : svc.realServer(ip(ip), port);
    }

    /** The weight in the table, or -1 when the destination is absent. */
    int weight(String ip, int port) {
        RealServer d = dest(ip, port);
        return d == null ? -1 : d.weight();
    }

    RealServerStatus status(String ip, int port) {
        return checker.status(VS).realServer(new InetSocketAddress(ip(ip), port));
    }

    /** Log lines that contain {@code fragment}. */
    List<String> logsContaining(String fragment) {
        return logs.stream().filter(l -> l.contains(fragment)).toList();
    }
}
