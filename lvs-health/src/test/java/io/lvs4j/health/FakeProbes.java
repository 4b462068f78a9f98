package io.lvs4j.health;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link ProbeFactory} of {@link FakeProbe}s, found again by real server address and checker index. */
final class FakeProbes implements ProbeFactory {
    private final ManualTimer timer;
    final Map<InetSocketAddress, List<FakeProbe>> byRealServer = new LinkedHashMap<>();

    FakeProbes(ManualTimer timer) {
        this.timer = timer;
    }

    @Override
    public Probe create(CheckerSpec spec, ProbeContext context) {
        int targets = spec instanceof CheckerSpec.Http h ? h.urls().size() : 1;
        FakeProbe p = new FakeProbe(timer, spec, context, targets);
        byRealServer.computeIfAbsent(context.realServer(), k -> new ArrayList<>()).add(p);
        return p;
    }

    FakeProbe get(String ip, int port) {
        return get(ip, port, 0);
    }

    FakeProbe get(String ip, int port, int checker) {
        List<FakeProbe> list = byRealServer.get(new InetSocketAddress(Harness.ip(ip), port));
        if (list == null || list.size() <= checker) {
            throw new AssertionError("no probe for " + ip + ":" + port + " #" + checker);
        }
        return list.get(checker);
    }
}
