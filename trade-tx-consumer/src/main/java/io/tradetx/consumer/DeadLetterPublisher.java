package io.tradetx.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Copies messages that are not valid trades to the dead-letter topic, with headers naming the error
 * and where the message came from, and waits for the broker to acknowledge them before returning.
 */
public final class DeadLetterPublisher implements AutoCloseable {
    public static final String HEADER_ERROR = "dlq.error";
    public static final String HEADER_TOPIC = "dlq.source.topic";
    public static final String HEADER_PARTITION = "dlq.source.partition";
    public static final String HEADER_OFFSET = "dlq.source.offset";
    public static final String HEADER_TIMESTAMP = "dlq.source.timestamp";

    private final Producer<byte[], byte[]> producer;
    private final String topic;

    public DeadLetterPublisher(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /** A rejected message and why. */
    public record Rejected(ConsumerRecord<String, byte[]> record, String error) {
    }

    /** Sends all and waits: offsets past these messages are committed only after this returns. */
    public void publish(List<Rejected> rejected) throws ExecutionException, InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(rejected.size());
        for (Rejected r : rejected) {
            ConsumerRecord<String, byte[]> src = r.record();
            Headers headers = new RecordHeaders();
            src.headers().forEach(headers::add);
            headers.add(HEADER_ERROR, utf8(r.error()));
            headers.add(HEADER_TOPIC, utf8(src.topic()));
            headers.add(HEADER_PARTITION, utf8(String.valueOf(src.partition())));
            headers.add(HEADER_OFFSET, utf8(String.valueOf(src.offset())));
            headers.add(HEADER_TIMESTAMP, utf8(String.valueOf(src.timestamp())));
            byte[] key = src.key() == null ? null : utf8(src.key());
            acks.add(producer.send(new ProducerRecord<>(topic, null, key, src.value(), headers)));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
