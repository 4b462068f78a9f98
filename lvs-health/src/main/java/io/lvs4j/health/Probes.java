package io.lvs4j.health;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The real {@link ProbeFactory}: network checkers run on one {@link IoLoop}, MISC_CHECK scripts are
 * processes whose exits land on the same loop. {@code connect_ip}/{@code connect_port} and
 * {@code bindto}/{@code bind_port} override the real server's address and the source.
 */
final class Probes implements ProbeFactory {
    private final IoLoop loop;

    Probes(IoLoop loop) {
        this.loop = loop;
    }

    @Override
    public Probe create(CheckerSpec spec, ProbeContext context) {
        Duration connectTimeout = context.settings().connectTimeout();
        if (spec instanceof CheckerSpec.Tcp t) {
            return new TcpProbe(loop, target(context, t.connect()), source(t.connect()), connectTimeout);
        }
        if (spec instanceof CheckerSpec.Http h) {
            return new HttpProbe(loop, target(context, h.connect()), source(h.connect()), connectTimeout, h,
                    context.inheritedVirtualhost());
        }
        if (spec instanceof CheckerSpec.Udp u) {
            return new UdpProbe(loop, target(context, u.connect()), source(u.connect()), connectTimeout, u);
        }
        if (spec instanceof CheckerSpec.Dns d) {
            return new DnsProbe(loop, target(context, d.connect()), source(d.connect()), connectTimeout, d);
        }
        if (spec instanceof CheckerSpec.Smtp s) {
            return new SmtpProbe(loop, target(context, s.connect()), source(s.connect()), connectTimeout, s);
        }
        CheckerSpec.Misc m = (CheckerSpec.Misc) spec;
        return new MiscProbe(m, m.timeout() != null ? m.timeout() : context.virtualServerDelayLoop(), loop);
    }

    private static InetSocketAddress target(ProbeContext context, ConnectOptions c) {
        InetSocketAddress rs = context.realServer();
        return new InetSocketAddress(c.connectIp() != null ? c.connectIp() : rs.getAddress(),
                c.connectPort() != null ? c.connectPort() : rs.getPort());
    }

    private static InetSocketAddress source(ConnectOptions c) {
        if (c.bindTo() == null && c.bindPort() == null) {
            return null;
        }
        return c.bindTo() != null ? new InetSocketAddress(c.bindTo(), c.bindPort() != null ? c.bindPort() : 0)
                : new InetSocketAddress(c.bindPort());
    }
}
