package io.lvs4j.core.ipvsadm;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.TableOptions;
import io.lvs4j.core.Ticker;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicLong;

/** Shared fixtures of the ipvsadm tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** A ticker tests move by hand; starts at an arbitrary non-zero origin. */
    static final class FakeTicker implements Ticker {
        private final AtomicLong now = new AtomicLong(7_000_000_000_000L);

        @Override
        public long nanos() {
            return now.get();
        }

        void advanceSeconds(double seconds) {
            now.addAndGet((long) (seconds * 1e9));
        }
    }

    static IpvsTable table(FakeTicker ticker) {
        return new IpvsTable(TableOptions.builder().ticker(ticker).build());
    }

    static IpvsTable table() {
        return table(new FakeTicker());
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs a command line given as one string split on single spaces. */
    static IpvsadmResult run(IpvsTable table, String line) {
        return Ipvsadm.run(table, line.isEmpty() ? new String[0] : line.split(" "));
    }

    /** Runs a command line that must succeed silently. */
    static void ok(IpvsTable table, String line) {
        IpvsadmResult r = run(table, line);
        assertThat(r.stderr()).as("stderr of %s", line).isEmpty();
        assertThat(r.exitCode()).as("exit code of %s", line).isZero();
    }

    /** {@code ipvsadm -R} with {@code input} on standard input. */
    static IpvsadmResult restore(IpvsTable table, String input) {
        return Ipvsadm.run(table, new StringReader(input), "-R");
    }

    /**
     * Everything about the table's configuration ipvsadm can show: the save format, thresholds,
     * weights and persistent counts per server, scan order, and the timeouts.
     */
    static String fingerprint(IpvsTable table) {
        return run(table, "-S -n").stdout()
                + run(table, "-L -n --thresholds").stdout()
                + run(table, "-L -n --nosort").stdout()
                + run(table, "-L --timeout").stdout();
    }
}
