package io.lvs4j.okhttp;

import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.lvs4j.core.Addresses;
import io.lvs4j.core.Flow;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.Lease;
import io.lvs4j.core.Protocol;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.core.TableOptions;
import io.lvs4j.core.Ticker;
import io.lvs4j.core.VirtualService;
import io.lvs4j.core.ipvsadm.Ipvsadm;
import io.lvs4j.core.ipvsadm.IpvsadmResult;
import io.lvs4j.health.HealthChecker;
import io.lvs4j.health.IoLoop;
import io.lvs4j.health.PassiveHealth;
import io.lvs4j.health.VirtualServerSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An OkHttp application interceptor that sends each call for a virtual service to a real server chosen by
 * an lvs-core {@link IpvsTable}, with IPVS's schedulers, connection tracking and persistence, passive and
 * active health, and retries on another real server.
 *
 * <pre>{@code
 * LvsInterceptor lvs = LvsInterceptor.builder()
 *         .service("orders.lvs", ServiceOptions.builder().scheduler("wlc").build())   // TCP 0.0.0.1:80
 *         .clientKey(RequestKey.header("X-User"))
 *         .build();
 * lvs.table().addRealServer(lvs.serviceKey("orders.lvs"), InetAddress.getByName("10.0.0.1"), 8080,
 *         RealServerOptions.weight(3));                      // real servers and weights change at run time
 * OkHttpClient client = new OkHttpClient.Builder().addInterceptor(lvs).build();
 * client.newCall(new Request.Builder().url("http://orders.lvs/orders/42").build()).execute();
 * System.out.print(lvs.ipvsadm("-L", "-n", "--stats").stdout());
 * }</pre>
 *
 * <h2>Routing</h2>
 * A call whose URL host is a registered service name is rewritten to the chosen real server's address and
 * port (a real server with port 0 keeps the URL's port); the {@code Host} header keeps naming the virtual
 * service, as it would through IPVS, unless {@link Builder#keepVirtualHost(boolean) turned off} or set by
 * the caller. Any other host passes through untouched. Service names are fixed when the interceptor is
 * built; several names may share one interceptor, and one IPVS service. Register it with
 * {@code addInterceptor} (not as a network interceptor). Follow-ups OkHttp makes inside the call
 * (redirects, authentication) stay on the chosen real server and its lease; an absolute redirect to a
 * virtual name is not resolved.
 *
 * <h2>What the schedulers see</h2>
 * Each attempt is one flow {@code client address:port -> destination address:port} and one lease on it
 * ({@link IpvsTable#acquire(VirtualService, Flow)}):
 * <ul>
 *   <li><b>client address</b> (hashed by sh and mh, the persistence template's client): with a
 *       {@link Builder#clientKey client key} {@code k}, {@link Flow#keyAddress Flow.keyAddress(k)}: the IPv4
 *       address whose host-order 32-bit value is the CRC-32C of the UTF-8 bytes of {@code k} (for instance
 *       {@code X-User: alice} gives the key {@code alice}); with a {@link Builder#clientAddress client
 *       address} function, that address as it is (so the persistence netmask applies to it). Without a key
 *       (none configured, or the request has none) the call comes from the anonymous client: 127.0.0.1,
 *       moving to the next address of 127.0.0.0/8 every 64,512 calls so that its flows never collide.</li>
 *   <li><b>client port</b>: 1024..65535 from one counter; a key whose flow meets an entry that still exists
 *       takes the next port, up to 64 times. A client key therefore holds at most 64,512 entries in flight or
 *       in TIME_WAIT (120 s): about 537 calls a second sustained per key.</li>
 *   <li><b>destination address</b> (hashed by dh, lblc and lblcr): with a {@link Builder#destinationKey
 *       destination key} {@code d}, {@code Flow.keyAddress(d)}; otherwise the service's virtual address (the
 *       mark's address for a firewall-mark service). The persistence template is keyed by client and
 *       destination address, so with a destination key a client sticks per destination key.</li>
 *   <li><b>destination port</b>: the service's port (0 for a firewall-mark service).</li>
 * </ul>
 *
 * <h2>Connection tracking</h2>
 * A call is an ESTABLISHED (active) entry on its real server from the scheduling decision until its response
 * body is read to the end or closed (immediately for an empty body), then rests in TIME_WAIT (inactive,
 * 120 s) until it expires, so lc, wlc, sed, nq, lblc, lblcr, ovf and twos see the calls in flight. A failed
 * attempt is reset (CLOSE, 10 s). Body bytes are counted (request: its known content length, response: what
 * was read). A response that is never closed keeps its entry active, as it keeps OkHttp's connection.
 * Each finished call holds its TIME_WAIT entry (about 175 bytes of heap) for 120 s: about 21 MB per
 * 1,000 calls a second.
 *
 * <h2>Health and failures</h2>
 * <ul>
 *   <li>Passive (on by default): each attempt's outcome feeds the real server's Resilience4j circuit breaker in
 *       a {@link PassiveHealth} per IPVS service: an I/O failure, or a status the
 *       {@link Builder#failureStatus failure predicate} accepts (5xx by default), is a failure; latency is
 *       measured to the response headers. An open breaker quiesces the server (weight 0); half-open restores
 *       its weight and real calls probe it. Persistence keeps quiesced servers unless the table's
 *       {@code expireQuiescentTemplate} is on, as in IPVS.</li>
 *   <li>Active: {@link Builder#activeHealthChecks} runs keepalived's checkers ({@link HealthChecker}) on the
 *       table.</li>
 *   <li>Retries ({@link RetryPolicy}, through Resilience4j {@code Retry}): a failure before the request was
 *       sent is retried on a real server this call has not tried; see {@link RetryPolicy} for the rest. A
 *       backoff sleeps on the calling thread. OkHttp's own {@code retryOnConnectionFailure} still acts inside
 *       an attempt, on the same real server.</li>
 *   <li>No eligible real server: the call fails at once with {@link VirtualServiceUnavailableException}.</li>
 * </ul>
 *
 * <h2>Observability and lifecycle</h2>
 * {@link #ipvsadm} runs ipvsadm command lines on the table ({@code -L -n}, {@code --stats}, {@code --rate},
 * {@code -L -c}, and admin commands); {@link #services()} maps names to the addresses listings show;
 * {@link Builder#listener} observes every attempt. Building starts the table's maintenance (expiry, rates)
 * and the health checks; {@link #close} stops them, and deletes the services the interceptor created from a
 * table it was given.
 *
 * <p>Thread safety: one interceptor serves any number of clients and threads. Scheduling reads lvs-core's
 * lock-free snapshots; per call it allocates a few small objects and takes no lock of its own.
 */
public final class LvsInterceptor implements Interceptor, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LvsInterceptor.class.getName());
    /** Synthetic service keys are TCP 0.0.0.n:80 ("this network" addresses: never a real destination). */
    private static final int SYNTHETIC_PORT = 80;

    final IpvsTable table;
    final FlowSource flows = new FlowSource();
    final RetryPolicy retryPolicy;
    final IntPredicate failureStatus;
    final LvsEventListener events;
    final Ticker ticker;
    private final Map<String, Route> routes;
    private final Map<String, ServiceKey> names;
    private final Map<ServiceKey, PassiveHealth> passive;
    private final Function<Request, InetAddress> clientAddress;
    private final RequestKey destinationKey;
    private final boolean keepVirtualHost;
    private final Retry retry;
    private final List<ServiceKey> created;
    private final boolean ownsTable;
    private final IoLoop loop;
    private final HealthChecker checker;
    private final AutoCloseable maintenance;
    private volatile boolean closed;

    private LvsInterceptor(Builder b, IpvsTable table, List<ServiceKey> created, Map<String, ServiceKey> names,
                           IoLoop loop, HealthChecker checker, Map<ServiceKey, PassiveHealth> passive,
                           LvsEventListener events) {
        this.table = table;
        this.ownsTable = b.table == null;
        this.created = created;
        this.names = Collections.unmodifiableMap(names);
        this.loop = loop;
        this.checker = checker;
        this.passive = passive;
        this.retryPolicy = b.retry;
        this.failureStatus = b.failureStatus;
        this.events = events;
        this.ticker = b.ticker;
        this.clientAddress = b.clientAddress;
        this.destinationKey = b.destinationKey;
        this.keepVirtualHost = b.keepVirtualHost;
        Map<String, Route> r = new HashMap<>();
        names.forEach((name, key) -> r.put(name, new Route(name, key, passive.get(key))));
        this.routes = r;
        this.retry = Retry.of("lvs4j-okhttp", RetryConfig.custom()
                .maxAttempts(b.retry.maxAttempts())
                .waitDuration(b.retry.backoff())
                .retryOnException(t -> t instanceof RetryableFailure)
                .failAfterMaxAttempts(false)
                .build());
        this.maintenance = b.startMaintenance ? table.startMaintenance() : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        Route route = routes.get(request.url().host());
        if (route == null) {
            return chain.proceed(request);
        }
        if (closed) {
            throw unavailable(route, request, "the interceptor is closed");
        }
        InetAddress client;
        InetAddress destination = route.virtualAddress;
        try {
            client = clientAddress == null ? null : clientAddress.apply(request);
            String d = destinationKey == null ? null : destinationKey.key(request);
            if (d != null) {
                destination = Flow.keyAddress(d);
            }
        } catch (RuntimeException e) {
            // an IOException reaches Callback.onFailure; a RuntimeException would kill OkHttp's dispatcher thread
            throw new IOException("the client or destination key of a call to virtual service " + route.name
                    + " failed: " + e, e);
        }
        CheckedSupplier<Response> call = new BalancedCall(this, route, chain, request, client, destination);
        try {
            return retry.executeCheckedSupplier(call);
        } catch (RetryableFailure e) {
            throw e.failure; // the last attempt failed too
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    /** {@code request} sent to {@code d}: its address and port, the virtual name kept in {@code Host}. */
    Request rewrite(Request request, RealServer d) {
        HttpUrl url = request.url();
        int port = d.port() != 0 ? d.port() : url.port();
        Request.Builder b = request.newBuilder().url(url.newBuilder().host(d.address().getHostAddress()).port(port).build());
        if (keepVirtualHost && request.header("Host") == null) {
            b.header("Host", url.port() == HttpUrl.defaultPort(url.scheme()) ? url.host() : url.host() + ":" + url.port());
        }
        return b.build();
    }

    /** The exception for a call no real server can take, reported to the listener. */
    VirtualServiceUnavailableException unavailable(Route route, Request request, String reason) {
        VirtualServiceUnavailableException e = new VirtualServiceUnavailableException(route.name, route.key, reason);
        events.unavailable(route.name, request, e);
        return e;
    }

    /** Why the scheduler of {@code svc} found no real server, for messages. */
    static String why(VirtualService svc) {
        List<RealServer> servers = svc.realServers();
        if (servers.isEmpty()) {
            return "the service has no real servers";
        }
        int quiesced = 0;
        int overloaded = 0;
        for (RealServer d : servers) {
            if (d.weight() == 0) {
                quiesced++;
            } else if (d.overloaded()) {
                overloaded++;
            }
        }
        return "none of its " + servers.size() + " real servers was eligible (" + quiesced + " with weight 0, "
                + overloaded + " overloaded, scheduler " + svc.options().scheduler() + ")";
    }

    /** The table calls are scheduled in: add, edit and delete real servers here at run time. */
    public IpvsTable table() {
        return table;
    }

    /** Every service name and the IPVS service it stands for, in the order they were registered. */
    public Map<String, ServiceKey> services() {
        return names;
    }

    /** The IPVS service {@code name} stands for; throws naming the known names if it is not registered. */
    public ServiceKey serviceKey(String name) {
        ServiceKey key = names.get(canonical(name));
        if (key == null) {
            throw new IllegalArgumentException("virtual service name '" + name + "' is not registered; accepted: "
                    + String.join(", ", names.keySet()));
        }
        return key;
    }

    /** The passive health of the service {@code name} stands for, or null when passive health is off. */
    public PassiveHealth passiveHealth(String name) {
        return passive.get(serviceKey(name));
    }

    /**
     * Runs one ipvsadm command line on the table, as {@link Ipvsadm#run(IpvsTable, String...)}:
     * {@code ipvsadm("-L", "-n")}, {@code ("-L", "-n", "--stats")}, {@code ("-L", "-n", "--rate")}...
     */
    public IpvsadmResult ipvsadm(String... argv) {
        return Ipvsadm.run(table, argv);
    }

    /**
     * Stops maintenance and health checking (the health checker releases what it installed, passive health
     * gives quiesced servers their weight back) and deletes the services this interceptor created in a table
     * it was given. Calls made afterwards to a virtual service fail. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (maintenance != null) {
            try {
                maintenance.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "stopping table maintenance failed", e);
            }
        }
        if (checker != null) {
            checker.close();
        }
        passive.values().forEach(PassiveHealth::close);
        if (loop != null) {
            loop.close();
        }
        if (!ownsTable) {
            deleteServices(table, created);
        }
    }

    private static void deleteServices(IpvsTable table, List<ServiceKey> keys) {
        table.atomically(() -> {
            for (ServiceKey k : keys) {
                if (table.service(k) != null) {
                    table.deleteService(k);
                }
            }
        });
    }

    /** The host OkHttp would put in a URL for {@code name}, or null when {@code name} is not a host name. */
    private static String canonical(String name) {
        if (name == null) {
            return null;
        }
        HttpUrl url = HttpUrl.parse("http://" + name + "/");
        return url != null && url.host().equalsIgnoreCase(name) ? url.host() : null;
    }

    /**
     * Builder of {@link LvsInterceptor}. Defaults: its own table with the kernel's defaults (or the one
     * given), no client or destination key, {@link RetryPolicy#defaults()}, passive health on with
     * {@link PassiveHealth}'s defaults, 5xx counted as failures, the virtual name kept in {@code Host},
     * maintenance started. At least one service name is required.
     */
    public static final class Builder {
        private record Registration(ServiceOptions options, ServiceKey key, VirtualServerSpec spec) {
        }

        private IpvsTable table;
        private TableOptions tableOptions;
        private final Map<String, Registration> registrations = new LinkedHashMap<>();
        private Function<Request, InetAddress> clientAddress;
        private RequestKey destinationKey;
        private RetryPolicy retry = RetryPolicy.defaults();
        private boolean passiveHealth = true;
        private UnaryOperator<PassiveHealth.Builder> passiveHealthConfig = UnaryOperator.identity();
        private UnaryOperator<HealthChecker.Builder> healthCheckerConfig = UnaryOperator.identity();
        private IntPredicate failureStatus = code -> code >= 500;
        private boolean keepVirtualHost = true;
        private LvsEventListener listener = new LvsEventListener() {
        };
        private boolean startMaintenance = true;
        /** Measures attempt latency (passive health, listener); tests replace it. */
        Ticker ticker = Ticker.system();

        private Builder() {
        }

        /** Schedules in {@code table} (shared with other users, a health checker...). Not with {@link #tableOptions}. */
        public Builder table(IpvsTable table) {
            this.table = Objects.requireNonNull(table, "table");
            return this;
        }

        /** Makes the interceptor's own table with these options (clock, sysctls). Not with {@link #table}. */
        public Builder tableOptions(TableOptions options) {
            this.tableOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Registers {@code name} (a host name, such as {@code orders.lvs}) as a new IPVS service with
         * {@code options}, created when the interceptor is built under a synthetic key: TCP 0.0.0.n:80 for the
         * lowest n ≥ 1 not already a service in the table (the first name registered in a new table is
         * 0.0.0.1:80). Its real servers are added through {@link LvsInterceptor#table()}.
         */
        public Builder service(String name, ServiceOptions options) {
            Objects.requireNonNull(options, "options");
            return register(name, new Registration(options, null, null));
        }

        /**
         * Registers {@code name} for the existing TCP or firewall-mark service {@code key}, managed by the
         * application (or by a health checker) in the {@link #table} given; calls fail while it is absent.
         */
        public Builder service(String name, ServiceKey key) {
            checkProtocol(key);
            return register(name, new Registration(null, key, null));
        }

        /**
         * Registers {@code name} for {@code spec.key()} and checks its real servers with keepalived's checkers:
         * when built, the interceptor runs a {@link HealthChecker} on its table that creates the service if
         * absent, installs the real servers of {@code spec} and adds and removes them as they pass and fail
         * their checks; closing the interceptor closes the checker.
         */
        public Builder activeHealthChecks(String name, VirtualServerSpec spec) {
            checkProtocol(spec.key());
            return register(name, new Registration(null, spec.key(), spec));
        }

        /** Customizes the {@link HealthChecker} of {@link #activeHealthChecks} (listener, log sink...). */
        public Builder healthChecker(UnaryOperator<HealthChecker.Builder> config) {
            this.healthCheckerConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The client key of each call (see the class comment). Replaces a {@link #clientAddress}. */
        public Builder clientKey(RequestKey key) {
            Objects.requireNonNull(key, "key");
            this.clientAddress = request -> {
                String k = key.key(request);
                return k == null ? null : Flow.keyAddress(k);
            };
            return this;
        }

        /**
         * The client address of each call, used as it is (the caller's real address when the application
         * knows it); null for the anonymous client. Replaces a {@link #clientKey}.
         */
        public Builder clientAddress(Function<Request, InetAddress> address) {
            this.clientAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The destination key of each call, for dh, lblc and lblcr (see the class comment). */
        public Builder destinationKey(RequestKey key) {
            this.destinationKey = Objects.requireNonNull(key, "key");
            return this;
        }

        public Builder retry(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Turns passive health on (the default) or off. */
        public Builder passiveHealth(boolean enabled) {
            this.passiveHealth = enabled;
            return this;
        }

        /**
         * Turns passive health on and customizes each service's {@link PassiveHealth} (thresholds, window,
         * wait in open state). The builder comes with the interceptor's timer and a listener forwarding to
         * {@link LvsEventListener#circuitStateChanged}; setting either replaces it.
         */
        public Builder passiveHealth(UnaryOperator<PassiveHealth.Builder> config) {
            this.passiveHealthConfig = Objects.requireNonNull(config, "config");
            this.passiveHealth = true;
            return this;
        }

        /** Which HTTP status codes count as failures for passive health (default: 500 and above). */
        public Builder failureStatus(IntPredicate failure) {
            this.failureStatus = Objects.requireNonNull(failure, "failure");
            return this;
        }

        /**
         * Whether the {@code Host} header keeps naming the virtual service ({@code orders.lvs}), as through
         * IPVS (the default), or names the real server, as OkHttp derives it from the rewritten URL.
         */
        public Builder keepVirtualHost(boolean keep) {
            this.keepVirtualHost = keep;
            return this;
        }

        public Builder listener(LvsEventListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Whether building starts the table's maintenance thread (expiry, rates every 10 ms; the default).
         * Turn off when the application already runs {@link IpvsTable#runMaintenance()} on a shared table.
         */
        public Builder startMaintenance(boolean start) {
            this.startMaintenance = start;
            return this;
        }

        private Builder register(String name, Registration registration) {
            String host = canonical(name);
            if (host == null) {
                throw new IllegalArgumentException("virtual service name '" + name
                        + "' is not a host name; accepted: a name such as orders.lvs, without scheme, port or path");
            }
            if (registrations.containsKey(host)) {
                throw new IllegalArgumentException("virtual service name '" + host + "' is already registered");
            }
            registrations.put(host, registration);
            return this;
        }

        private static void checkProtocol(ServiceKey key) {
            Objects.requireNonNull(key, "key");
            if (!key.isFwmark() && key.protocol() != Protocol.TCP) {
                throw new IllegalArgumentException("service " + key
                        + " cannot carry HTTP calls; accepted: a TCP or firewall-mark service");
            }
        }

        /**
         * Builds the interceptor: creates the synthetic services, starts the health checker and the table's
         * maintenance. On failure nothing is left behind (services created are deleted, threads stopped).
         *
         * @throws IllegalStateException    no service name registered, or both a table and table options given
         * @throws IllegalArgumentException a service or health-check spec is refused (the message names it)
         */
        public LvsInterceptor build() {
            if (registrations.isEmpty()) {
                throw new IllegalStateException("no virtual service registered; add one with service(name, ...)");
            }
            if (table != null && tableOptions != null) {
                throw new IllegalStateException("give either table(...) or tableOptions(...), not both");
            }
            IpvsTable t = table != null ? table : new IpvsTable(tableOptions != null ? tableOptions : TableOptions.defaults());
            List<ServiceKey> created = new ArrayList<>();
            Map<String, ServiceKey> names = new LinkedHashMap<>();
            t.atomically(() -> {
                try {
                    int n = 1;
                    for (Map.Entry<String, Registration> e : registrations.entrySet()) {
                        Registration r = e.getValue();
                        ServiceKey key = r.key();
                        if (r.options() != null) {
                            while (t.service(key = ServiceKey.tcp(Addresses.ipv4(n), SYNTHETIC_PORT)) != null) {
                                n++;
                            }
                            t.addService(key, r.options());
                            created.add(key);
                        }
                        names.put(e.getKey(), key);
                    }
                } catch (RuntimeException e) {
                    deleteServices(t, created);
                    throw e;
                }
            });
            boolean checks = registrations.values().stream().anyMatch(r -> r.spec() != null);
            IoLoop loop = null;
            HealthChecker checker = null;
            Map<ServiceKey, PassiveHealth> passive = new HashMap<>();
            SafeListener events = new SafeListener(listener);
            try {
                if (checks || passiveHealth) {
                    loop = new IoLoop();
                }
                if (checks) {
                    checker = healthCheckerConfig.apply(HealthChecker.builder(t).timer(loop)).build();
                    for (Registration r : registrations.values()) {
                        if (r.spec() != null) {
                            checker.add(r.spec());
                        }
                    }
                }
                if (passiveHealth) {
                    for (ServiceKey key : names.values()) {
                        if (!passive.containsKey(key)) {
                            PassiveHealth.Builder pb = PassiveHealth.builder(t, key).timer(loop)
                                    .listener(events::circuitStateChanged);
                            passive.put(key, passiveHealthConfig.apply(pb).build());
                        }
                    }
                }
                LvsInterceptor lvs = new LvsInterceptor(this, t, created, names, loop, checker, passive, events);
                if (checker != null) {
                    checker.start();
                }
                return lvs;
            } catch (RuntimeException e) {
                passive.values().forEach(PassiveHealth::close);
                if (checker != null) {
                    checker.close();
                }
                if (loop != null) {
                    loop.close();
                }
                deleteServices(t, created);
                throw e;
            }
        }
    }
}
