package io.tradetx.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The send accounting with Kafka 4.x semantics (failures come through the callback, send() does not
 * throw): only acknowledged trades count as sent; one that cannot be buffered is tried again a few
 * times, a failure reported later is counted as failed.
 */
class TradeProducerTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void aTradeThatCannotBeBufferedIsTriedAgainThenCountedAsFailedNeverAsSent() throws Exception {
        BufferFullAtFirst mock = new BufferFullAtFirst(TradeProducer.SEND_ATTEMPTS + TradeProducer.SEND_ATTEMPTS - 1);
        TradeProducer p = run(mock, 200, Duration.ofMillis(500));
        // The first trade failed every attempt; the second succeeded at its last attempt.
        assertThat(p.failedSends()).isEqualTo(1);
        assertThat(p.acknowledged()).isEqualTo(mock.history().size()).isPositive();
        assertThat(registry.get("trade.tx.producer.sent").counter().count()).isEqualTo(p.acknowledged());
        assertThat(registry.get("trade.tx.producer.errors").counter().count()).isEqualTo(1);
    }

    @Test
    void failuresReportedAfterTheSendAreCountedAsFailed() throws Exception {
        MockProducer<String, byte[]> mock = mock(false);
        TradeProducer p = new TradeProducer(mock, "t", 100, new TradeGenerator(1, true), registry, Duration.ofSeconds(5));
        Thread t = new Thread(p);
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (mock.history().size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(mock.errorNext(new TimeoutException("delivery.timeout.ms expired"))).isTrue();
        assertThat(mock.errorNext(new RecordTooLargeException("too large"))).isTrue();
        assertThat(mock.completeNext()).isTrue();
        assertThat(p.failedSends()).isEqualTo(2);
        assertThat(p.acknowledged()).isEqualTo(1);
        p.close();
        assertThat(p.awaitClosed(Duration.ofSeconds(10))).isTrue();
    }

    private TradeProducer run(MockProducer<String, byte[]> mock, int rate, Duration d) throws Exception {
        TradeProducer p = new TradeProducer(mock, "t", rate, new TradeGenerator(1, true), registry, Duration.ofSeconds(5));
        Thread t = new Thread(p);
        t.start();
        Thread.sleep(d.toMillis()); // the run itself: the loop sends on its schedule meanwhile
        p.close();
        assertThat(p.awaitClosed(Duration.ofSeconds(10))).isTrue();
        return p;
    }

    /**
     * What KafkaProducer 4.x does when its buffer stays full or metadata is missing for max.block.ms:
     * send() calls the callback with a TimeoutException on the caller's thread and returns a failed
     * future, it does not throw. The first {@code failures} sends fail so.
     */
    private static final class BufferFullAtFirst extends MockProducer<String, byte[]> {
        private int failures;

        BufferFullAtFirst(int failures) {
            super(true, null, new StringSerializer(), new ByteArraySerializer());
            this.failures = failures;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
            if (failures-- > 0) {
                TimeoutException e = new TimeoutException("Failed to allocate memory within the configured max "
                        + "blocking time");
                callback.onCompletion(null, e);
                return CompletableFuture.failedFuture(e);
            }
            return super.send(record, callback);
        }
    }

    private static MockProducer<String, byte[]> mock(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
    }
}
