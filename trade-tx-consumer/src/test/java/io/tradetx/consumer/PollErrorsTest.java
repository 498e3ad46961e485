package io.tradetx.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** poll() errors sorted as Apache Kafka's examples do. */
class PollErrorsTest {
    private static final TopicPartition TP = new TopicPartition("trade-tx.v2", 7);

    @Test
    void permissionsAndCredentialsAreFatal() {
        assertThat(PollErrors.classify(new TopicAuthorizationException("no")).kind()).isEqualTo(PollErrors.Kind.FATAL);
        assertThat(PollErrors.classify(new GroupAuthorizationException("no")).kind()).isEqualTo(PollErrors.Kind.FATAL);
        assertThat(PollErrors.classify(new SaslAuthenticationException("no")).kind()).isEqualTo(PollErrors.Kind.FATAL);
    }

    @Test
    void anOutOfRangeOffsetIsResetAndADisconnectIsRetried() {
        PollErrors.PollError reset = PollErrors.classify(new OffsetOutOfRangeException(Map.of(TP, 5L)));
        assertThat(reset.kind()).isEqualTo(PollErrors.Kind.OFFSET_RESET);
        assertThat(reset.partitions()).containsExactly(TP);
        assertThat(PollErrors.classify(new DisconnectException("gone")).kind()).isEqualTo(PollErrors.Kind.RETRIABLE);
        assertThat(PollErrors.classify(new KafkaException("something else")).kind()).isEqualTo(PollErrors.Kind.RETRIABLE);
    }

    @Test
    void corruptRecordsAreFoundInKafkasMessagesWithTheirPartitionAndOffset() {
        KafkaException crc = new KafkaException("Received exception when fetching the next record from trade-tx.v2-7. "
                + "If needed, please seek past the record to continue consumption.",
                new KafkaException("Record for partition trade-tx.v2-7 at offset 42 is invalid, cause: Record is corrupt"));
        PollErrors.PollError e = PollErrors.classify(crc);
        assertThat(e.kind()).isEqualTo(PollErrors.Kind.UNREADABLE);
        assertThat(e.partition()).isEqualTo(TP);
        assertThat(e.offset()).isEqualTo(42);

        PollErrors.PollError fetch = PollErrors.classify(new KafkaException(
                "Encountered corrupt message when fetching offset 99 for topic-partition trade-tx.v2-7"));
        assertThat(fetch.partition()).isEqualTo(TP);
        assertThat(fetch.offset()).isEqualTo(99);

        PollErrors.PollError noOffset = PollErrors.classify(new KafkaException("Received exception when fetching the "
                + "next record from trade-tx.v2-7. If needed, please seek past the record to continue consumption.",
                new IllegalStateException("unexpected")));
        assertThat(noOffset.kind()).isEqualTo(PollErrors.Kind.UNREADABLE);
        assertThat(noOffset.partition()).isEqualTo(TP);
        assertThat(noOffset.offset()).as("unknown: the partition's position").isEqualTo(-1);
    }
}
