package io.tradetx.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.producer.TradeGenerator;
import io.tradetx.producer.TradeProducer;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The rate-limited producer against a real broker: accurate rate, rate changes, zero means idle. */
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
}
