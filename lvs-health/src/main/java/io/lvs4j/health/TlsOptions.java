package io.lvs4j.health;

import java.nio.file.Path;

/**
 * TLS settings of SSL_GET. keepalived never verifies the server's certificate; that stays the default
 * ({@link #KEEPALIVED}). {@code verify} checks the chain against {@code caFile} (PEM) or, when null,
 * the JDK trust store, and with {@code verifyHostname} the name (the SNI name, else the URL's
 * virtualhost, else the connect address).
 *
 * @param enableSni  send SNI ({@code enable_sni})
 * @param sniName    {@code sni_name}; null: the url virtualhost, else the checker's, else the VS's
 */
public record TlsOptions(boolean enableSni, String sniName, boolean verify, Path caFile, boolean verifyHostname) {
    /** keepalived's behaviour: no SNI, no verification. */
    public static final TlsOptions KEEPALIVED = new TlsOptions(false, null, false, null, false);
}
