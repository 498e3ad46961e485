package io.tradetx.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradetx.common.kafka.GroupLagReader;
import io.tradetx.protocol.GroupProtocol;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.consumer.pool.ConsumerPool;
import io.tradetx.consumer.testing.RecordingSink;
import io.tradetx.consumer.testing.TestConsumers;
import io.tradetx.consumer.testing.TestTrades;
import io.tradetx.testkit.SharedBroker;
import io.tradetx.testkit.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Replay from a timestamp through a sink, in its own group: counts, and the live group stays as it was. */
@ExtendWith(SharedBroker.class)
class ReplayTest {

    @Test
    void replaysFromATimestampInItsOwnGroupWithoutTouchingTheLiveGroup() throws Exception {
        KafkaSettings kafka = TestKafka.topic(TestKafka.unique("replay"), 4);
        String live = TestKafka.unique("live");
        TestTrades.produce(kafka, 1000); // trades 0..999
        Thread.sleep(50);
        Instant from = Instant.now();
        Thread.sleep(50);
        TestTrades.produce(kafka, 1000); // again ids 0..999, sent after `from`
        Thread.sleep(50);
        Instant to = Instant.now();
        Thread.sleep(50);
        TestTrades.produce(kafka, 500); // after `to`

        ConsumerSettings settings = TestConsumers.settings(kafka, live, 100, Duration.ofMillis(50), Duration.ZERO,
                GroupProtocol.CLASSIC);
        RecordingSink liveSink = new RecordingSink(Duration.ZERO);
        Map<TopicPartition, OffsetAndMetadata> liveBefore;
        try (Admin admin = TestKafka.admin(kafka)) {
            try (ConsumerPool pool = new ConsumerPool(settings, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    liveSink::forConsumer, Duration.ZERO)) {
                pool.scaleTo(1);
                GroupLagReader lag = new GroupLagReader(admin, kafka.topic(), live);
                await().atMost(Duration.ofSeconds(60)).until(() -> GroupLagReader.totalLag(lag.read()) == 0);
            }
            assertThat(liveSink.count()).isEqualTo(2500);
            liveBefore = committed(admin, live);

            // From `from` to the end offsets at start: the 1000 + 500 trades sent after `from`.
            RecordingSink all = new RecordingSink(Duration.ZERO);
            Replay.Counts c = Replay.run(settings, from, null, "replay-" + live, all, new SimpleMeterRegistry(),
                    false, () -> false);
            assertThat(c.read()).isEqualTo(1500);
            assertThat(c.processed()).isEqualTo(1500);
            assertThat(c.deadLettered()).isZero();
            assertThat(c.skippedAfterTo()).isZero();
            assertThat(all.count()).isEqualTo(1500);
            assertThat(all.trades()).allMatch(t -> t.trade().timestamp().isAfter(from));

            // From `from` to `to`: exactly the second 1000, in per-account order; the last 500 skipped.
            RecordingSink window = new RecordingSink(Duration.ZERO);
            Replay.Counts w = Replay.run(settings, from, to, "replay2-" + live, window, new SimpleMeterRegistry(),
                    false, () -> false);
            List<ConsumedTrade> trades = window.trades();
            assertThat(w.processed()).isEqualTo(1000);
            assertThat(w.skippedAfterTo()).isEqualTo(500);
            assertThat(trades).hasSize(1000);
            assertThat(TestTrades.duplicates(trades)).isEmpty();
            assertThat(TestTrades.orderViolations(trades)).isEmpty();
            assertThat(trades).allMatch(t -> !t.trade().timestamp().isBefore(from) && !t.trade().timestamp().isAfter(to));

            // The live group: same committed offsets, and the replay groups are separate groups.
            assertThat(committed(admin, live)).isEqualTo(liveBefore);
            assertThat(committed(admin, "replay2-" + live).values().stream().mapToLong(OffsetAndMetadata::offset)
                    .sum()).as("the replay group's own progress").isEqualTo(2000);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
    }
}
