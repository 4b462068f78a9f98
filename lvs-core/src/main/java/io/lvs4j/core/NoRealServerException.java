package io.lvs4j.core;

/** No real server could take a new connection for the named virtual service. */
public class NoRealServerException extends RuntimeException {
    private final ServiceKey service;

    public NoRealServerException(ServiceKey service, String message) {
        super(message);
        this.service = service;
    }

    /** The virtual service that had no real server. */
    public ServiceKey service() {
        return service;
    }
}
