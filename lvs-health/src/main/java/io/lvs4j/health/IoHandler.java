package io.lvs4j.health;

import java.io.IOException;

/**
 * What an {@link IoLoop} calls for a registered channel. Both methods run on the loop thread only.
 */
interface IoHandler {

    /**
     * The channel is ready for some of its interest ops ({@link java.nio.channels.SelectionKey} bits).
     * An exception thrown here is handed to {@link #abort}.
     */
    void ready(int readyOps) throws IOException;

    /**
     * The handler must stop: {@link #ready} threw {@code cause}, or the loop is closing. The loop has
     * already closed the channel. Must not throw.
     */
    void abort(Throwable cause);
}
