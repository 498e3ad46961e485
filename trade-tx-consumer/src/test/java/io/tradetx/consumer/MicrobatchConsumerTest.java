package io.tradetx.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradetx.common.kafka.GroupLagReader;
import io.tradetx.protocol.GroupProtocol;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.consumer.pool.ConsumerPool;
import io.tradetx.consumer.testing.RecordingSink;
import io.tradetx.consumer.testing.TestConsumers;
import io.tradetx.consumer.testing.TestTrades;
import io.tradetx.producer.TradeGenerator;
import io.tradetx.producer.TradeProducer;
import io.tradetx.testkit.SharedBroker;
import io.tradetx.testkit.TestKafka;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The microbatch consumer on a real broker: completeness, order, batching, and clean rebalances. */
@ExtendWith(SharedBroker.class)
class MicrobatchConsumerTest {

    @Test
    void consumesAllTenThousandKeyedMessagesInPerKeyOrder() throws Exception {
        KafkaSettings kafka = TestKafka.topic(TestKafka.unique("all"), 6);
        TestTrades.produce(kafka, 10_000);
        RecordingSink sink = new RecordingSink(Duration.ZERO);
        ConsumerSettings settings = TestConsumers.settings(kafka, TestKafka.unique("g"), 100, Duration.ofMillis(100),
                Duration.ZERO, GroupProtocol.CLASSIC);
        try (ConsumerPool pool = pool(settings, sink)) {
            pool.scaleTo(2);
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.count() >= 10_000);
        }
        List<ConsumedTrade> trades = sink.trades();
        assertThat(trades).hasSize(10_000);
        assertThat(TestTrades.duplicates(trades)).isEmpty();
        assertThat(TestTrades.orderViolations(trades)).isEmpty();
        Set<Long> ids = new HashSet<>();
        trades.forEach(t -> ids.add(TestTrades.sequence(t)));
        assertThat(ids).hasSize(10_000).allMatch(id -> id >= 0 && id < 10_000);
        assertThat(sink.batches()).allMatch(b -> b.trades().size() <= 100);
    }

    @Test
    void closesBatchesAtSizeUnderLoadAndAtTimeoutWhenQuiet() throws Exception {
        KafkaSettings kafka = TestKafka.topic(TestKafka.unique("batch"), 3);
        RecordingSink sink = new RecordingSink(Duration.ZERO);
        ConsumerSettings settings = TestConsumers.settings(kafka, TestKafka.unique("g"), 50, Duration.ofMillis(300),
                Duration.ZERO, GroupProtocol.CLASSIC);
        try (ConsumerPool pool = pool(settings, sink)) {
            pool.scaleTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> pool.readyReplicas() == 1);
            // A burst: 1000 records are already there, so batches fill up to BATCH_SIZE.
            TestTrades.produce(kafka, 1000);
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() >= 1000);
            List<RecordingSink.Batch> burst = sink.batches();
            assertThat(burst).allMatch(b -> b.trades().size() <= 50);
            assertThat(burst.stream().filter(b -> b.trades().size() == 50).count())
                    .as("most burst batches are full").isGreaterThanOrEqualTo(15);

            // A trickle: 3 records, far below BATCH_SIZE, are stored once the timeout has passed.
            int before = sink.batches().size();
            long sentAt = System.nanoTime();
            TestTrades.produce(kafka, 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.count() >= 1003);
            List<RecordingSink.Batch> quiet = sink.batches().subList(before, sink.batches().size());
            assertThat(quiet).allMatch(b -> b.trades().size() < 50);
            long waitedMs = (quiet.get(quiet.size() - 1).storedAtNanos() - sentAt) / 1_000_000;
            assertThat(waitedMs).as("stored after the 300 ms batch timeout, not before")
                    .isGreaterThanOrEqualTo(300).isLessThan(3000);
        }
    }

    @ParameterizedTest
    @EnumSource(value = GroupProtocol.class, names = {"CLASSIC", "CONSUMER"})
    void groupGrowingAndShrinkingMidStreamProcessesEveryMessageOnce(GroupProtocol protocol) throws Exception {
        KafkaSettings kafka = TestKafka.topic(TestKafka.unique("rebalance-" + protocol), 12);
        String group = TestKafka.unique("g");
        RecordingSink sink = new RecordingSink(Duration.ZERO);
        // 50 ms per batch of 100: each consumer does ~2000 msg/s, and a batch is often in flight at a rebalance.
        ConsumerSettings settings = TestConsumers.settings(kafka, group, 100, Duration.ofMillis(100),
                Duration.ofMillis(50), protocol);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TradeProducer producer = new TradeProducer(kafka, "test-producer", 1000, new TradeGenerator(7, true),
                registry);
        Thread producing = new Thread(producer, "producer");
        try (ConsumerPool pool = pool(settings, sink)) {
            pool.scaleTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> pool.readyReplicas() == 1);
            producing.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() >= 1000);

            pool.scaleTo(3);
            // Wait until the partitions have spread, or the first member may do all the work.
            await().atMost(Duration.ofSeconds(60)).until(() -> pool.pods().stream()
                    .allMatch(p -> p.consumer() != null && p.consumer().assignedPartitions() == 4));
            int afterGrow = sink.count();
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() >= afterGrow + 2000);

            pool.scaleTo(1);
            assertThat(pool.awaitStopped(Duration.ofSeconds(35))).isTrue();
            await().atMost(Duration.ofSeconds(60)).until(() -> pool.pods().get(0).consumer().assignedPartitions() == 12);
            int afterShrink = sink.count();
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() >= afterShrink + 2000);

            producer.close();
            assertThat(producer.awaitClosed(Duration.ofSeconds(30))).isTrue();
            long sent = producer.acknowledged();
            assertThat(producer.failedSends()).isZero();
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.count() >= sent);
            try (Admin admin = TestKafka.admin(kafka)) {
                GroupLagReader lag = new GroupLagReader(admin, kafka.topic(), group);
                await().atMost(Duration.ofSeconds(30)).until(() -> GroupLagReader.totalLag(lag.read()) == 0);
            }
        } finally {
            producer.close();
        }
        List<ConsumedTrade> trades = sink.trades();
        assertThat(TestTrades.duplicates(trades)).as("duplicates under " + protocol).isEmpty();
        assertThat(TestTrades.orderViolations(trades)).isEmpty();
        assertThat(trades).hasSize((int) producer.acknowledged());
        assertThat(sink.batches().stream().map(RecordingSink.Batch::consumer).distinct().count())
                .as("all three members did work").isEqualTo(3);
    }

    private static ConsumerPool pool(ConsumerSettings settings, RecordingSink sink) {
        return new ConsumerPool(settings, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), sink::forConsumer,
                Duration.ZERO);
    }
}
