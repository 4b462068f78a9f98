package io.lvs4j.health;

/**
 * Starts a notify script ({@code notify_up}, {@code notify_down}, {@code quorum_up}, {@code quorum_down})
 * given as keepalived's command line. The health checker calls it on its timer thread, so an
 * implementation must return at once and run the script asynchronously; the checker never waits for
 * a script or looks at its exit status (keepalived does not either).
 */
@FunctionalInterface
public interface ScriptLauncher {
    /** Launches {@code commandLine} (the script path and its arguments, as written in the configuration). */
    void launch(String commandLine);
}
