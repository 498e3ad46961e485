package io.tradetx.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.testkit.FreePort;
import io.tradetx.testkit.SharedBroker;
import io.tradetx.testkit.TestKafka;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rate-limited producer against a real broker: accurate rate, rate changes, zero means idle;
 * failed sends (Kafka 4.x reports them through the callback) counted as failed, never as sent; a
 * bounded close while the broker is unreachable.
 */
@ExtendWith(SharedBroker.class)
class ProducerRateTest {

    @Test
    void sendsWithinTwoPercentOfTwoHundredPerSecondOverTenSeconds() throws Exception {
        KafkaSettings kafka = TestKafka.topic(TestKafka.unique("rate"), 3);
        TradeProducer producer = new TradeProducer(kafka, "rate-test", 200, TradeGenerator.random(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Thread t = new Thread(producer, "producer");
        long start = System.nanoTime();
        t.start();
        // This is the measurement window itself, not a wait for a condition.
        LockSupport.parkNanos(Duration.ofSeconds(10).toNanos() - (System.nanoTime() - start));
        producer.close();
        long elapsedNanos = System.nanoTime() - start;
        assertThat(producer.awaitClosed(Duration.ofSeconds(20))).isTrue();
        double rate = producer.acknowledged() / (elapsedNanos / 1e9);
        assertThat(rate).as("achieved rate").isBetween(196.0, 204.0);
    }

    @Test
    void rateChangesAtRunTimeAndZeroIsIdle() throws Exception {
        KafkaSettings kafka = TestKafka.topic(TestKafka.unique("rate-change"), 3);
        TradeProducer producer = new TradeProducer(kafka, "rate-change-test", 0, TradeGenerator.random(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Thread t = new Thread(producer, "producer");
        t.start();
        try {
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
            assertThat(producer.acknowledged()).as("rate 0 sends nothing").isZero();
            producer.setRate(1000);
            await().atMost(Duration.ofSeconds(10)).until(() -> producer.acknowledged() >= 1000);
            producer.setRate(0);
            long stopped = producer.acknowledged();
            await().atMost(Duration.ofSeconds(5)).until(() -> producer.acknowledged() - stopped < 200
                    && producer.acknowledged() == snapshotAfter(producer, Duration.ofMillis(300)));
        } finally {
            producer.close();
            producer.awaitClosed(Duration.ofSeconds(20));
        }
    }

    private static long snapshotAfter(TradeProducer producer, Duration d) {
        LockSupport.parkNanos(d.toNanos());
        return producer.acknowledged();
    }

    @Test
    void sendsToAMissingTopicAreCountedAsFailedNeverAsSentUntilItExists() throws Exception {
        KafkaSettings kafka = KafkaSettings.local(SharedBroker.bootstrapServers(), TestKafka.unique("late-topic"), 3);
        // A 3 s budget: send() waits 1 s for the topic's metadata, then fails through its callback.
        TradeProducer producer = new TradeProducer(kafka, "late-topic-test", 20, TradeGenerator.random(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Duration.ofSeconds(3));
        new Thread(producer, "producer").start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> producer.failedSends() >= 1);
            assertThat(producer.acknowledged()).isZero();
            TestKafka.topic(kafka.topic(), 3);
            await().atMost(Duration.ofSeconds(20)).until(() -> producer.acknowledged() >= 20);
        } finally {
            producer.close();
            assertThat(producer.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void closeIsBoundedWhileTheBrokerIsUnreachable() throws Exception {
        KafkaSettings kafka = KafkaSettings.local("127.0.0.1:" + FreePort.find(), "unreachable", 3);
        Duration budget = Duration.ofSeconds(4);
        TradeProducer producer = new TradeProducer(kafka, "unreachable-test", 100, TradeGenerator.random(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), budget);
        new Thread(producer, "producer").start();
        LockSupport.parkNanos(Duration.ofMillis(1500).toNanos()); // let it block in send()
        long start = System.nanoTime();
        producer.close();
        assertThat(producer.awaitClosed(budget.plusSeconds(1))).as("closed within the budget").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThanOrEqualTo(budget.plusSeconds(1));
        assertThat(producer.acknowledged()).isZero();
    }
}
