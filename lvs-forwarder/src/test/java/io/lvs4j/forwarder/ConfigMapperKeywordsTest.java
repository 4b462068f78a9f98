package io.lvs4j.forwarder;

import static io.lvs4j.forwarder.TestConfigs.ip;
import static io.lvs4j.forwarder.TestConfigs.lines;
import static io.lvs4j.forwarder.TestConfigs.map;
import static io.lvs4j.forwarder.TestConfigs.tcp;
import static io.lvs4j.forwarder.TestConfigs.udp;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.SchedulerFlags;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.health.CheckSettings;
import io.lvs4j.health.CheckerSpec;
import io.lvs4j.health.ConnectOptions;
import io.lvs4j.health.HttpProtocol;
import io.lvs4j.health.RealServerSpec;
import io.lvs4j.health.UrlSpec;
import io.lvs4j.health.VirtualServerSpec;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every virtual_server, real_server and checker keyword, with keepalived's defaults and quirks. */
class ConfigMapperKeywordsTest {

    private static VirtualServiceConfig only(ForwarderConfig c) {
        assertThat(c.services()).hasSize(1);
        return c.services().get(0);
    }

    @Test
    void defaultsWithKeepalivedsWarnings() {
        ForwarderConfig c = map("""
                virtual_server 10.0.0.1 80 {
                    real_server 10.0.0.2 8080 {
                    }
                    real_server 10.0.0.3 {
                    }
                }
                """);
        assertThat(lines(c)).containsExactly(
                "1: WARNING: Virtual server 10.0.0.1:80: no protocol set - defaulting to TCP",
                "1: WARNING: Virtual server 10.0.0.1:80: no scheduler set, setting default 'wlc'",
                "1: WARNING: Virtual server 10.0.0.1:80: no forwarding method set, setting default NAT");
        VirtualServiceConfig s = only(c);
        assertThat(s.key()).isEqualTo(tcp("10.0.0.1", 80));
        assertThat(s.options()).isEqualTo(ServiceOptions.defaults());
        assertThat(s.realServers()).containsExactly(
                new RealServerConfig(ip("10.0.0.2"), 8080, new RealServerOptions(1, ForwardingMethod.MASQ, 0, 0)),
                new RealServerConfig(ip("10.0.0.3"), 80, new RealServerOptions(1, ForwardingMethod.MASQ, 0, 0)));
        VirtualServerSpec h = s.health();
        assertThat(h.quorum()).isEqualTo(1);
        assertThat(h.hysteresis()).isZero();
        assertThat(h.settings()).isEqualTo(CheckSettings.UNSET);
        assertThat(h.realServers()).extracting(RealServerSpec::checkers).containsOnly(List.of());
        assertThat(h.realServers()).extracting(RealServerSpec::port).containsExactly(8080, 80);
    }

