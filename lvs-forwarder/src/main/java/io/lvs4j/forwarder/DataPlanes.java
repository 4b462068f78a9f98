package io.lvs4j.forwarder;

import io.lvs4j.core.IpvsTable;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/** Makes the {@link DataPlane} the standalone forwarder runs: a {@link Forwarder} over the live table. */
final class DataPlanes {
    private DataPlanes() {
    }

    /**
     * A factory of {@link Forwarder}s with default options except {@code catchAllPorts} (where port-0 services
     * are served) and {@code drain} (how long a plain close lets connections finish).
     */
    static Function<IpvsTable, DataPlane> forwarder(Set<Integer> catchAllPorts, Duration drain) {
        ForwarderOptions options = ForwarderOptions.defaults().toBuilder().catchAllPorts(catchAllPorts)
                .drainTimeout(drain).build();
        return table -> {
            Forwarder forwarder = Forwarder.start(table, options);
            return new DataPlane() {
                @Override
                public void reconcile() {
                    forwarder.reconcile();
                }

                @Override
                public void close(Duration timeout) {
                    forwarder.close(timeout);
                }

                @Override
                public String toString() {
                    return "Forwarder" + options;
                }
            };
        };
    }
}
