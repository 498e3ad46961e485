package io.tradetx.consumer;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.UnsupportedAssignorException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Sorts what poll() throws, as Apache Kafka's examples do: fatal (stop), offset reset (seek),
 * unreadable record (dead-letter it and move past it), retriable (back off and poll again).
 */
final class PollErrors {
    /** The kind of a poll error, and what it names. */
    enum Kind {
        FATAL,
        OFFSET_RESET,
        UNREADABLE,
        RETRIABLE
    }

    /**
     * A classified poll error. For UNREADABLE, {@code partition} and {@code offset} (-1 when Kafka's
     * message does not name it: then it is the partition's position), and the exception itself when it
     * carries the record's bytes.
     */
    record PollError(Kind kind, Set<TopicPartition> partitions, TopicPartition partition, long offset,
                     RecordDeserializationException deserialization) {
    }

    // The consumer reports corrupt data only in messages (CompletedFetch, FetchCollector of kafka-clients 4.x).
    private static final Pattern CORRUPT_AT_OFFSET = Pattern.compile(
            "(?:Record|Record batch) for partition (\\S+)-(\\d+) at offset (\\d+) is invalid");
    private static final Pattern CORRUPT_MESSAGE = Pattern.compile(
            "Encountered corrupt message when fetching offset (\\d+) for topic-partition (\\S+)-(\\d+)");
    private static final Pattern NEXT_RECORD = Pattern.compile(
            "fetching the next record from (\\S+)-(\\d+)\\. If needed, please seek past the record");

    private PollErrors() {
    }

    static PollError classify(KafkaException e) {
        if (e instanceof RecordDeserializationException rde) {
            return new PollError(Kind.UNREADABLE, Set.of(), rde.topicPartition(), rde.offset(), rde);
        }
        if (e instanceof InvalidOffsetException ioe) {
            return new PollError(Kind.OFFSET_RESET, ioe.partitions(), null, -1, null);
        }
        if (isFatal(e)) {
            return new PollError(Kind.FATAL, Set.of(), null, -1, null);
        }
        TopicPartition partition = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            Matcher at = CORRUPT_AT_OFFSET.matcher(m);
            if (at.find()) {
                return unreadable(at.group(1), at.group(2), Long.parseLong(at.group(3)));
            }
            Matcher corrupt = CORRUPT_MESSAGE.matcher(m);
            if (corrupt.find()) {
                return unreadable(corrupt.group(2), corrupt.group(3), Long.parseLong(corrupt.group(1)));
            }
            Matcher next = NEXT_RECORD.matcher(m);
            if (next.find() && partition == null) {
                partition = new TopicPartition(next.group(1), Integer.parseInt(next.group(2)));
            }
        }
        if (partition != null) {
            return new PollError(Kind.UNREADABLE, Set.of(), partition, -1, null);
        }
        return new PollError(Kind.RETRIABLE, Set.of(), null, -1, null);
    }

    private static PollError unreadable(String topic, String partition, long offset) {
        return new PollError(Kind.UNREADABLE, Set.of(), new TopicPartition(topic, Integer.parseInt(partition)), offset,
                null);
    }

    /** Errors no retry fixes: wrong credentials or permissions, bad configuration, an incompatible broker. */
    static boolean isFatal(Throwable e) {
        return e instanceof AuthenticationException || e instanceof AuthorizationException
                || e instanceof InvalidGroupIdException || e instanceof UnsupportedVersionException
                || e instanceof FencedInstanceIdException || e instanceof InvalidConfigurationException
                || e instanceof UnsupportedAssignorException || e instanceof InvalidTopicException;
    }
}
