package io.tradetx.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tradetx.common.kafka.GroupLagReader;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.consumer.testing.TestTrades;
import io.tradetx.testkit.ChildJvm;
import io.tradetx.testkit.FreePort;
import io.tradetx.testkit.SharedBroker;
import io.tradetx.testkit.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The consumer as its own OS process, as in a pod: SIGTERM drains and commits; bad settings exit 2. */
@ExtendWith(SharedBroker.class)
class ConsumerProcessTest {

    @Test
    void sigtermFinishesTheBatchInFlightCommitsItAndExitsZero(@TempDir Path dir) throws Exception {
        KafkaSettings kafka = TestKafka.topic(TestKafka.unique("sigterm"), 4);
        String group = TestKafka.unique("g");
        TestTrades.produce(kafka, 1000);
        Path ledger = dir.resolve("ledger.txt");
        Path log = dir.resolve("consumer.log");
        Process consumer = ChildJvm.start(ConsumerMain.class, Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "KAFKA_TOPIC", kafka.topic(),
                "CONSUMER_GROUP", group,
                "BATCH_SIZE", "100",
                "BATCH_PROCESSING_TIME", "2",
                "METRICS_PORT", String.valueOf(FreePort.find()),
                "SINK", "ledger",
                "LEDGER_FILE", ledger.toString()), log);
        try {
            // SIGTERM while the second batch is being written (each write takes 2 s).
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> ChildJvm.output(log).split("Processing batch of 100 messages", -1).length > 2);
            long termAt = System.nanoTime();
            consumer.destroy();
            assertThat(consumer.waitFor(30, TimeUnit.SECONDS)).as("exits within 30 s").isTrue();
            assertThat(consumer.exitValue()).as(ChildJvm.output(log)).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - termAt)).isLessThan(Duration.ofSeconds(30));
        } finally {
            consumer.destroyForcibly();
        }
        List<String> stored = Files.readAllLines(ledger);
        assertThat(stored).as("the batch in flight at SIGTERM was finished").hasSizeGreaterThanOrEqualTo(200);
        try (Admin admin = TestKafka.admin(kafka)) {
            List<GroupLagReader.PartitionLag> lags = new GroupLagReader(admin, kafka.topic(), group).read();
            long committed = lags.stream().mapToLong(l -> Math.max(0, l.committed())).sum();
            assertThat(committed).as("exactly the stored records are committed").isEqualTo(stored.size());
        }
        assertThat(ChildJvm.output(log)).contains("Consumer closed");
    }

    @Test
    void invalidSettingsStopAtStartWithExitCodeTwoAndOneLinePerProblem(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("consumer.log");
        Process consumer = ChildJvm.start(ConsumerMain.class, Map.of(
                "BATCH_SIZE", "abc",
                "GROUP_PROTOCOL", "eagerly",
                "KAFKA_AUTH", "iam"), log);
        assertThat(consumer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(consumer.exitValue()).isEqualTo(2);
        List<String> lines = Files.readAllLines(log).stream().filter(l -> l.startsWith("Invalid setting: ")).toList();
        assertThat(lines).containsExactlyInAnyOrder(
                "Invalid setting: AWS_REGION is not set: must be an AWS region such as us-east-1 when KAFKA_AUTH=iam",
                "Invalid setting: BATCH_SIZE=abc is invalid: must be an integer from 1 to 100000",
                "Invalid setting: GROUP_PROTOCOL=eagerly is invalid: must be one of classic, consumer, eager");
    }

}
