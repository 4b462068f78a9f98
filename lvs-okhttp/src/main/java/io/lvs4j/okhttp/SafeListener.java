package io.lvs4j.okhttp;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.ServiceKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import okhttp3.Request;

/** Calls the application's listener; an exception it throws is logged, never passed to the call. */
final class SafeListener implements LvsEventListener {
    private static final System.Logger LOG = System.getLogger(LvsInterceptor.class.getName());

    private final LvsEventListener delegate;

    SafeListener(LvsEventListener delegate) {
        this.delegate = delegate;
    }

    private static void failed(RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "LvsEventListener failed", e);
    }

    @Override
    public void routed(String service, Request request, RealServer realServer, int attempt) {
        try {
            delegate.routed(service, request, realServer, attempt);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void responded(String service, Request request, RealServer realServer, int code, Duration latency) {
        try {
            delegate.responded(service, request, realServer, code, latency);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void failed(String service, Request request, RealServer realServer, IOException error, boolean retrying) {
        try {
            delegate.failed(service, request, realServer, error, retrying);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void released(String service, RealServer realServer, boolean aborted) {
        try {
            delegate.released(service, realServer, aborted);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void unavailable(String service, Request request, VirtualServiceUnavailableException error) {
        try {
            delegate.unavailable(service, request, error);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void circuitStateChanged(ServiceKey service, InetSocketAddress realServer, CircuitBreaker.State from,
                                    CircuitBreaker.State to) {
        try {
            delegate.circuitStateChanged(service, realServer, from, to);
        } catch (RuntimeException e) {
            failed(e);
        }
    }
}