    @Test
    void everyVirtualServerKeyword() {
        ForwarderConfig c = map("""
                virtual_server 10.0.0.1 53 {
                    ip_family inet
                    delay_loop 2.5
                    connect_timeout 4
                    retry 2
                    delay_before_retry 0.5
                    warmup 0
                    inhibit_on_failure
                    lvs_sched sh
                    sh-port
                    sh-fallback
                    lvs_method NAT
                    persistence_timeout
                    persistence_granularity 255.255.255.0
                    protocol udp
                    ops
                    virtualhost www.example.com
                    alpha
                    omega
                    quorum 3
                    hysteresis 1
                    quorum_up "/bin/up.sh 'a b'"
                    quorum_down /bin/down.sh
                    weight 5
                    sorry_server 10.0.0.9 5353
                    sorry_server_inhibit
                    smtp_alert
                    snmp_name dns
                    real_server 10.0.0.2 {
                    }
                }
                """);
        assertThat(lines(c)).isEmpty();
        VirtualServiceConfig s = only(c);
        assertThat(s.key()).isEqualTo(udp("10.0.0.1", 53));
        assertThat(s.options()).isEqualTo(ServiceOptions.builder().scheduler("sh")
                .schedulerFlags(SchedulerFlags.SCHED1 | SchedulerFlags.SCHED2).persistenceTimeout(360)
                .netmask(0xFFFFFF00).onePacket(true).build());
        assertThat(s.realServers()).containsExactly(
                new RealServerConfig(ip("10.0.0.2"), 53, new RealServerOptions(5, ForwardingMethod.MASQ, 0, 0)));
        VirtualServerSpec h = s.health();
        assertThat(h.settings()).isEqualTo(new CheckSettings(Duration.ofMillis(2500), Duration.ofSeconds(4), 2,
                Duration.ofMillis(500), Duration.ZERO, null, null));
        assertThat(h.inhibitOnFailure()).isTrue();
        assertThat(h.virtualhost()).isEqualTo("www.example.com");
        assertThat(h.alpha()).isTrue();
        assertThat(h.omega()).isTrue();
        assertThat(h.quorum()).isEqualTo(3);
        assertThat(h.hysteresis()).isEqualTo(1);
        assertThat(h.quorumUp()).isEqualTo("/bin/up.sh 'a b'");
        assertThat(h.quorumDown()).isEqualTo("/bin/down.sh");
        assertThat(h.sorryServer().address()).isEqualTo(ip("10.0.0.9"));
        assertThat(h.sorryServer().port()).isEqualTo(5353);
        assertThat(h.sorryServerInhibit()).isTrue();
        assertThat(h.realServers().get(0).weight()).isEqualTo(5);
    }

    @Test
    void schedulerFlagsCountOnlyAfterTheirScheduler() {
        ForwarderConfig c = map("""
                virtual_server 10.0.0.1 80 {
                    protocol TCP
                    lb_kind NAT
                    sh-port
                    lb_algo mh
                    mh-fallback
                    mh-port
                    sh-fallback
                    flag-3
                    ops
                    real_server 10.0.0.2 80 {
                    }
                }
                """);
        assertThat(lines(c)).containsExactly(
                "4: WARNING: sh-port only applies to sh scheduler - ignoring (no lb_algo before it)",
                "8: WARNING: sh-fallback only applies to sh scheduler - ignoring",
                "10: WARNING: Virtual server 10.0.0.1:80: one packet scheduling requires UDP - resetting");
        assertThat(only(c).options()).isEqualTo(ServiceOptions.builder().scheduler("mh")
                .schedulerFlags(SchedulerFlags.SCHED1 | SchedulerFlags.SCHED2 | SchedulerFlags.SCHED3).build());
    }

    @Test
    void persistenceTimeoutValuesAndIpv6Granularity() {
        ForwarderConfig c = map("""
                virtual_server 2001:db8::1 443 {
                    protocol TCP
                    lb_algo rr
                    lb_kind NAT
                    persistence_timeout 600
                    persistence_granularity 64
                    real_server 2001:db8::2 443 {
                    }
                    real_server 10.0.0.2 443 {
                    }
                }
                virtual_server 10.0.0.1 80 {
                    protocol TCP
                    lb_algo rr
                    lb_kind NAT
                    persistence_timeout 2678401
                    real_server 10.0.0.2 80 {
                    }
                }
                """);
        assertThat(lines(c)).containsExactly(
                "9: ERROR: Address family of virtual server and real server 10.0.0.2 don't match - skipping real server.",
                "16: ERROR: Value '2678401' for 'persistence_timeout' is outside range [1, 2678400]");
        VirtualServiceConfig v6 = c.services().get(0);
        assertThat(v6.key()).isEqualTo(tcp("2001:db8::1", 443));
        assertThat(v6.options()).isEqualTo(ServiceOptions.builder().scheduler("rr").persistenceTimeout(600)
                .netmask(64).build());
        assertThat(v6.realServers()).extracting(RealServerConfig::address).containsExactly(ip("2001:db8::2"));
    }

