package io.lvs4j.vrrp;

/**
 * The state of a VRRP instance or sync group, as keepalived names them.
 *
 * <p>{@code INIT} is the state before {@link VrrpEngine#start()} and while a weight-0 tracking
 * script has not produced its first result. {@code FAULT} is keepalived's extension to the RFC
 * state machine (an interface or a weight-0 tracker is down). {@code STOP} is entered once, on
 * {@link VrrpEngine#shutdown()}; its name is what notify scripts and the FIFO receive.
 */
public enum VrrpState {
    INIT,
    BACKUP,
    MASTER,
    FAULT,
    STOP
}
