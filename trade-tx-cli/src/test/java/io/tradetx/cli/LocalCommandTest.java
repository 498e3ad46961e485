package io.tradetx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.testkit.ChildJvm;
import io.tradetx.testkit.FreePort;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trade-tx local} as a user runs it: its own broker, producer, consumers, clean exit. */
class LocalCommandTest {

    @Test
    void localRunWithFixedConsumersStopsCleanlyAfterTheDuration(@TempDir Path dir) throws Exception {
        int metricsPort = FreePort.find();
        Path log = dir.resolve("local.log");
        Process run = ChildJvm.start(TradeTxCli.class, Map.of("CI", "true"), log,
                "local", "--rate", "200", "--consumers", "2", "--duration", "12s",
                "--metrics-port", String.valueOf(metricsPort));
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).as("finishes").isTrue();
        String out = ChildJvm.output(log);
        assertThat(run.exitValue()).as(out).isZero();
        assertThat(out).contains("Kafka broker ready at", "Processing batch of 100 messages", "Kafka broker stopped");
        assertThat(out).as("each setting once, with where it came from")
                .containsPattern("(?m)^  BATCH_SIZE=\\d+ \\((\\.env\\.example|\\.env|environment|option)\\)$")
                .containsPattern("(?m)^  GROUP_PROTOCOL=\\w+ \\(");
        assertThat(out).containsPattern("Sent: \\d+ messages, Rate: (19\\d|20\\d)\\.\\d msg/s, Target: 200 msg/s");
        Matcher pid = Pattern.compile("\\(pid (\\d+),").matcher(out);
        assertThat(pid.find()).isTrue();
        assertThat(ProcessHandle.of(Long.parseLong(pid.group(1))).map(ProcessHandle::isAlive).orElse(false))
                .as("the broker process is gone").isFalse();
        try (ServerSocket s = new ServerSocket(metricsPort)) {
            assertThat(s.getLocalPort()).as("the metrics port is free again").isEqualTo(metricsPort);
        }
    }
}
