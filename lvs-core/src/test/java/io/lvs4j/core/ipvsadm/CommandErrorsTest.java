package io.lvs4j.core.ipvsadm;

import static io.lvs4j.core.ipvsadm.Fixtures.fingerprint;
import static io.lvs4j.core.ipvsadm.Fixtures.ok;
import static io.lvs4j.core.ipvsadm.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs4j.core.IpvsTable;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every refusal prints ipvsadm's line, ends with ipvsadm's exit status and changes nothing. */
class CommandErrorsTest {
    private static final String TRY = "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n";
    private static final String EINVAL = "Invalid operation.  Possibly wrong module version, address not unicast, ...\n";

    private static IpvsTable populated() {
        IpvsTable t = Fixtures.table();
        ok(t, "-A -t 10.0.0.1:80 -s rr");
        ok(t, "-a -t 10.0.0.1:80 -r 10.0.1.1 -m -w 2 -x 10 -y 5");
        ok(t, "-a -t 10.0.0.1:80 -r 10.0.1.2:8080 -m");
        ok(t, "-A -u 10.0.0.1:53 -s wlc -o");
        ok(t, "-A -f 1 -s sh -b sh-port -p 60");
        ok(t, "--set 100 50 30");
        return t;
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                // the first option must be the command
                Arguments.of("-n -L", TRY, 255),
                Arguments.of("foo", TRY, 255),
                Arguments.of("--bogus", TRY, 255),
                // option parsing errors after the command
                Arguments.of("-L --bogus", "--bogus: unknown option\n", 255),
                Arguments.of("-L -q", "-q: unknown option\n", 255),
                Arguments.of("-Lq", "-Lq: unknown option\n", 255),
                Arguments.of("-L --numeric=1", "--numeric=1: option does not take an argument\n", 255),
                Arguments.of("-A -t", "-t: missing argument\n", 255),
                // -p takes no argument that starts with '-': "-1" is then an unknown option
                Arguments.of("-A -t 10.0.0.9:80 -p -1", "-1: unknown option\n", 255),
                Arguments.of("-A -t 10.0.0.9:80 -C", "invalid option `-C'\n", 2),
                Arguments.of("-L -L", "invalid option `-L'\n", 2),
                Arguments.of("-A -t 10.0.0.9:80 -t 10.0.0.9:81", "multiple 'service-address' options specified\n", 2),
                Arguments.of("-A -t 10.0.0.9:80 -f 9", "multiple 'service-address' options specified\n", 2),
                Arguments.of("-a -t 10.0.0.1:80 -r 10.0.1.3 -g -m", "multiple 'forwarding-method' options specified\n", 2),
                // values
                Arguments.of("-a -t 10.0.0.1:80 -r 10.0.1.3 -w 65536", "illegal weight specified\n", 2),
                Arguments.of("-a -t 10.0.0.1:80 -r 10.0.1.3 -w -1", "illegal weight specified\n", 2),
                Arguments.of("-a -t 10.0.0.1:80 -r 10.0.1.3 -w 1x", "illegal weight specified\n", 2),
                Arguments.of("-a -t 10.0.0.1:80 -r 10.0.1.3 -x -5", "illegal u_threshold specified\n", 2),
                Arguments.of("-a -t 10.0.0.1:80 -r 10.0.1.3 -y 2147483648", "illegal l_threshold specified\n", 2),
                Arguments.of("-A -t 10.0.0.9:65536", "illegal virtual server address[:port] specified\n", 2),
                Arguments.of("-A -t 80", "illegal virtual server address[:port] specified\n", 2),
                Arguments.of("-A -t 10.0.0.9:", "illegal virtual server address[:port] specified\n", 2),
                Arguments.of("-A -t [2001:db8::9]", "illegal virtual server address[:port] specified\n", 2),
                Arguments.of("-A -t www.example.com:80", "illegal virtual server address[:port] specified\n", 2),
                Arguments.of("-A -t 10.0.0.9:nosuchservice", "illegal virtual server address[:port] specified\n", 2),
                Arguments.of("-a -t 10.0.0.1:80 -r 10.0.1.999", "illegal real server address[:port] specified\n", 2),
                Arguments.of("-A -t 10.0.0.9:80 -p 0", "invalid timeout value `0' specified\n", 2),
                Arguments.of("-A -t 10.0.0.9:80 -p 2678401", "invalid timeout value `2678401' specified\n", 2),
                Arguments.of("-A -t 10.0.0.9:80 -pabc", "invalid timeout value `abc' specified\n", 2),
                Arguments.of("-A -f 0", "invalid fwmark value `0' specified\n", 2),
                Arguments.of("-A -f 4294967296", "invalid fwmark value `4294967296' specified\n", 2),
                Arguments.of("-A -t 10.0.0.9:80 -6", "-6 used before -f\n\n", 2),
                Arguments.of("-A -t 10.0.0.9:80 -b sh-port", "incompatible scheduler flag `sh-port'\n", 2),
                Arguments.of("-A -t 10.0.0.9:80 -s sh -b sh-port,bogus", "invalid scheduler flag `bogus'\n", 2),
                Arguments.of("-A -t [2001:db8::9]:80 -p -M 129", "illegal ipv6 netmask specified\n", 2),
                Arguments.of("-A -t 10.0.0.9:80 -p -M 300.0.0.0", "illegal virtual server persistent mask specified\n", 2),
                // per-command checks
                Arguments.of("-A -t 10.0.0.9:0", "Zero port specified for non-persistent service\n", 2),
                Arguments.of("-E -t 10.0.0.1:0 -s rr", "Zero port specified for non-persistent service\n", 2),
                Arguments.of("-A -t 10.0.0.9:53 -o", "One-Packet Scheduling is only for UDP virtual services\n", 2),
                Arguments.of("-a -t 10.0.0.1:80 -r [2001:db8::1]:80 -m",
                        "Different address family is allowed only for tunneling servers\n", 2),
                Arguments.of("-a -t 10.0.0.1:80 -r 10.0.1.3 -m --tun-type gue",
                        "Tunnel options conflict with forward method\n", 2),
                Arguments.of("-a -t 10.0.0.1:80 -r 10.0.1.3 -i --tun-type gue",
                        "You need to supply the 'tun-port' option for the 'gue' tunnel type\n", 2),
                Arguments.of("-a -t 10.0.0.1:80 -r 10.0.1.3 -i --tun-port 5555",
                        "Illegal 'tun-port' option with the 'ipip' tunnel type\n", 2),
                Arguments.of("-a -t 10.0.0.1:80 -r 10.0.1.3 -i --tun-type gre --tun-csum --tun-nocsum",
                        "The option 'tun-csum' conflicts with the 'tun-nocsum' option in the 'gre' tunnel type\n", 2),
                Arguments.of("-a -t 10.0.0.1:80 -r 10.0.1.3 -i --tun-type vxlan", "illegal tunnel type specified\n", 2),
                // the option/command table
                Arguments.of("-A -t 10.0.0.9:80 -r 10.0.1.1",
                        "Illegal 'real-server' option with the 'add-service' command\n", 2),
                Arguments.of("-a -t 10.0.0.1:80",
                        "You need to supply the 'real-server' option for the 'add-server' command\n", 2),
                Arguments.of("-a -r 10.0.1.3",
                        "You need to supply the 'service-address' option for the 'add-server' command\n", 2),
                Arguments.of("-D -t 10.0.0.1:80 -s rr", "Illegal 'scheduler' option with the 'delete-service' command\n", 2),
                Arguments.of("-C -n", "Illegal 'numeric' option with the 'flush' command\n", 2),
                Arguments.of("-L -o", "Illegal 'ops' option with the 'list' command\n", 2),
                Arguments.of("-S --nosort", "Illegal 'nosort' option with the 'save' command\n", 2),
                Arguments.of("-Z -n", "Illegal 'numeric' option with the 'zero' command\n", 2),
                Arguments.of("-L -c -t 10.0.0.1:80",
                        "The option 'service-address' conflicts with the 'connection' option in the 'list' command\n", 2),
                Arguments.of("-L --timeout --daemon",
                        "The option 'daemon' conflicts with the 'timeout' option in the 'list' command\n", 2),
                Arguments.of("-L -c --stats", "options conflicts in the list command\n", 2),
                Arguments.of("-L --timeout --persistent-conn", "options conflicts in the list command\n", 2),
                Arguments.of("--set 1 2", "--set option requires 3 timeout values\n", 2),
                Arguments.of("--set 1 2 x", "invalid timeout value `x' specified\n", 2),
                Arguments.of("--set 1 2 2678401", "invalid timeout value `2678401' specified\n", 2),
                Arguments.of("--set 1 2 3 4", "unexpected argument 4\n", 2),
                Arguments.of("-L extra", "unexpected argument extra\n", 2),
                Arguments.of("--start-daemon foo", "illegal start-daemon parameter specified\n", 2),
                Arguments.of("--stop-daemon foo", "illegal start_daemon specified\n", 2),
                Arguments.of("--start-daemon master --mcast-port 0", "illegal mcast-port specified\n", 2),
                Arguments.of("--start-daemon master --mcast-group 10.0.0.1", "invalid IPv4 mcast-group `10.0.0.1'\n", 2),
                Arguments.of("-L --syncid 256", "illegal syncid specified\n", 2));
    }

    static Stream<Arguments> kernelErrors() {
        return Stream.of(
                Arguments.of("-A -t 10.0.0.1:80", "Service already exists\n", 255),
                Arguments.of("-A -t 10.0.0.1:80 -s nosuch", "Service already exists\n", 255),
                Arguments.of("-A -t 10.0.0.9:80 -s nosuch", "Scheduler or persistence engine not found\n", 255),
                Arguments.of("-A -t 10.0.0.9:80 --pe sip", "Scheduler or persistence engine not found\n", 255),
                Arguments.of("-E -t 10.0.0.9:80", "No such service\n", 255),
                Arguments.of("-E -t 10.0.0.1:80 -s nosuch", "Scheduler or persistence engine not found\n", 255),
                Arguments.of("-D -t 10.0.0.9:80", "No such service\n", 255),
                Arguments.of("-D -u 10.0.0.1:80", "No such service\n", 255),
                Arguments.of("-Z -t 10.0.0.9:80", "No such service\n", 255),
                Arguments.of("-a -t 10.0.0.9:80 -r 10.0.1.1", "Service not defined\n", 255),
                Arguments.of("-a -t 10.0.0.1:80 -r 10.0.1.1 -m", "Destination already exists\n", 255),
                Arguments.of("-a -t 10.0.0.1:80 -r 10.0.1.3 -x 5 -y 10", "Numerical result out of range\n", 255),
                Arguments.of("-a -t 10.0.0.1:80 -r 10.0.1.3 -y 1", "Numerical result out of range\n", 255),
                // the kernel checks the thresholds before it looks for the destination
                Arguments.of("-a -t 10.0.0.1:80 -r 10.0.1.1 -m -y 10", "Numerical result out of range\n", 255),
                Arguments.of("-a -t 10.0.0.1:80 -r 224.0.0.1", EINVAL, 255),
                Arguments.of("-a -t 10.0.0.1:80 -r 0.0.0.0", EINVAL, 255),
                Arguments.of("-a -t 10.0.0.1:80 -r 255.255.255.255", EINVAL, 255),
                Arguments.of("-e -t 10.0.0.1:80 -r 10.0.1.9", "No such destination\n", 255),
                Arguments.of("-e -t 10.0.0.9:80 -r 10.0.1.1", "Service not defined\n", 255),
                Arguments.of("-e -t 10.0.0.1:80 -r 10.0.1.1 -m -x 1 -y 2", "Numerical result out of range\n", 255),
                // -e without -m means -g, which forces the server port to the service port (80)
                Arguments.of("-e -t 10.0.0.1:80 -r 10.0.1.2:8080", "No such destination\n", 255),
                Arguments.of("-d -t 10.0.0.1:80 -r 10.0.1.9", "No such destination\n", 255),
                Arguments.of("-d -t 10.0.0.9:80 -r 10.0.1.1", "Service not defined\n", 255),
                // a firewall-mark service is found by mark and family: -f 1 -6 is another service
                Arguments.of("-a -f 1 -6 -r [2001:db8::1]:0 -i", "Service not defined\n", 255),
                Arguments.of("--stop-daemon master", "No daemon is running\n", 255),
                Arguments.of("--start-daemon master", "connection synchronization daemons are not supported by lvs4j\n", 255),
                Arguments.of("-a -t 10.0.0.1:80 -r 10.0.1.3 -i --tun-type gue --tun-port 6080",
                        "tunnel type gue is not supported by lvs4j (only ipip)\n", 255),
                Arguments.of("-L -n -t 10.0.0.9:80", "No such service\n", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"usageErrors", "kernelErrors"})
    void refusedCommandPrintsOneMessageAndChangesNothing(String line, String stderr, int exitCode) {
        IpvsTable t = populated();
        String before = fingerprint(t);
        IpvsadmResult r = run(t, line);
        assertThat(r.stderr()).isEqualTo(stderr);
        assertThat(r.exitCode()).isEqualTo(exitCode);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.succeeded()).isFalse();
        assertThat(fingerprint(t)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void parseAloneRefusesUsageErrorsWithTheSameTextAndStatus(String line, String stderr, int exitCode) {
        assertThatThrownBy(() -> Ipvsadm.parse(line.split(" ")))
                .isInstanceOfSatisfying(IpvsadmException.class, e -> {
                    assertThat(e.stderrText()).isEqualTo(stderr);
                    assertThat(e.exitCode()).isEqualTo(exitCode);
                });
    }
}
