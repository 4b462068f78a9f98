package io.lvs4j.vrrp;

import java.util.List;

/**
 * A running {@code vrrp_sync_group} (keepalived's {@code vrrp_sync.c}): members go to MASTER only
 * when every member wants MASTER, then all together; one member leaving MASTER takes the others to
 * BACKUP; a fault in any member puts all members in FAULT until every member is clear. Confined
 * to the scheduler thread.
 */
final class SyncGroup {
    private final VrrpEngine engine;
    private final VrrpSyncGroupConfig config;
    private final List<VrrpInstance> members;
    private VrrpState state = VrrpState.INIT;

    SyncGroup(VrrpEngine engine, VrrpSyncGroupConfig config, List<VrrpInstance> members) {
        this.engine = engine;
        this.config = config;
        this.members = List.copyOf(members);
    }

    String name() {
        return config.name();
    }

    VrrpState state() {
        return state;
    }

    List<VrrpInstance> members() {
        return members;
    }

    void start() {
        boolean fault = members.stream().anyMatch(VrrpInstance::ownFault);
        boolean pending = members.stream().anyMatch(VrrpInstance::ownPending);
        if (fault) {
            state = VrrpState.FAULT;
            engine.log().info("VRRP_Group(" + name() + "): Syncing instances to FAULT state");
        } else if (pending) {
            state = VrrpState.INIT;
        } else if (members.stream().allMatch(VrrpInstance::ownerStartsMaster)) {
            state = VrrpState.MASTER;
        } else {
            state = VrrpState.BACKUP;
        }
        if (state != VrrpState.INIT) {
            engine.notifier().groupState(config, state);
        }
        for (VrrpInstance m : members) {
            m.start(state);
        }
    }

    /** keepalived's {@code vrrp_sync_can_goto_master}: only if every other member wants MASTER. */
    boolean canGoMaster(VrrpInstance member) {
        if (state == VrrpState.MASTER) {
            return true;
        }
        for (VrrpInstance other : members) {
            if (other != member && other.wantState() != VrrpState.MASTER) {
                return false;
            }
        }
        return true;
    }

    /** keepalived's {@code vrrp_sync_master}: {@code member} is master, bring the others along. */
    void memberBecameMaster(VrrpInstance member) {
        if (state == VrrpState.MASTER || state == VrrpState.STOP || !canGoMaster(member)) {
            return;
        }
        engine.log().info("VRRP_Group(" + name() + ") Syncing instances to MASTER state");
        state = VrrpState.MASTER;
        for (VrrpInstance other : members) {
            if (other != member) {
                other.syncToMaster();
            }
        }
        engine.notifier().groupState(config, VrrpState.MASTER);
    }

    /** keepalived's {@code vrrp_sync_backup}: {@code member} left MASTER, the others follow. */
    void memberLeftMaster(VrrpInstance member) {
        if (state == VrrpState.BACKUP || state == VrrpState.STOP) {
            return;
        }
        engine.log().info("VRRP_Group(" + name() + ") Syncing instances to BACKUP state");
        state = VrrpState.BACKUP;
        for (VrrpInstance other : members) {
            if (other != member) {
                other.syncToBackup();
            }
        }
        engine.notifier().groupState(config, VrrpState.BACKUP);
    }

    /** A master member received a lower-priority advert: the other members refresh ARP caches too. */
    void memberReceivedLowerPriority(VrrpInstance member) {
        for (VrrpInstance other : members) {
            if (other != member) {
                other.lowerPriorityGarps();
            }
        }
    }

    /** Re-evaluates faults after a tracker of one or more members changed. */
    void reevaluate() {
        if (state == VrrpState.STOP) {
            return;
        }
        boolean fault = false;
        for (VrrpInstance m : members) {
            fault |= m.ownFault();
        }
        if (fault) {
            if (state != VrrpState.FAULT) {
                for (VrrpInstance m : members) {
                    if (m.ownFault() && m.state() != VrrpState.FAULT) {
                        m.goFault();
                    }
                }
                engine.log().info("VRRP_Group(" + name() + ") Syncing instances to FAULT state");
                state = VrrpState.FAULT;
                for (VrrpInstance m : members) {
                    if (m.state() != VrrpState.FAULT) {
                        m.goFault();
                    }
                }
                engine.notifier().groupState(config, VrrpState.FAULT);
            }
            return;
        }
        if (members.stream().anyMatch(VrrpInstance::ownPending)) {
            return;
        }
        if (state == VrrpState.FAULT || state == VrrpState.INIT) {
            // every member is clear: they come up together (keepalived's try_up_instance + vrrp_sync_backup)
            state = VrrpState.INIT;
            for (VrrpInstance m : members) {
                if (m.state() == VrrpState.FAULT || m.state() == VrrpState.INIT) {
                    m.leaveFault();
                }
            }
            if (state == VrrpState.INIT) {
                engine.log().info("VRRP_Group(" + name() + ") Syncing instances to BACKUP state");
                state = VrrpState.BACKUP;
                engine.notifier().groupState(config, VrrpState.BACKUP);
            }
        }
    }

    void stop() {
        if (state == VrrpState.STOP) {
            return;
        }
        state = VrrpState.STOP;
        engine.notifier().groupState(config, VrrpState.STOP);
    }
}
