package io.lvs4j.forwarder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo, run programmatically: three loopback backends behind a wrr service answer in wrr order. */
class DemoTest {
    @TempDir
    Path dir;

    @Test
    void backendsAnswerInWeightedRoundRobinOrder() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Path socket = dir.resolve("demo.sock");
        try (Demo demo = Demo.start(LoopbackProxy::new, socket, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            List<Integer> answers = demo.showcase(12);
            // Weights 3, 2, 1 in configuration order. keepalived adds them in that order, so IPVS scans newest
            // first (backend 3, 2, 1); and the threshold cw is 1 when the adds are done (adding the lone weight-3
            // server made di = 3, mw = 1, cw = 1; later adds keep cw), so the first pass takes every server:
            // 3 2 1, then cw = 3: 1, cw = 2: 2 1, and again. Each cycle of 6 gives 1:3, 2:2, 3:1.
            assertThat(answers).containsExactly(3, 2, 1, 1, 2, 1, 3, 2, 1, 1, 2, 1);
            String out = printed.toString(StandardCharsets.UTF_8);
            assertThat(out).contains("# curl http://127.0.0.1:" + demo.port() + "/   -> backend 1")
                    .contains("bin/lvsadm --control " + socket + " -L -n")
                    .contains("  -> 127.0.0.1:" + demo.backendPorts().get(0) + "  ");

            ByteArrayOutputStream listing = new ByteArrayOutputStream();
            int exit = LvsadmMain.run(new String[] {"--control", socket.toString(), "-L", "-n"},
                    new ByteArrayInputStream(new byte[0]), listing, new ByteArrayOutputStream());
            assertThat(exit).isZero();
            String list = listing.toString(StandardCharsets.UTF_8);
            assertThat(list).contains("TCP  127.0.0.1:" + demo.port() + " wrr\n");
            assertThat(list).containsPattern("127\\.0\\.0\\.1:" + demo.backendPorts().get(0) + " +Masq +3 +0 +6");
        }
    }
}
