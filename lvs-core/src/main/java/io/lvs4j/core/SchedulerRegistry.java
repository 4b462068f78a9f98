package io.lvs4j.core;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Scheduler names and how to make one. {@link #defaults()} knows IPVS's schedulers: rr, wrr, lc,
 * wlc, lblc, lblcr, dh, sh, sed, nq, mh, fo, ovf, twos and {@code none} (never schedules).
 * Applications add their own with {@link #register}. Thread-safe.
 */
public final class SchedulerRegistry {

    /** Makes a fresh scheduler for one virtual service of a table with these options. */
    @FunctionalInterface
    public interface Factory {
        Scheduler create(TableOptions options);
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    private final Map<String, Factory> factories = new ConcurrentHashMap<>();

    private SchedulerRegistry() {
    }

    /** A new registry holding the built-in schedulers. */
    public static SchedulerRegistry defaults() {
        SchedulerRegistry r = new SchedulerRegistry();
        BuiltinSchedulers.registerAll(r);
        return r;
    }

    /**
     * Registers (or replaces) a scheduler under {@code name}: 1 to 15 characters of letters, digits,
     * {@code _ . -} (IP_VS_SCHEDNAME_MAXLEN is 16 with the terminator).
     */
    public SchedulerRegistry register(String name, Factory factory) {
        Objects.requireNonNull(factory, "factory");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("scheduler name '" + name
                    + "' is not valid; accepted: 1-15 characters of letters, digits, '_', '.', '-'");
        }
        factories.put(name, factory);
        return this;
    }

    /** True if {@code name} is known. */
    public boolean contains(String name) {
        return factories.containsKey(name);
    }

    /** The known names, sorted. */
    public Set<String> names() {
        return new TreeSet<>(factories.keySet());
    }

    /** A new scheduler called {@code name}; throws naming the known names when it is unknown. */
    public Scheduler create(String name, TableOptions options) {
        Factory f = factories.get(name);
        if (f == null) {
            throw new IllegalArgumentException("scheduler '" + name + "' not found; accepted: " + String.join(", ", names()));
        }
        return Objects.requireNonNull(f.create(options), "scheduler factory for '" + name + "' returned null");
    }
}
