package io.lvs4j.health;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What a {@link ProbeFactory} needs beyond the checker block itself.
 *
 * @param realServer           the real server's address and port (connect_ip/connect_port override it)
 * @param settings             the checker's settings, fully resolved (checker → RS → VS → type default)
 * @param inheritedVirtualhost the real server's virtualhost, else the virtual server's, else null
 * @param virtualServerDelayLoop the VS's delay_loop (MISC_CHECK's default misc_timeout)
 */
public record ProbeContext(InetSocketAddress realServer, CheckSettings settings, String inheritedVirtualhost,
                           Duration virtualServerDelayLoop) {
}
