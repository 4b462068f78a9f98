package io.lvs4j.vrrp;

/**
 * Destination of keepalived's notify FIFO lines ({@code INSTANCE "VI_1" MASTER 100}). Lines are
 * written in the order the engine produces them. {@link NamedPipeNotifyFifo} writes to a real named
 * pipe. Implementations must not block the caller.
 */
@FunctionalInterface
public interface NotifyFifo {

    /** Writes one line; {@code line} has no trailing newline. */
    void write(String line);
}
