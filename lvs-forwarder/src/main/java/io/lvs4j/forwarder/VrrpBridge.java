package io.lvs4j.forwarder;

import io.lvs4j.vrrp.VirtualAddress;
import io.lvs4j.vrrp.VrrpConfigLoader;
import io.lvs4j.vrrp.VrrpDaemon;
import io.lvs4j.vrrp.VrrpDaemonConfig;
import io.lvs4j.vrrp.VrrpInstanceConfig;
import io.lvs4j.vrrp.VrrpStateChange;
import io.lvs4j.vrrp.conf.ConfigDiagnostic;
import io.lvs4j.vrrp.conf.ConfigDiagnostics;
import io.lvs4j.vrrp.conf.ConfigNode;
import io.lvs4j.vrrp.conf.KeepalivedConfig;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The seam between the forwarder and lvs-vrrp: the VRRP part of the same parsed configuration goes to
 * {@link VrrpConfigLoader}, and runs in a {@link VrrpDaemon} whose state changes tell the forwarder to
 * reconcile, so that it serves the virtual addresses an instance owns while MASTER (they are then on the host)
 * and stops serving them when it leaves MASTER (they are gone; the data plane retries their binds).
 */
final class VrrpBridge {
    private static final System.Logger LOG = System.getLogger(VrrpBridge.class.getName());

    private VrrpBridge() {
    }

    /**
     * The VRRP part of one configuration. Immutable.
     *
     * @param daemonConfig what the daemon runs: present when the VRRP part has no error
     * @param instances    the {@code vrrp_instance} names, in order
     * @param addresses    the addresses the instances own
     */
    record Part(Optional<VrrpDaemonConfig> daemonConfig, List<String> instances, Set<InetAddress> addresses) {
        Part {
            Objects.requireNonNull(daemonConfig, "daemonConfig");
            instances = List.copyOf(instances);
            addresses = Set.copyOf(addresses);
        }

        /** True when the configuration has no {@code vrrp_instance}: no VRRP to run. */
        boolean isEmpty() {
            return instances.isEmpty();
        }
    }

    /** A running VRRP part. */
    interface Running extends AutoCloseable {
        /** Applies a reloaded configuration's VRRP part (keepalived's SIGHUP); a failure is logged. */
        void reload(Part part);

        /** Stops: MASTER instances send priority 0 and release their addresses. Idempotent. */
        @Override
        void close();
    }

    /** Reads the VRRP part of {@code config}, adding its diagnostics to {@code out}. */
    static Part read(KeepalivedConfig config, ConfigDiagnostics out) {
        VrrpConfigLoader.Result result = VrrpConfigLoader.load(config);
        for (ConfigDiagnostic d : result.diagnostics()) {
            out.add(d);
        }
        List<String> instances = new ArrayList<>();
        Set<InetAddress> addresses = new LinkedHashSet<>();
        if (result.config().isPresent()) {
            for (VrrpInstanceConfig instance : result.config().get().instances()) {
                instances.add(instance.name());
                for (VirtualAddress a : instance.virtualAddresses()) {
                    addresses.add(a.address());
                }
            }
        } else {
            for (ConfigNode instance : config.roots("vrrp_instance")) {
                instances.add(instance.args().isEmpty() ? "" : instance.args().get(0));
            }
        }
        return new Part(result.config(), instances, addresses);
    }

    /**
     * Starts the VRRP daemon for {@code part}; {@code onStateChange} runs after every instance state change, once
     * the addresses were added or removed.
     *
     * @throws IOException the daemon cannot start (typically: not root, or no such interface)
     */
    static Running start(Part part, Runnable onStateChange, boolean logDetail) throws IOException {
        VrrpDaemonConfig config = part.daemonConfig().orElseThrow(
                () -> new IllegalArgumentException("the VRRP part has errors"));
        VrrpDaemon daemon = VrrpDaemon.start(config, VrrpDaemon.Options.builder()
                .logDetail(logDetail)
                .listener((VrrpStateChange change) -> {
                    if (change.becameMaster() || change.leftMaster()) {
                        LOG.log(Level.INFO, "(" + change.instance() + ") " + change.from() + " -> " + change.to()
                                + ": reconciling listeners for " + change.addresses());
                    }
                    onStateChange.run();
                })
                .build());
        return new Running() {
            @Override
            public void reload(Part next) {
                Optional<VrrpDaemonConfig> c = next.daemonConfig();
                if (c.isEmpty()) {
                    return;
                }
                try {
                    daemon.reload(c.get());
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.ERROR, "VRRP reload failed: " + e.getMessage()
                            + " - VRRP goes on with its previous configuration");
                }
            }

            @Override
            public void close() {
                daemon.close();
            }
        };
    }
}
