package io.lvs4j.health;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the client {@link SSLContext} for SSL_GET from {@link TlsOptions}: without {@code verify} it
 * trusts every certificate (keepalived never verifies); with it the chain is validated against the
 * PEM certificates of {@code caFile}, else the JDK's default trust store. Stateless.
 */
final class TlsContexts {

    private TlsContexts() {
    }

    /**
     * The context for {@code tls}.
     *
     * @throws IllegalArgumentException if {@code caFile} cannot be read or holds no X.509 certificate
     */
    static SSLContext create(TlsOptions tls) {
        try {
            TrustManager[] trust;
            if (!tls.verify()) {
                trust = new TrustManager[] {TrustEverything.INSTANCE};
            } else {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(tls.caFile() == null ? null : loadPem(tls.caFile()));
                trust = tmf.getTrustManagers();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trust, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the SSL_GET TLS context: " + e.getMessage(), e);
        }
    }

    private static KeyStore loadPem(Path caFile) throws GeneralSecurityException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(caFile)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("ca file " + caFile + " cannot be read (" + e.getMessage()
                    + "); accepted: a file of PEM X.509 certificates", e);
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("ca file " + caFile + " holds no certificate; accepted: a file of PEM X.509 certificates");
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int i = 0;
        for (Certificate c : certs) {
            ks.setCertificateEntry("ca-" + i++, c);
        }
        return ks;
    }

    /** keepalived's behaviour: no chain or name check at all. */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        static final TrustEverything INSTANCE = new TrustEverything();

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
