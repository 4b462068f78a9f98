package io.lvs4j.forwarder;

import io.lvs4j.core.ServiceKey;
import io.lvs4j.vrrp.conf.ConfigDiagnostic;
import io.lvs4j.vrrp.conf.KeepalivedConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A {@code keepalived.conf} read for the forwarder: the virtual services to serve (lvs-core services and real
 * servers, lvs-health specs), the VRRP part, and every diagnostic, in order, each naming its file and line
 * ({@code file:line: ERROR: ...}).
 *
 * <pre>{@code
 * ForwarderConfig config = ForwarderConfig.load(Path.of("/etc/keepalived/keepalived.conf"));
 * config.diagnostics().forEach(System.err::println);
 * if (config.hasErrors()) System.exit(1);
 * }</pre>
 *
 * <p>Loading never applies anything; a configuration with errors is meant to be refused as a whole (at start,
 * by {@code --config-test}, and by a reload, which then leaves the running service as it is). Immutable and
 * thread-safe.
 */
public final class ForwarderConfig {
    private final KeepalivedConfig source;
    private final List<VirtualServiceConfig> services;
    private final List<ConfigDiagnostic> diagnostics;
    private final VrrpBridge.Part vrrp;

    ForwarderConfig(KeepalivedConfig source, List<VirtualServiceConfig> services, List<ConfigDiagnostic> diagnostics,
                    VrrpBridge.Part vrrp) {
        this.source = Objects.requireNonNull(source, "source");
        this.services = List.copyOf(services);
        this.diagnostics = List.copyOf(diagnostics);
        this.vrrp = Objects.requireNonNull(vrrp, "vrrp");
    }

    /** Reads and maps {@code file} (and what it includes) with keepalived's default parse options. */
    public static ForwarderConfig load(Path file) throws IOException {
        return load(file, KeepalivedConfig.Options.defaults());
    }

    /**
     * Reads and maps {@code file} (and what it includes).
     *
     * @throws IOException if {@code file} itself cannot be read (problems with included files are diagnostics)
     */
    public static ForwarderConfig load(Path file, KeepalivedConfig.Options options) throws IOException {
        return ConfigMapper.map(KeepalivedConfig.parse(file, options));
    }

    /** Maps {@code text} as if read from {@code file} (relative includes resolve against its directory). */
    public static ForwarderConfig parseText(String text, Path file) {
        return ConfigMapper.map(KeepalivedConfig.parseText(text, file, KeepalivedConfig.Options.defaults()));
    }

    /** The parsed configuration this was mapped from. */
    public KeepalivedConfig source() {
        return source;
    }

    /** The virtual services, in configuration order. */
    public List<VirtualServiceConfig> services() {
        return services;
    }

    /** The service with {@code key}, or null. */
    public VirtualServiceConfig service(ServiceKey key) {
        for (VirtualServiceConfig s : services) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        return null;
    }

    /** Every problem, the parser's first, in the order found. */
    public List<ConfigDiagnostic> diagnostics() {
        return diagnostics;
    }

    /** The errors among {@link #diagnostics()}. */
    public List<ConfigDiagnostic> errors() {
        return diagnostics.stream().filter(ConfigDiagnostic::isError).toList();
    }

    /** The warnings among {@link #diagnostics()}. */
    public List<ConfigDiagnostic> warnings() {
        return diagnostics.stream().filter(d -> !d.isError()).toList();
    }

    /** True when any diagnostic is an error. */
    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(ConfigDiagnostic::isError);
    }

    /** The names of the {@code vrrp_instance} blocks, in order. */
    public List<String> vrrpInstances() {
        return vrrp.instances();
    }

    /** The addresses the {@code vrrp_instance} blocks own ({@code virtual_ipaddress}). */
    public Set<InetAddress> vrrpAddresses() {
        return vrrp.addresses();
    }

    VrrpBridge.Part vrrp() {
        return vrrp;
    }

    @Override
    public String toString() {
        return "ForwarderConfig[" + source.file() + ", " + services.size() + " services, " + vrrp.instances().size()
                + " vrrp instances, " + errors().size() + " errors, " + warnings().size() + " warnings]";
    }
}
