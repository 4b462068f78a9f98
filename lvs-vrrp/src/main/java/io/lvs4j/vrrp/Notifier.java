package io.lvs4j.vrrp;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * keepalived's notification order for one state change: the state-specific script (own arguments
 * only), then the generic {@code notify} script with {@code TYPE NAME STATE PRIO} appended, then the
 * FIFO line. Scripts are started, not awaited.
 */
final class Notifier {
    /** keepalived gives notify_stop scripts one second before they are killed. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(1);

    private final ScriptExecutor executor;
    private final NotifyFifo fifo;
    private final VrrpLog log;

    Notifier(ScriptExecutor executor, NotifyFifo fifo, VrrpLog log) {
        this.executor = executor;
        this.fifo = fifo;
        this.log = log;
    }

    void instanceState(VrrpInstanceConfig c, VrrpState state, int priority) {
        Optional<ScriptCommand> specific = switch (state) {
            case MASTER -> c.notifyMaster();
            case BACKUP -> c.notifyBackup();
            case FAULT -> c.notifyFault();
            case STOP -> c.notifyStop();
            default -> Optional.empty();
        };
        Duration timeout = state == VrrpState.STOP ? STOP_TIMEOUT : Duration.ZERO;
        specific.ifPresent(s -> exec(s, timeout));
        c.notifyScript().ifPresent(g -> exec(g.withArguments("INSTANCE", c.name(), state.name(), Integer.toString(priority)),
                timeout));
        fifo("INSTANCE", c.name(), state.name(), priority);
    }

    void groupState(VrrpSyncGroupConfig g, VrrpState state) {
        Optional<ScriptCommand> specific = switch (state) {
            case MASTER -> g.notifyMaster();
            case BACKUP -> g.notifyBackup();
            case FAULT -> g.notifyFault();
            case STOP -> g.notifyStop();
            default -> Optional.empty();
        };
        Duration timeout = state == VrrpState.STOP ? STOP_TIMEOUT : Duration.ZERO;
        specific.ifPresent(s -> exec(s, timeout));
        g.notifyScript().ifPresent(s -> exec(s.withArguments("GROUP", g.name(), state.name(), "0"), timeout));
        fifo("GROUP", g.name(), state.name(), 0);
    }

    /** {@code MASTER_RX_LOWER_PRI}: notify_master_rx_lower_pri (own arguments) and the FIFO line. */
    void masterRxLowerPriority(VrrpInstanceConfig c, int priority) {
        c.notifyMasterRxLowerPri().ifPresent(s -> exec(s, Duration.ZERO));
        fifo("INSTANCE", c.name(), "MASTER_RX_LOWER_PRI", priority);
    }

    /** {@code MASTER_PRIORITY}/{@code BACKUP_PRIORITY} FIFO line (notify_priority_changes). */
    void priorityChanged(VrrpInstanceConfig c, VrrpState state, int priority) {
        fifo("INSTANCE", c.name(), state == VrrpState.MASTER ? "MASTER_PRIORITY" : "BACKUP_PRIORITY", priority);
    }

    private void fifo(String type, String name, String state, int priority) {
        if (fifo == null) {
            return;
        }
        try {
            fifo.write(type + " \"" + name + "\" " + state + " " + priority);
        } catch (RuntimeException e) {
            log.warn("notify FIFO write failed: " + e.getMessage());
        }
    }

    private void exec(ScriptCommand command, Duration timeout) {
        try {
            CompletionStage<ScriptResult> stage = executor.run(command.argv(), timeout);
            stage.whenComplete((r, e) -> {
                if (e != null) {
                    VrrpLog.LOGGER.log(System.Logger.Level.WARNING, "Failed to exec notify script " + command, e);
                }
            });
        } catch (RuntimeException e) {
            log.warn("Failed to exec notify script " + command + ": " + e.getMessage());
        }
    }
}
