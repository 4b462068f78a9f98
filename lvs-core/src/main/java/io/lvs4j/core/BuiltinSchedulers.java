package io.lvs4j.core;

/** Registers IPVS's schedulers in a {@link SchedulerRegistry}. */
final class BuiltinSchedulers {
    private BuiltinSchedulers() {
    }

    static void registerAll(SchedulerRegistry r) {
        r.register("rr", o -> new RoundRobinScheduler());
        r.register("wrr", o -> new WeightedRoundRobinScheduler());
        r.register("lc", o -> new LeastConnectionScheduler());
        r.register("wlc", o -> new WeightedLeastConnectionScheduler());
        r.register("lblc", LocalityBasedLeastConnectionScheduler::new);
        r.register("lblcr", ReplicatedLocalityBasedLeastConnectionScheduler::new);
        r.register("dh", DestinationHashingScheduler::new);
        r.register("sh", SourceHashingScheduler::new);
        r.register("sed", o -> new ShortestExpectedDelayScheduler());
        r.register("nq", o -> new NeverQueueScheduler());
        r.register("mh", MaglevHashingScheduler::new);
        r.register("fo", o -> new WeightedFailoverScheduler());
        r.register("ovf", o -> new WeightedOverflowScheduler());
        r.register("twos", o -> new PowerOfTwoChoicesScheduler());
        r.register("none", o -> (svc, flow) -> null);
    }
}