    @Test
    void everyRealServerKeyword() {
        ForwarderConfig c = map("""
                virtual_server 10.0.0.1 80 {
                    protocol TCP
                    lb_algo wlc
                    lb_kind NAT
                    real_server 10.0.0.2 8080 {
                        weight 7
                        lvs_method NAT
                        uthreshold 100
                        lthreshold 10
                        inhibit_on_failure off
                        notify_up "/usr/bin/notify.sh up 'two words'"
                        notify_down /usr/bin/notify.sh
                        alpha
                        retry 4
                        delay_before_retry 2
                        warmup 3
                        delay_loop 9
                        connect_timeout 1.5
                        smtp_alert no
                        virtualhost rs.example.com
                        snmp_name rs1
                    }
                    real_server 10.0.0.3 8080 {
                        weight 0
                        lthreshold 5
                        retry 0
                    }
                }
                """);
        assertThat(lines(c)).containsExactly(
                "23: ERROR: real_server 10.0.0.3: lthreshold 5 without uthreshold - ignoring it",
                "26: ERROR: Value '0' for 'retry' is outside range [1, 2147483647]");
        VirtualServiceConfig s = only(c);
        assertThat(s.realServers()).containsExactly(
                new RealServerConfig(ip("10.0.0.2"), 8080, new RealServerOptions(7, ForwardingMethod.MASQ, 100, 10)),
                new RealServerConfig(ip("10.0.0.3"), 8080, new RealServerOptions(0, ForwardingMethod.MASQ, 0, 0)));
        RealServerSpec rs = s.health().realServers().get(0);
        assertThat(rs.weight()).isEqualTo(7);
        assertThat(rs.inhibitOnFailure()).isFalse();
        assertThat(rs.notifyUp()).isEqualTo("/usr/bin/notify.sh up 'two words'");
        assertThat(rs.notifyDown()).isEqualTo("/usr/bin/notify.sh");
        assertThat(rs.virtualhost()).isEqualTo("rs.example.com");
        assertThat(rs.settings()).isEqualTo(new CheckSettings(Duration.ofSeconds(9), Duration.ofMillis(1500), 4,
                Duration.ofSeconds(2), Duration.ofSeconds(3), true, null));
        assertThat(s.health().realServers().get(1).inhibitOnFailure()).isNull();
    }

    @Test
    void realServerPortsFollowKeepalivedsRules() {
        ForwarderConfig c = map("""
                virtual_server 10.0.0.1 80 {
                    protocol TCP
                    lb_algo rr
                    lb_kind DR
                    real_server 10.0.0.2 {
                    }
                    real_server 10.0.0.3 8080 {
                    }
                    real_server 10.0.0.4 8080 {
                        lvs_method NAT
                    }
                    real_server 10.0.0.5 {
                        lvs_method TUN type gue port 6080 csum
                    }
                    real_server 10.0.0.2 80 {
                    }
                    sorry_server 10.0.0.9 8081
                }
                """);
        String dr = "WARNING: lb_kind DR: the user-space forwarder cannot hand packets to a real server unchanged"
                + " (direct routing); forwarded as NAT: each connection is proxied and the real server sees the"
                + " forwarder's address";
        assertThat(lines(c)).containsExactly(
                "4: " + dr,
                "7: WARNING: WARNING - virtual server 10.0.0.1:80 and real server 10.0.0.3:8080 ports don't match"
                        + " - resetting",
                "13: WARNING: lvs_method TUN: the user-space forwarder cannot hand packets to a real server unchanged"
                        + " (IP tunnelling); forwarded as NAT: each connection is proxied and the real server sees"
                        + " the forwarder's address",
                "15: WARNING: VS 10.0.0.1:80: real server 10.0.0.2:80 is duplicated - removing second rs",
                "17: WARNING: WARNING - virtual server 10.0.0.1:80 and sorry server 10.0.0.9:8081 ports don't match"
                        + " - resetting");
        VirtualServiceConfig s = only(c);
        assertThat(s.realServers()).extracting(r -> r.address().getHostAddress() + ":" + r.port())
                .containsExactly("10.0.0.2:80", "10.0.0.3:80", "10.0.0.4:8080", "10.0.0.5:80");
        assertThat(s.realServers()).extracting(r -> r.options().forwarding()).containsOnly(ForwardingMethod.MASQ);
        assertThat(s.health().sorryServer().port()).isEqualTo(80);
    }

