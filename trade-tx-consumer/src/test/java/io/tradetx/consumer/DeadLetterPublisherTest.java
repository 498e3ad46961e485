package io.tradetx.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Dead letters always fit, and publish errors are sorted into too large, fatal and transient. */
class DeadLetterPublisherTest {

    /** A producer whose sends fail with the given errors, one per send, then succeed. */
    private static final class FailingProducer extends MockProducer<byte[], byte[]> {
        final List<RuntimeException> errors;
        final AtomicInteger sends = new AtomicInteger();

        FailingProducer(RuntimeException... errors) {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.errors = List.of(errors);
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            int n = sends.getAndIncrement();
            if (n < errors.size()) {
                return CompletableFuture.failedFuture(errors.get(n));
            }
            return super.send(record, callback);
        }
    }

    private static ConsumerRecord<String, byte[]> source(String error) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("traceparent", "00-abc".getBytes(StandardCharsets.UTF_8)));
        return new ConsumerRecord<>("trades", 2, 41, 1700000000000L, TimestampType.CREATE_TIME, 7, 9, "ACC1234",
                "not-json!".getBytes(StandardCharsets.UTF_8), headers, java.util.Optional.empty());
    }

    @Test
    void aDeadLetterCarriesTheSourceAndTheErrorCutToOneKibWithoutSplittingACharacter() throws Exception {
        FailingProducer producer = new FailingProducer();
        DeadLetterPublisher p = new DeadLetterPublisher(producer, "trades.dlq");
        String longError = "é".repeat(2000); // 2 bytes each in UTF-8
        assertThat(p.publish(List.of(new DeadLetterPublisher.Rejected(source("x"), longError)), () -> false).complete())
                .isTrue();
        ProducerRecord<byte[], byte[]> dead = producer.history().get(0);
        assertThat(dead.value()).isEqualTo("not-json!".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("ACC1234");
        assertThat(value(dead, "traceparent")).as("source headers kept").isEqualTo("00-abc");
        byte[] error = dead.headers().lastHeader(DeadLetterPublisher.HEADER_ERROR).value();
        assertThat(error.length).isEqualTo(DeadLetterPublisher.MAX_ERROR_BYTES);
        assertThat(new String(error, StandardCharsets.UTF_8)).isEqualTo("é".repeat(512));
        assertThat(value(dead, DeadLetterPublisher.HEADER_PARTITION)).isEqualTo("2");
        assertThat(value(dead, DeadLetterPublisher.HEADER_OFFSET)).isEqualTo("41");
        assertThat(dead.headers().lastHeader(DeadLetterPublisher.HEADER_TRUNCATED)).isNull();
        int headerBytes = 0;
        for (Header h : dead.headers()) {
            headerBytes += h.key().length() + h.value().length;
        }
        assertThat(headerBytes).as("dead-letter headers").isLessThan(2048);
    }

    @Test
    void aDeadLetterTheTopicRefusesAsTooLargeIsSentAgainAsHeadersOnly() throws Exception {
        FailingProducer producer = new FailingProducer(new RecordTooLargeException("too large for the topic"));
        DeadLetterPublisher p = new DeadLetterPublisher(producer, "trades.dlq");
        assertThat(p.publish(List.of(new DeadLetterPublisher.Rejected(source("x"), "bad")), () -> false).complete())
                .isTrue();
        ProducerRecord<byte[], byte[]> marker = producer.history().get(0);
        assertThat(marker.value()).isNull();
        assertThat(marker.key()).isNull();
        assertThat(marker.headers().lastHeader("traceparent")).isNull();
        assertThat(value(marker, DeadLetterPublisher.HEADER_TRUNCATED)).isEqualTo("true");
        assertThat(value(marker, DeadLetterPublisher.HEADER_SOURCE_BYTES)).as("key, value, headers").isEqualTo("33");
    }

    @Test
    void transientFailuresComeBackForRetryAndNoRetryFixesAnInvalidTopic() throws Exception {
        FailingProducer flaky = new FailingProducer(new NotEnoughReplicasException("isr"));
        DeadLetterPublisher p = new DeadLetterPublisher(flaky, "trades.dlq");
        DeadLetterPublisher.Rejected r = new DeadLetterPublisher.Rejected(source("x"), "bad");
        DeadLetterPublisher.Attempt first = p.publish(List.of(r), () -> false);
        assertThat(first.failed()).containsExactly(r);
        assertThat(first.error()).isInstanceOf(NotEnoughReplicasException.class);
        assertThat(p.publish(first.failed(), () -> false).complete()).isTrue();

        DeadLetterPublisher broken = new DeadLetterPublisher(new FailingProducer(new InvalidTopicException("bad name")),
                "trades.dlq");
        assertThatThrownBy(() -> broken.publish(List.of(r), () -> false))
                .isInstanceOf(DeadLetterPublisher.FatalDeadLetterException.class);
    }

    @Test
    void waitingForAcknowledgementsStopsWhenTheBatchIsGivenUp() throws Exception {
        MockProducer<byte[], byte[]> neverAcks = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        DeadLetterPublisher p = new DeadLetterPublisher(neverAcks, "trades.dlq");
        long start = System.nanoTime();
        DeadLetterPublisher.Attempt a = p.publish(List.of(new DeadLetterPublisher.Rejected(source("x"), "bad")),
                () -> System.nanoTime() - start > 200_000_000L);
        assertThat(a.abandoned()).isTrue();
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }

    private static String value(ProducerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
