package io.tradetx.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradetx.common.kafka.GroupLagReader;
import io.tradetx.protocol.GroupProtocol;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.consumer.pool.ConsumerPool;
import io.tradetx.consumer.sink.TradeSink;
import io.tradetx.consumer.testing.RecordingSink;
import io.tradetx.consumer.testing.TestConsumers;
import io.tradetx.consumer.testing.TestTrades;
import io.tradetx.testkit.SharedBroker;
import io.tradetx.testkit.TestKafka;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A database outage: the sink throws for five seconds. The consumer retries with back-off, commits
 * nothing past the last stored batch, stops fetching instead of buffering without bound, does not
 * crash, and after recovery every message is stored exactly once.
 */
@ExtendWith(SharedBroker.class)
class SinkOutageTest {
    private static final Duration OUTAGE = Duration.ofSeconds(5);

    /** Stores into a RecordingSink, but throws for OUTAGE once {@code armAt} trades are stored. */
    static final class OutageSink implements TradeSink {
        final RecordingSink stored = new RecordingSink(Duration.ZERO);
        final AtomicInteger failures = new AtomicInteger();
        private final int armAt;
        private volatile boolean armed = true;
        volatile long outageEndsNanos;

        OutageSink(int armAt) {
            this.armAt = armAt;
        }

        @Override
        public void write(List<ConsumedTrade> batch) throws Exception {
            if (armed && stored.count() >= armAt) {
                armed = false;
                outageEndsNanos = System.nanoTime() + OUTAGE.toNanos();
            }
            if (System.nanoTime() < outageEndsNanos) {
                failures.incrementAndGet();
                throw new IOException("database unavailable (simulated outage)");
            }
            stored.write(batch);
        }

        boolean inOutage() {
            return !armed && System.nanoTime() < outageEndsNanos;
        }
    }

    @Test
    void aFailingSinkIsRetriedWithoutCommittingPausesFetchingAndRecoversExactlyOnce() throws Exception {
        KafkaSettings kafka = TestKafka.topic(TestKafka.unique("outage"), 3);
        String group = TestKafka.unique("g");
        int total = 5000;
        int batchSize = 100;
        TestTrades.produce(kafka, total);
        OutageSink sink = new OutageSink(1000);
        ConsumerSettings settings = TestConsumers.settings(kafka, group, batchSize, Duration.ofMillis(100), Duration.ZERO,
                GroupProtocol.CLASSIC);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ConsumerPool pool = new ConsumerPool(settings, registry, pod -> sink, Duration.ZERO);
             Admin admin = TestKafka.admin(kafka)) {
            GroupLagReader lag = new GroupLagReader(admin, kafka.topic(), group);
            pool.scaleTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.failures.get() > 0);

            // While the sink is down: sample the committed offsets and how far the consumer has fetched.
            int storedAtOutage = sink.stored.count();
            MicrobatchConsumer consumer = pool.pods().get(0).consumer();
            List<long[]> samples = new ArrayList<>(); // {committed, stored, buffered, paused}
            while (sink.inOutage()) {
                long committed = lag.read().stream().mapToLong(l -> Math.max(0, l.committed())).sum();
                samples.add(new long[] {committed, sink.stored.count(), consumer.bufferedRecords(),
                    consumer.isFetchPaused() ? 1 : 0});
                Thread.sleep(200);
            }
            assertThat(samples).hasSizeGreaterThanOrEqualTo(10);
            for (long[] s : samples) {
                assertThat(s[0]).as("committed offsets never pass the stored records").isLessThanOrEqualTo(s[1]);
                assertThat(s[1]).as("nothing is stored while the sink is down").isEqualTo(storedAtOutage);
                // Two batches plus at most one poll's worth: fetching pauses instead of piling up records.
                assertThat(s[2]).as("records buffered while the sink is down").isLessThanOrEqualTo(3L * batchSize);
            }
            long[] last = samples.get(samples.size() - 1);
            assertThat(samples.subList(samples.size() / 2, samples.size())).as("fetching paused in the outage")
                    .allMatch(s -> s[3] == 1);
            assertThat(last[2]).as("the buffer filled up to its bound, then fetching paused")
                    .isGreaterThanOrEqualTo(2L * batchSize);
            assertThat(last[0]).as("the batches stored before the outage are committed").isEqualTo(storedAtOutage);
            assertThat(sink.failures.get()).as("retried with back-off, not hammered").isBetween(3, 12);
            assertThat(pool.pods().get(0).consumer().hasFailed()).isFalse();

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> GroupLagReader.totalLag(lag.read()) == 0);
            assertThat(pool.pods().get(0).consumer().hasFailed()).isFalse();
            assertThat(pool.pods().get(0).isReady()).isTrue();
        }
        List<ConsumedTrade> trades = sink.stored.trades();
        assertThat(trades).hasSize(total);
        assertThat(TestTrades.duplicates(trades)).isEmpty();
        assertThat(TestTrades.orderViolations(trades)).isEmpty();
        assertThat(DeadLetterTest.sumOf(registry.scrape(), "kafka_consumer_sink_failures_total", "pod="))
                .isEqualTo(sink.failures.get());
    }
}