    @Test
    void httpGetUrlBlocks() {
        ForwarderConfig c = map("""
                virtual_server 10.0.0.1 80 {
                    protocol TCP
                    lb_algo rr
                    lb_kind NAT
                    real_server 10.0.0.2 80 {
                        HTTP_GET {
                            url {
                                path /health
                                digest 0123456789ABCDEF0123456789abcdef
                                status_code 200 300-302 abc 99
                                virtualhost url.example.com
                                regex "ok|OK"
                                regex_options caseless
                                regex_no_match
                            }
                            url { path /second }
                            url {
                                digest 123
                            }
                            nb_get_retry 2
                            http_protocol 1.0C
                            virtualhost checker.example.com
                            fast_recovery
                            connect_ip 10.0.0.20
                            connect_port 8080
                            bindto 10.0.0.1
                            bind_port 40000
                            bind_if eth0
                            log_all_failures
                            retry 5
                        }
                        SSL_GET {
                            url { path / }
                            enable_sni
                            sni_name tls.example.com
                            tls_compliant
                        }
                        HTTP_GET {
                        }
                    }
                }
                """);
        assertThat(lines(c)).containsExactly(
                "10: ERROR: Invalid HTTP_GET status code 'abc'; accepted: N or N-M within 100-599",
                "10: ERROR: Invalid HTTP_GET status code '99'; accepted: N or N-M within 100-599",
                "17: ERROR: HTTP/SSL_GET checker url has no path - ignoring",
                "18: ERROR: digest '123' character length should be 32 rather than 3",
                "20: WARNING: nb_get_retry is deprecated - please use 'retry'",
                "28: WARNING: bind_if eth0 is not supported by lvs4j's checkers - ignoring (the system's routing"
                        + " picks the interface)",
                "38: ERROR: HTTP/SSL_GET checker has no urls specified - ignoring");
        List<CheckerSpec> checkers = only(c).health().realServers().get(0).checkers();
        assertThat(checkers).hasSize(2);
        CheckerSpec.Http http = (CheckerSpec.Http) checkers.get(0);
        assertThat(http.protocol()).isEqualTo(HttpProtocol.HTTP_1_0_CLOSE);
        assertThat(http.virtualhost()).isEqualTo("checker.example.com");
        assertThat(http.fastRecovery()).isTrue();
        assertThat(http.connect()).isEqualTo(new ConnectOptions(ip("10.0.0.20"), 8080, ip("10.0.0.1"), 40000));
        assertThat(http.settings().retry()).as("retry after nb_get_retry wins").isEqualTo(5);
        assertThat(http.settings().logAllFailures()).isTrue();
        assertThat(http.urls()).extracting(UrlSpec::path).containsExactly("/health", "/second");
        UrlSpec url = http.urls().get(0);
        assertThat(url.digest()).hasSize(16);
        assertThat(url.statusCodes()).containsExactly(new int[] {200, 200}, new int[] {300, 302});
        assertThat(url.accepts(301)).isTrue();
        assertThat(url.accepts(204)).isFalse();
        assertThat(url.virtualhost()).isEqualTo("url.example.com");
        assertThat(url.regex().pattern()).isEqualTo("ok|OK");
        assertThat(url.regex().flags() & Pattern.CASE_INSENSITIVE).isNotZero();
        assertThat(url.regexNoMatch()).isTrue();
        CheckerSpec.Http ssl = (CheckerSpec.Http) checkers.get(1);
        assertThat(ssl.ssl()).isTrue();
        assertThat(ssl.tls().enableSni()).isTrue();
        assertThat(ssl.tls().sniName()).isEqualTo("tls.example.com");
        assertThat(ssl.tls().verify()).isFalse();
    }

