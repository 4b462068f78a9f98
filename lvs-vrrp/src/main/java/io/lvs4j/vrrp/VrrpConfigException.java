package io.lvs4j.vrrp;

/**
 * A VRRP configuration value was rejected. The message names the instance (or script or group),
 * the offending value and what is accepted. Nothing is applied when this is thrown.
 */
public class VrrpConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public VrrpConfigException(String message) {
        super(message);
    }
}
