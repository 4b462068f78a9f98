package io.lvs4j.okhttp;

import io.lvs4j.core.ServiceKey;
import java.io.IOException;

/**
 * A call to a virtual service failed before anything was sent because no real server could take it:
 * the service has no real servers, all of them are quiesced (weight 0) or overloaded, the service is not
 * in the table, or the interceptor is closed. Thrown at once, without retrying. An {@link IOException} so
 * that OkHttp hands it to {@code Callback.onFailure} for asynchronous calls.
 */
public final class VirtualServiceUnavailableException extends IOException {
    private final String serviceName;
    private final transient ServiceKey serviceKey;

    VirtualServiceUnavailableException(String serviceName, ServiceKey serviceKey, String reason) {
        super("no real server available for virtual service " + serviceName + " (" + serviceKey + "): " + reason);
        this.serviceName = serviceName;
        this.serviceKey = serviceKey;
    }

    /** The virtual service name the call was made to, as the interceptor knows it ({@code orders.lvs}). */
    public String serviceName() {
        return serviceName;
    }

    /** The IPVS service that name stands for. */
    public ServiceKey serviceKey() {
        return serviceKey;
    }
}