    @Test
    void miscCheckKeywords() {
        ForwarderConfig c = map("""
                virtual_server 10.0.0.1 80 {
                    protocol TCP
                    lb_algo rr
                    lb_kind NAT
                    real_server 10.0.0.2 80 {
                        MISC_CHECK {
                            misc_path "/usr/local/bin/check.sh 'with space' -x"
                            misc_timeout 7
                            misc_dynamic
                            retry 0
                            delay_loop 3
                            user nobody
                            connect_timeout 3
                        }
                        MISC_CHECK {
                            misc_timeout 7
                        }
                    }
                }
                """);
        assertThat(lines(c)).containsExactly(
                "12: WARNING: user nobody: lvs4j runs checker scripts as the forwarder's own user - ignoring",
                "13: WARNING: Unknown keyword 'connect_timeout'",
                "15: ERROR: No script path has been specified for MISC_CHECKER - skipping");
        List<CheckerSpec> checkers = only(c).health().realServers().get(0).checkers();
        assertThat(checkers).hasSize(1);
        CheckerSpec.Misc misc = (CheckerSpec.Misc) checkers.get(0);
        assertThat(misc.command()).containsExactly("/usr/local/bin/check.sh", "with space", "-x");
        assertThat(misc.timeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(misc.dynamic()).isTrue();
        assertThat(misc.settings().retry()).isZero();
        assertThat(misc.settings().delayLoop()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void tcpUdpDnsAndSmtpCheckKeywords() {
        ForwarderConfig c = map("""
                virtual_server 10.0.0.1 53 {
                    protocol UDP
                    lb_algo rr
                    lb_kind NAT
                    real_server 10.0.0.2 53 {
                        TCP_CHECK {
                            connect_ip 10.0.0.22
                            connect_port 5353
                            bindto 10.0.0.1
                            bind_port 1053
                            connect_timeout 2
                            retry 0
                            warmup 1
                            alpha no
                            fwmark 7
                        }
                        UDP_CHECK {
                            payload 0a0B ff
                            require_reply 0aXX
                            min_reply_length 2
                            max_reply_length 512
                        }
                        DNS_CHECK {
                            type aaaa
                            name www.example.com
                        }
                        DNS_CHECK {
                            type BOGUS
                        }
                        SMTP_CHECK {
                            helo_name lb.example.com
                            connect_timeout 4
                            host {
                                connect_ip 10.0.0.25
                                connect_port 2525
                            }
                        }
                        SMTP_CHECK {
                        }
                        PING_CHECK {
                        }
                    }
                }
                """);
        assertThat(lines(c)).containsExactly(
                "15: WARNING: fwmark (SO_MARK on the checker's socket) is not supported by lvs4j's checkers - ignoring",
                "28: ERROR: Unknown DNS check type BOGUS; accepted: A, NS, CNAME, SOA, MX, TXT, AAAA, RRSIG, DNSKEY",
                "33: WARNING: SMTP_CHECK 'host' is deprecated - please use the connection keywords in the SMTP_CHECK"
                        + " block (one checker per host)",
                "40: WARNING: PING_CHECK is not supported by lvs4j's health checkers - ignoring this checker (the"
                        + " real server's other checkers still decide whether it is up)");
        List<CheckerSpec> k = only(c).health().realServers().get(0).checkers();
        assertThat(k).extracting(CheckerSpec::type)
                .containsExactly("TCP_CHECK", "UDP_CHECK", "DNS_CHECK", "DNS_CHECK", "SMTP_CHECK", "SMTP_CHECK");
        CheckerSpec.Tcp tcp = (CheckerSpec.Tcp) k.get(0);
        assertThat(tcp.connect()).isEqualTo(new ConnectOptions(ip("10.0.0.22"), 5353, ip("10.0.0.1"), 1053));
        assertThat(tcp.settings()).isEqualTo(new CheckSettings(null, Duration.ofSeconds(2), 0, null,
                Duration.ofSeconds(1), false, null));
        CheckerSpec.Udp udp = (CheckerSpec.Udp) k.get(1);
        assertThat(udp.payload()).containsExactly(0x0a, 0x0b, 0xff);
        assertThat(udp.requireReply()).isEqualTo("0aXX");
        assertThat(udp.minReplyLength()).isEqualTo(2);
        assertThat(udp.maxReplyLength()).isEqualTo(512);
        CheckerSpec.Dns dns = (CheckerSpec.Dns) k.get(2);
        assertThat(dns.queryType()).isEqualTo("AAAA");
        assertThat(dns.name()).isEqualTo("www.example.com");
        CheckerSpec.Dns defaults = (CheckerSpec.Dns) k.get(3);
        assertThat(defaults.queryType()).isEqualTo("SOA");
        assertThat(defaults.name()).isEqualTo(".");
        CheckerSpec.Smtp smtp = (CheckerSpec.Smtp) k.get(4);
        assertThat(smtp.heloName()).isEqualTo("lb.example.com");
        assertThat(smtp.connect()).isEqualTo(new ConnectOptions(ip("10.0.0.25"), 2525, null, null));
        assertThat(smtp.settings().connectTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(((CheckerSpec.Smtp) k.get(5)).heloName()).isEqualTo(CheckerSpec.Smtp.DEFAULT_HELO);
    }

    @Test
    void whatUserSpaceCannotServe() {
        ForwarderConfig c = map("""
                virtual_server fwmark 1 {
                    lb_algo rr
                    real_server 10.0.0.2 {
                    }
                }
                virtual_server 10.0.0.1 5060 {
                    protocol SCTP
                    lb_algo rr
                    lb_kind NAT
                    real_server 10.0.0.2 5060 {
                    }
                }
                virtual_server 10.0.0.1 80 {
                    protocol TCP
                    lb_algo rr
                    lb_kind TUN
                    real_server 10.0.0.2 80 {
                    }
                }
                """);
        assertThat(c.hasErrors()).isTrue();
        assertThat(lines(c)).containsExactly(
                "1: ERROR: virtual_server fwmark 1: firewall-mark services need the kernel's IPVS (packets marked by"
                        + " netfilter); the user-space forwarder cannot serve them - ignoring this virtual_server",
                "6: ERROR: Virtual server 10.0.0.1:5060: protocol SCTP cannot be served by the user-space forwarder"
                        + " (TCP and UDP only) - ignoring this virtual_server",
                "16: WARNING: lb_kind TUN: the user-space forwarder cannot hand packets to a real server unchanged"
                        + " (IP tunnelling); forwarded as NAT: each connection is proxied and the real server sees"
                        + " the forwarder's address");
        assertThat(c.services()).extracting(VirtualServiceConfig::key).containsExactly(tcp("10.0.0.1", 80));
        assertThat(c.errors()).allSatisfy(d -> assertThat(d.toString())
                .startsWith("/virtual/etc/keepalived/keepalived.conf:"));
    }

    @Test
    void portZeroServiceIsMadePersistentAndServedOnCatchAllPorts() {
        ForwarderConfig c = map("""
                virtual_server 10.0.0.1 0 {
                    protocol TCP
                    lb_algo rr
                    lb_kind NAT
                    real_server 10.0.0.2 {
                    }
                }
                """);
        assertThat(c.hasErrors()).isFalse();
        assertThat(lines(c)).containsExactly(
                "1: WARNING: Virtual server 10.0.0.1:0: zero port only valid for persistent services - setting",
                "1: WARNING: Virtual server 10.0.0.1:0 has no port (every port): user space cannot receive every port,"
                        + " so the forwarder serves it only on its catch-all ports (--catch-all-ports)");
        VirtualServiceConfig s = only(c);
        assertThat(s.options().persistenceTimeout()).isEqualTo(360);
        assertThat(s.realServers().get(0).port()).isZero();
    }

    @Test
    void unknownKeywordsAreReportedAsKeepalivedReportsThem() {
        ForwarderConfig c = map("""
                global_defs {
                    router_id LB1
                }
                no_such_block {
                }
                virtual_server 10.0.0.1 80 {
                    protocol TCP
                    lb_algo rr
                    lb_kind NAT
                    lb_method rr
                    real_server 10.0.0.2 80 {
                        wieght 3
                        TCP_CHECK {
                            conect_timeout 3
                        }
                        HTTP_GET {
                            url {
                                path /
                                stauts_code 200
                            }
                        }
                    }
                }
                """);
        assertThat(c.hasErrors()).isFalse();
        assertThat(TestConfigs.allLines(c)).containsExactly(
                "4: WARNING: Unknown keyword 'no_such_block'",
                "10: WARNING: Unknown keyword 'lb_method'",
                "12: WARNING: Unknown keyword 'wieght'",
                "14: WARNING: Unknown keyword 'conect_timeout'",
                "19: WARNING: Unknown keyword 'stauts_code'");
    }

    @Test
    void invalidValuesAreErrorsNamingTheLine() {
        ForwarderConfig c = map("""
                virtual_server 10.0.0.300 80 {
                    real_server 10.0.0.2 80 {
                    }
                }
                virtual_server 10.0.0.1 80 {
                    protocol TCPX
                    lb_algo roundrobin
                    lb_kind NATX
                    delay_loop -1
                    real_server 10.0.0.2 80 {
                        weight 70000
                    }
                    real_server host.example.com 80 {
                    }
                }
                virtual_server 10.0.0.1 80 {
                    lb_algo rr
                    real_server 10.0.0.3 80 {
                    }
                }
                virtual_server group nosuch {
                    real_server 10.0.0.3 80 {
                    }
                }
                """);
        assertThat(lines(c)).containsExactly(
                "1: ERROR: Invalid virtual server IP address/port 10.0.0.300/80 - skipping",
                "5: WARNING: Virtual server 10.0.0.1:80: no protocol set - defaulting to TCP",
                "5: WARNING: Virtual server 10.0.0.1:80: no scheduler set, setting default 'wlc'",
                "5: WARNING: Virtual server 10.0.0.1:80: no forwarding method set, setting default NAT",
                "6: ERROR: Unknown protocol TCPX - ignoring; accepted: TCP, UDP, SCTP",
                "7: ERROR: Invalid lvs_scheduler 'roundrobin' - ignoring; accepted: rr, wrr, lc, wlc, lblc, sh, mh,"
                        + " dh, fo, ovf, lblcr, sed, nq, twos",
                "8: ERROR: PARSER : unknown [NATX] routing method for virtual server; accepted: NAT, DR, TUN",
                "9: ERROR: Invalid value '-1' for 'delay_loop': negative number; expected a <TIMER>, seconds with up to"
                        + " 6 decimal places, at least 0.000001",
                "11: ERROR: Value '70000' for 'weight' is outside range [0, 65535]",
                "13: ERROR: Invalid real server ip address/port host.example.com/80 - skipping",
                "16: WARNING: Virtual server 10.0.0.1:80: no protocol set - defaulting to TCP",
                "16: WARNING: Virtual server 10.0.0.1:80: no forwarding method set, setting default NAT",
                "16: ERROR: virtual_server TCP 10.0.0.1:80 is already defined at"
                        + " /virtual/etc/keepalived/keepalived.conf:5 - ignoring this one",
                "21: ERROR: virtual_server group nosuch: no virtual_server_group of that name - ignoring this"
                        + " virtual_server");
    }

    @Test
    void virtualServerGroupsExpandToOneServicePerAddressAndPort() {
        ForwarderConfig c = map("""
                virtual_server_group web {
                    192.168.200.1 80
                    192.168.200.10-12 8080
                    192.168.202.8/30 443
                    192.168.200.254-192.168.201.1 81
                    fwmark 7
                    10.0.0.1/24 80
                }
                virtual_server group web {
                    protocol TCP
                    lb_algo wrr
                    lb_kind DR
                    real_server 10.1.0.1 {
                        weight 2
                    }
                    real_server 10.1.0.2 9000 {
                        lvs_method NAT
                    }
                }
                """);
        assertThat(lines(c)).contains(
                "6: ERROR: virtual_server_group web: fwmark 7 (used by the virtual_server at"
                        + " /virtual/etc/keepalived/keepalived.conf:9): firewall-mark services need the kernel's IPVS;"
                        + " the user-space forwarder cannot serve them - ignoring this member",
                "7: ERROR: Address mask bits not empty - 10.0.0.1/24 - skipping");
        assertThat(c.services()).extracting(s -> s.key().toString()).containsExactly(
                "TCP 192.168.200.1:80",
                "TCP 192.168.200.10:8080", "TCP 192.168.200.11:8080", "TCP 192.168.200.12:8080",
                "TCP 192.168.202.8:443", "TCP 192.168.202.9:443", "TCP 192.168.202.10:443", "TCP 192.168.202.11:443",
                "TCP 192.168.200.254:81", "TCP 192.168.200.255:81", "TCP 192.168.201.0:81", "TCP 192.168.201.1:81");
        VirtualServiceConfig s = c.service(tcp("192.168.200.11", 8080));
        assertThat(s.options().scheduler()).isEqualTo("wrr");
        assertThat(s.realServers()).containsExactly(
                new RealServerConfig(ip("10.1.0.1"), 8080, new RealServerOptions(2, ForwardingMethod.MASQ, 0, 0)),
                new RealServerConfig(ip("10.1.0.2"), 9000, new RealServerOptions(1, ForwardingMethod.MASQ, 0, 0)));
        assertThat(c.services()).extracting(VirtualServiceConfig::fingerprint).containsOnly(s.fingerprint());
    }

    @Test
    void quorumAboveTheWeightSumIsReported() {
        ForwarderConfig c = map("""
                virtual_server 10.0.0.1 80 {
                    protocol TCP
                    lb_algo rr
                    lb_kind NAT
                    quorum 10
                    hysteresis 2
                    real_server 10.0.0.2 80 {
                        weight 3
                    }
                }
                """);
        assertThat(lines(c)).containsExactly("1: WARNING: Warning - quorum 10 for 10.0.0.1:80 exceeds total weight of"
                + " real servers 3, reducing quorum to 3");
        assertThat(only(c).health().quorum()).as("lvs-health applies the reduction").isEqualTo(10);
    }

    @Test
    void fingerprintIgnoresCommentsAndLayoutButNotValues() {
        String a = "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n"
                + " real_server 10.0.0.2 80 {\n weight 2\n }\n}\n";
        String b = "# a comment\n\nvirtual_server 10.0.0.1   80 {   # trailing\n    protocol TCP\n    lb_algo rr\n"
                + "    lb_kind NAT\n    real_server 10.0.0.2 80 { weight 2 }\n}\n";
        String d = a.replace("weight 2", "weight 3");
        assertThat(only(map(a)).fingerprint()).isEqualTo(only(map(b)).fingerprint());
        assertThat(only(map(a)).fingerprint()).isNotEqualTo(only(map(d)).fingerprint());
    }
}
