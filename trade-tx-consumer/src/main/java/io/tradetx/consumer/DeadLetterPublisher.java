package io.tradetx.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Copies messages that cannot be stored to the dead-letter topic, with headers naming the error and
 * where the message came from, and waits for the broker's acknowledgements. A dead letter always
 * fits: the error header is cut to {@link #MAX_ERROR_BYTES}, records over MAX_RECORD_BYTES arrive
 * here already cut to a 1 KiB prefix, and a dead letter the topic still refuses as too large is sent
 * again as headers only.
 */
public final class DeadLetterPublisher implements DeadLetters {
    public static final String HEADER_ERROR = "dlq.error";
    public static final String HEADER_TOPIC = "dlq.source.topic";
    public static final String HEADER_PARTITION = "dlq.source.partition";
    public static final String HEADER_OFFSET = "dlq.source.offset";
    public static final String HEADER_TIMESTAMP = "dlq.source.timestamp";
    /** Present when the value (and key, headers) were cut or left out: the source record's size in bytes. */
    public static final String HEADER_SOURCE_BYTES = "dlq.source.bytes";
    public static final String HEADER_TRUNCATED = "dlq.value.truncated";
    /** The error text is cut to this many UTF-8 bytes: all dead-letter headers stay under 2 KiB. */
    public static final int MAX_ERROR_BYTES = 1024;
    private static final long ACK_POLL_MS = 50;

    private final Producer<byte[], byte[]> producer;
    private final String topic;

    public DeadLetterPublisher(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /**
     * A message that goes to the dead-letter topic and why. {@code truncated}: the record holds only a
     * prefix of the source (see {@link Inbound}); {@code sourceBytes} is the source record's size.
     */
    public record Rejected(ConsumerRecord<String, byte[]> record, String error, boolean truncated, long sourceBytes) {
        public Rejected(ConsumerRecord<String, byte[]> record, String error) {
            this(record, error, false, Inbound.sizeOf(record));
        }
    }

    /** How one publish attempt ended: the dead letters still to send (transient failures) and the first error. */
    record Attempt(List<Rejected> failed, Exception error, boolean abandoned) {
        boolean complete() {
            return failed.isEmpty() && !abandoned;
        }
    }

    /** What a failed send means. */
    enum Failure {
        /** The dead letter is larger than the topic or producer accepts: send it again without its data. */
        TOO_LARGE,
        /** No retry fixes it: permissions, an invalid topic, an incompatible broker. */
        FATAL,
        /** Try again later: broker away, not enough replicas, timeouts. */
        TRANSIENT
    }

    /** A dead letter that no retry can deliver: the consumer stops rather than skip the record. */
    public static final class FatalDeadLetterException extends RuntimeException {
        FatalDeadLetterException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static Failure classify(Throwable e) {
        if (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException) {
            return Failure.TOO_LARGE;
        }
        return PollErrors.isFatal(e) ? Failure.FATAL : Failure.TRANSIENT;
    }

    /**
     * Sends every dead letter and waits for the acknowledgements, giving up the wait as soon as
     * {@code abandoned} says so. Transient failures come back in the result, to be retried by the caller.
     */
    @Override
    public Attempt publish(List<Rejected> rejected, BooleanSupplier abandoned) throws InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(rejected.size());
        for (Rejected r : rejected) {
            acks.add(send(r, false));
        }
        List<Rejected> failed = new ArrayList<>();
        Exception firstError = null;
        for (int i = 0; i < acks.size(); i++) {
            Rejected r = rejected.get(i);
            Throwable error = await(acks.get(i), abandoned);
            if (error == ABANDONED) {
                return new Attempt(rejected.subList(i, rejected.size()), null, true);
            }
            if (error != null && classify(error) == Failure.TOO_LARGE) {
                Throwable again = await(send(r, true), abandoned);
                if (again == ABANDONED) {
                    return new Attempt(rejected.subList(i, rejected.size()), null, true);
                }
                if (again != null && classify(again) != Failure.TRANSIENT) {
                    throw new FatalDeadLetterException("Dead letter for " + r.record().topic() + "-"
                            + r.record().partition() + " offset " + r.record().offset()
                            + " refused even without its data: " + again, again);
                }
                error = again;
            }
            if (error != null && classify(error) == Failure.FATAL) {
                throw new FatalDeadLetterException("Dead-letter topic " + topic + " cannot be written: " + error, error);
            }
            if (error != null) {
                failed.add(r);
                if (firstError == null) {
                    firstError = error instanceof Exception ex ? ex : new ExecutionException(error);
                }
            }
        }
        return new Attempt(failed, firstError, false);
    }

    private static final Throwable ABANDONED = new Throwable("abandoned");

    /** Null once acknowledged; the error if it failed; {@link #ABANDONED} if the wait was given up. */
    private static Throwable await(Future<RecordMetadata> ack, BooleanSupplier abandoned) throws InterruptedException {
        while (true) {
            try {
                ack.get(ACK_POLL_MS, TimeUnit.MILLISECONDS);
                return null;
            } catch (ExecutionException e) {
                return e.getCause();
            } catch (TimeoutException e) {
                if (abandoned.getAsBoolean()) {
                    return ABANDONED;
                }
            }
        }
    }

    private Future<RecordMetadata> send(Rejected r, boolean headersOnly) throws InterruptedException {
        try {
            return producer.send(deadLetter(r, headersOnly));
        } catch (InterruptException e) {
            throw new InterruptedException("interrupted while sending a dead letter");
        } catch (RuntimeException e) {
            // send() itself refused (closed producer, metadata wait over): report it like a failed delivery.
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /** The dead letter for a rejected record; {@code headersOnly}: no key, value or source headers. */
    ProducerRecord<byte[], byte[]> deadLetter(Rejected r, boolean headersOnly) {
        ConsumerRecord<String, byte[]> src = r.record();
        Headers headers = new RecordHeaders();
        if (!headersOnly) {
            src.headers().forEach(headers::add);
        }
        headers.add(HEADER_ERROR, utf8Prefix(r.error(), MAX_ERROR_BYTES));
        headers.add(HEADER_TOPIC, utf8(src.topic()));
        headers.add(HEADER_PARTITION, utf8(String.valueOf(src.partition())));
        headers.add(HEADER_OFFSET, utf8(String.valueOf(src.offset())));
        headers.add(HEADER_TIMESTAMP, utf8(String.valueOf(src.timestamp())));
        if (headersOnly || r.truncated()) {
            headers.add(HEADER_SOURCE_BYTES, utf8(String.valueOf(r.sourceBytes())));
            headers.add(HEADER_TRUNCATED, utf8("true"));
        }
        byte[] key = headersOnly || src.key() == null ? null : utf8(src.key());
        byte[] value = headersOnly ? null : src.value();
        return new ProducerRecord<>(topic, null, key, value, headers);
    }

    /** At most {@code max} bytes of the UTF-8 form, never splitting a character. */
    static byte[] utf8Prefix(String s, int max) {
        byte[] b = utf8(String.valueOf(s));
        if (b.length <= max) {
            return b;
        }
        int end = max;
        while (end > 0 && (b[end] & 0xC0) == 0x80) {
            end--; // b[end] continues a character: cut before that character starts
        }
        return Arrays.copyOf(b, end);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Closes the producer, waiting at most {@code timeout} for sends still in flight. */
    @Override
    public void close(Duration timeout) {
        producer.close(timeout);
    }
}
