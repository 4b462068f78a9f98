package io.lvs4j.core;

/** Registers IPVS's schedulers in a {@link SchedulerRegistry}. */
final class BuiltinSchedulers {
    private BuiltinSchedulers() {
    }

    static void registerAll(SchedulerRegistry r) {
        r.register("none", o -> (svc, flow) -> null);
    }
}
