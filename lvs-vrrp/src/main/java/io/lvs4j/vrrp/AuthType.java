package io.lvs4j.vrrp;

/**
 * VRRPv2 authentication types ({@code auth_type}), with their wire value. VRRPv3 allows only
 * {@link #NONE}.
 */
public enum AuthType {
    /** No authentication (wire value 0). */
    NONE(0),
    /** Simple text password, 8 bytes NUL-padded (wire value 1). */
    PASS(1),
    /** IPsec AH with HMAC-MD5-96 (wire value 2; IP protocol 51). */
    AH(2);

    private final int wireValue;

    AuthType(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The value carried in the VRRPv2 "Auth Type" byte. */
    public int wireValue() {
        return wireValue;
    }
}
