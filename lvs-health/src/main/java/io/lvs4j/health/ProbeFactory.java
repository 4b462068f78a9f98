package io.lvs4j.health;

/** Makes the {@link Probe} for one checker of one real server. */
@FunctionalInterface
public interface ProbeFactory {
    Probe create(CheckerSpec spec, ProbeContext context);
}
