package io.lvs4j.health;

/** Makes the {@link Probe} for one checker of one real server. */
@FunctionalInterface
public interface ProbeFactory {
    Probe create(CheckerSpec spec, ProbeContext context);

    /**
     * The real probes (TCP, HTTP/SSL, UDP, DNS, SMTP on {@code loop}; MISC as processes), for callers
     * that decorate them, for example to observe every attempt.
     */
    static ProbeFactory real(IoLoop loop) {
        return new Probes(loop);
    }
}
