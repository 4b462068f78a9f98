package io.lvs4j.forwarder;

import io.lvs4j.core.ServiceKey;
import io.lvs4j.vrrp.conf.ConfigDiagnostic;
import io.lvs4j.vrrp.conf.KeepalivedConfig;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Test helpers: configurations from text or from the test resources, and compact views of diagnostics. */
final class TestConfigs {
    static final Path FILE = Path.of("/virtual/etc/keepalived/keepalived.conf");

    private TestConfigs() {
    }

    static ForwarderConfig map(String text) {
        return ConfigMapper.map(KeepalivedConfig.parseText(text, FILE, options()));
    }

    static KeepalivedConfig.Options options() {
        return KeepalivedConfig.Options.builder().configId("lb1").environment(Map.of()).randomSeed(1).build();
    }

    /** A configuration from {@code src/test/resources/io/lvs4j/forwarder/configs}. */
    static Path resource(String name) {
        URL url = TestConfigs.class.getResource("configs/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no test configuration " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static ForwarderConfig load(String resource) {
        try {
            return ForwarderConfig.load(resource(resource), options());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * {@code "LINE: SEVERITY: message"} for each diagnostic of the forwarder's part: the parser's and the
     * mapper's, not those only lvs-vrrp's loader reports (its own tests cover them).
     */
    static List<String> lines(ForwarderConfig config) {
        java.util.Set<ConfigDiagnostic> vrrpOnly = new java.util.HashSet<>(
                io.lvs4j.vrrp.VrrpConfigLoader.load(config.source()).diagnostics());
        vrrpOnly.removeAll(config.source().diagnostics());
        return config.diagnostics().stream().filter(d -> !vrrpOnly.contains(d)).map(TestConfigs::line).toList();
    }

    /** {@code "LINE: SEVERITY: message"} for every diagnostic, lvs-vrrp's included. */
    static List<String> allLines(ForwarderConfig config) {
        return config.diagnostics().stream().map(TestConfigs::line).toList();
    }

    static String line(ConfigDiagnostic d) {
        return d.line() + ": " + d.severity() + ": " + d.message();
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ServiceKey tcp(String address, int port) {
        return ServiceKey.tcp(ip(address), port);
    }

    static ServiceKey udp(String address, int port) {
        return ServiceKey.udp(ip(address), port);
    }
}
