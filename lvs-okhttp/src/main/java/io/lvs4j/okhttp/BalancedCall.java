package io.lvs4j.okhttp;

import io.github.resilience4j.core.functions.CheckedSupplier;
import io.lvs4j.core.Flow;
import io.lvs4j.core.Lease;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.VirtualService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * One call to a virtual service: each {@link #get()} is one attempt (lease a real server, send, report the
 * outcome); the successful attempt's lease ends when its response body does ({@link #release}). Attempts of
 * one call run one after another on one thread; {@link #release} may run on another.
 */
final class BalancedCall implements CheckedSupplier<Response> {
    /** How many flows to try when a client key's flow meets an entry that still exists. */
    private static final int PORT_TRIES = 64;
    private static final AtomicIntegerFieldUpdater<BalancedCall> RELEASED =
            AtomicIntegerFieldUpdater.newUpdater(BalancedCall.class, "released");

    private final LvsInterceptor lvs;
    private final Route route;
    private final Interceptor.Chain chain;
    private final Request request;
    private final InetAddress client;
    private final InetAddress destination;
    private int attempts;
    /** Real servers whose attempt failed, and their failures, in order; null until one fails. */
    private List<RealServer> tried;
    private List<IOException> failures;
    /** The successful attempt's lease and real server. */
    private Lease lease;
    private RealServer realServer;
    private long requestBytes;
    private volatile int released;

    BalancedCall(LvsInterceptor lvs, Route route, Interceptor.Chain chain, Request request, InetAddress client,
                 InetAddress destination) {
        this.lvs = lvs;
        this.route = route;
        this.chain = chain;
        this.request = request;
        this.client = client;
        this.destination = destination;
    }

    @Override
    public Response get() throws IOException, RetryableFailure {
        int attempt = ++attempts;
        Lease l = acquire();
        RealServer d = l.realServer();
        lvs.events.routed(route.name, request, d, attempt);
        long start = lvs.ticker.nanos();
        Response response;
        try {
            response = chain.proceed(lvs.rewrite(request, d));
        } catch (IOException e) {
            Duration latency = Duration.ofNanos(lvs.ticker.nanos() - start);
            l.abort();
            throw failed(d, e, latency, attempt);
        } catch (RuntimeException | Error e) {
            l.abort();
            lvs.events.released(route.name, d, true);
            throw e;
        }
        Duration latency = Duration.ofNanos(lvs.ticker.nanos() - start);
        int code = response.code();
        if (route.health != null) {
            InetSocketAddress rs = new InetSocketAddress(d.address(), d.port());
            if (lvs.failureStatus.test(code)) {
                route.health.onFailure(rs, latency, new IOException("HTTP " + code + " from " + d));
            } else {
                route.health.onSuccess(rs, latency);
            }
        }
        lvs.events.responded(route.name, request, d, code, latency);
        this.lease = l;
        this.realServer = d;
        this.requestBytes = requestBytes();
        ResponseBody body = response.body();
        if (body == null || body.contentLength() == 0 || !hasBody(code)) {
            release(0, false); // nothing more will come: the call is over
            return response;
        }
        return response.newBuilder().body(new LeasedResponseBody(body, this)).build();
    }

    /** False when the response ends with its headers whatever Content-Length says (RFC 9110 §6.4.1). */
    private boolean hasBody(int code) {
        return !"HEAD".equals(request.method()) && code != 204 && code != 304 && (code >= 200 || code == 101);
    }

    /** Ends the successful attempt's lease once: counts its bytes and closes it, or aborts it. */
    void release(long responseBytes, boolean aborted) {
        if (!RELEASED.compareAndSet(this, 0, 1)) {
            return;
        }
        if (aborted) {
            lease.abort();
        } else {
            if (requestBytes > 0 || responseBytes > 0) {
                lease.count(requestBytes, responseBytes);
            }
            lease.close();
        }
        lvs.events.released(route.name, realServer, aborted);
    }

    private long requestBytes() {
        RequestBody body = request.body();
        if (body == null) {
            return 0;
        }
        try {
            return Math.max(0, body.contentLength());
        } catch (IOException e) {
            return 0;
        }
    }

    /** Reports a failed attempt; returns the {@link RetryableFailure} to throw, or throws the failure itself. */
    private RetryableFailure failed(RealServer d, IOException e, Duration latency, int attempt) throws IOException {
        boolean canceled = chain.call().isCanceled();
        if (!canceled && route.health != null) {
            route.health.onFailure(new InetSocketAddress(d.address(), d.port()), latency, e);
        }
        boolean retryable = !canceled
                && (Failures.beforeSend(e) || (lvs.retryPolicy.retryIdempotent() && Failures.repeatable(request)));
        boolean retrying = retryable && attempt < lvs.retryPolicy.maxAttempts();
        lvs.events.failed(route.name, request, d, e, retrying);
        lvs.events.released(route.name, d, true);
        if (tried == null) {
            tried = new ArrayList<>(2);
            failures = new ArrayList<>(2);
        }
        tried.add(d);
        failures.add(e);
        if (!retrying) {
            throw withEarlierFailures(e);
        }
        return new RetryableFailure(e);
    }

    /** The last failure, with the earlier attempts' failures suppressed in it. */
    private IOException withEarlierFailures(IOException last) {
        if (failures != null) {
            for (IOException f : failures) {
                if (f != last) {
                    last.addSuppressed(f);
                }
            }
        }
        return last;
    }

    /**
     * A lease on a real server this call has not tried yet. The first attempt takes the scheduler's pick;
     * a retry re-runs the scheduler (a new flow each time, the same client and destination keys) until it
     * names an untried server, at most n + 1 times for n real servers (once for a persistent service, whose
     * template decides), aborting the picks it cannot use.
     */
    private Lease acquire() throws IOException {
        VirtualService svc = lvs.table.service(route.key);
        if (svc == null || !svc.active()) {
            throw lvs.unavailable(route, request, "the service is not in the table");
        }
        int picks = tried == null || svc.options().persistent() ? 1 : svc.realServers().size() + 1;
        for (int pick = 0; pick < picks; pick++) {
            Lease l = leaseOnce(svc);
            if (tried == null || !tried.contains(l.realServer())) {
                return l;
            }
            l.abort();
        }
        throw withEarlierFailures(failures.get(failures.size() - 1));
    }

    private Lease leaseOnce(VirtualService svc) throws IOException {
        for (int i = 0; i < PORT_TRIES; i++) {
            Flow flow = lvs.flows.next(client, destination, route.virtualPort);
            Lease l = lvs.table.acquire(svc, flow);
            if (l != null) {
                return l;
            }
            if (lvs.table.connection(flow) == null) {
                throw lvs.unavailable(route, request, LvsInterceptor.why(svc));
            }
        }
        String who = client == null ? "the anonymous client" : "client " + client.getHostAddress();
        throw lvs.unavailable(route, request, who + " has no free client port ("
                + PORT_TRIES + " flows met existing connection entries; one client key holds at most "
                + FlowSource.PORTS + " entries, in flight or lingering in TIME_WAIT)");
    }
}
