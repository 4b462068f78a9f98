package io.lvs4j.forwarder;

import io.lvs4j.core.ServiceKey;
import io.lvs4j.vrrp.conf.ConfigDiagnostic;
import java.util.List;

/**
 * What a {@link Director#reload} did. When the new configuration had errors nothing was applied:
 * {@link #applied()} is false and the lists of services are empty. Immutable.
 *
 * @param applied     whether the new configuration was applied
 * @param added       services created
 * @param changed     services whose configuration changed: edited in place (same {@code VirtualService} object,
 *                    kept connections), their health checkers restarted
 * @param removed     services deleted
 * @param unchanged   services left exactly as they were, checkers included
 * @param diagnostics the new configuration's diagnostics
 */
public record ReloadResult(boolean applied, List<ServiceKey> added, List<ServiceKey> changed, List<ServiceKey> removed,
                           List<ServiceKey> unchanged, List<ConfigDiagnostic> diagnostics) {

    public ReloadResult {
        added = List.copyOf(added);
        changed = List.copyOf(changed);
        removed = List.copyOf(removed);
        unchanged = List.copyOf(unchanged);
        diagnostics = List.copyOf(diagnostics);
    }

    /** A reload that was refused because of {@code diagnostics}' errors. */
    static ReloadResult refused(List<ConfigDiagnostic> diagnostics) {
        return new ReloadResult(false, List.of(), List.of(), List.of(), List.of(), diagnostics);
    }
}
