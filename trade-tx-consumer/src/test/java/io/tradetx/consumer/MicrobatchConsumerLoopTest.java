package io.tradetx.consumer;

import static io.tradetx.consumer.LoopHarness.limits;
import static io.tradetx.consumer.LoopHarness.tp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tradetx.common.trade.TradeJson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The consumer loop on Kafka's MockConsumer: every commit and seek it makes in the situations the
 * commit core exists for (give-up, lost partitions, revocation, failing commits), and its handling of
 * rejected, oversized and unreadable records and of poll errors.
 */
class MicrobatchConsumerLoopTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aGivenUpBatchSeeksItsStillAssignedPartitionBackSoNothingIsCommittedPastUnstoredRecords() throws Exception {
        // max.poll.interval.ms=2000: the revoke wait is 1 s.
        try (LoopHarness h = new LoopHarness(20, limits(Duration.ofSeconds(60)), Map.of("max.poll.interval.ms", "2000"))) {
            h.sink.down = true;
            h.start(0, 1);
            h.add(new long[] {0, 0, 9}, new long[] {1, 0, 9});
            await().atMost(WAIT).until(() -> h.sink.attempts.get() >= 2);
            // Partition 1 moves to another member while the sink is down: the wait runs out, the batch is
            // given up, and partition 0, which stays, must read its records again.
            h.assign(0);
            h.onLoop(() -> assertThat(h.kafka.position(tp(0))).as("sought back to the batch's first offset").isZero());
            h.sink.down = false;
            h.add(0, 0, 19);
            await().atMost(WAIT).until(() -> h.committed(0) == 20);
            assertThat(h.sink.offsets(0)).containsExactlyElementsOf(LoopHarness.ScriptedSink.range(0, 19));
            assertThat(h.kafka.commitsOf(1)).as("nothing of partition 1 was stored, nothing committed").isEmpty();
            assertThat(h.kafka.commitsOf(0)).allMatch(o -> o <= 20);
        }
    }

    @Test
    void aBatchOfALostPartitionNeverCommitsEvenWhenThePartitionComesBack() throws Exception {
        try (LoopHarness h = new LoopHarness(10, limits(Duration.ofSeconds(60)), Map.of())) {
            h.start(0);
            h.add(0, 0, 9);
            await().atMost(WAIT).until(() -> h.committed(0) == 10);
            CountDownLatch gate = new CountDownLatch(1);
            h.sink.gate = gate;
            h.add(0, 10, 19);
            await().atMost(WAIT).until(() -> h.sink.attempts.get() >= 2); // the batch 10..19 is being written
            // The session expired: partition 0 went to another member, which got to offset 50, then it came back.
            h.onLoop(() -> {
                h.kafka.losePartitions(List.of(tp(0)));
                h.kafka.commitSync(Map.of(tp(0), new org.apache.kafka.clients.consumer.OffsetAndMetadata(50)),
                        Duration.ofSeconds(1));
                h.kafka.rebalance(List.of(tp(0)));
            });
            h.add(0, 50, 59);
            h.sink.gate = null;
            gate.countDown(); // the stale write lands now
            await().atMost(WAIT).until(() -> h.committed(0) == 60);
            List<Long> commits = h.kafka.commitsOf(0);
            assertThat(commits.subList(commits.indexOf(50L), commits.size())).as("never back below 50")
                    .allMatch(o -> o >= 50);
            assertThat(commits).doesNotContain(20L);
            List<Long> stored = h.sink.offsets(0);
            assertThat(stored.indexOf(50L)).as("the new epoch's rows land after the stale write")
                    .isGreaterThan(stored.indexOf(19L));
        }
    }

    @Test
    void aRevocationWaitsForTheBatchInFlightAndCommitsItBeforeThePartitionMoves() throws Exception {
        try (LoopHarness h = new LoopHarness(20, limits(Duration.ofSeconds(60)), Map.of())) {
            CountDownLatch gate = new CountDownLatch(1);
            h.sink.gate = gate;
            h.start(0, 1);
            h.add(new long[] {0, 0, 9}, new long[] {1, 0, 9});
            await().atMost(WAIT).until(() -> h.sink.attempts.get() >= 1);
            h.add(1, 10, 14); // buffered behind the batch in flight
            Thread release = new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
                gate.countDown();
            });
            release.start();
            h.assign(0); // revokes 1 while the batch with both partitions is being written
            assertThat(h.committed(1)).as("committed in the revocation, before the partition moved").isEqualTo(10);
            h.onLoop(() -> assertThat(h.kafka.position(tp(0))).as("no seek: the batch was stored").isEqualTo(10));
            await().atMost(WAIT).until(() -> h.committed(0) == 10);
            assertThat(h.sink.offsets(1)).as("buffered records of the revoked partition are dropped")
                    .containsExactlyElementsOf(LoopHarness.ScriptedSink.range(0, 9));
        }
    }

    @Test
    void failedCommitsAreRetriedAndHoldNewBatchesOnceTwoBatchesWaitForThem() throws Exception {
        try (LoopHarness h = new LoopHarness(10, limits(Duration.ofSeconds(60)), Map.of())) {
            h.kafka.failCommits = true;
            h.start(0);
            h.add(0, 0, 99);
            await().atMost(WAIT).until(() -> h.sink.stored.size() >= 20);
            Thread.sleep(500); // give the loop time to (wrongly) go on
            assertThat(h.sink.stored.size()).as("held at two batches stored uncommitted (plus the one that ran)")
                    .isLessThanOrEqualTo(30);
            assertThat(h.committed(0)).isEqualTo(-1);
            h.kafka.failCommits = false;
            await().atMost(WAIT).until(() -> h.committed(0) == 100);
            assertThat(h.sink.offsets(0)).containsExactlyElementsOf(LoopHarness.ScriptedSink.range(0, 99));
            assertThat(h.kafka.commitsOf(0)).isSorted();
        }
    }

    @Test
    void recordsTheSinkRejectsAreIsolatedAndDeadLetteredAndTheRestIsStoredInOrder() throws Exception {
        try (LoopHarness h = new LoopHarness(16, limits(Duration.ofSeconds(60)), Map.of())) {
            h.sink.rejectedIds.add(LoopHarness.trade(0, 3).tradeId());
            h.sink.rejectedIds.add(LoopHarness.trade(0, 12).tradeId());
            h.start(0);
            h.add(0, 0, 15);
            await().atMost(WAIT).until(() -> h.committed(0) == 16);
            List<Long> expected = new ArrayList<>(LoopHarness.ScriptedSink.range(0, 15));
            expected.removeAll(List.of(3L, 12L));
            assertThat(h.sink.offsets(0)).containsExactlyElementsOf(expected);
            List<ProducerRecord<byte[], byte[]>> dead = h.deadLetters.history();
            assertThat(dead).extracting(r -> header(r, DeadLetterPublisher.HEADER_OFFSET)).containsExactly("3", "12");
            assertThat(header(dead.get(0), DeadLetterPublisher.HEADER_ERROR)).startsWith("sink rejected: value out of range");
            assertThat(dead.get(0).value()).isEqualTo(TradeJson.encode(LoopHarness.trade(0, 3)));
            // Bisection: log2(16) levels, not one write per record.
            assertThat(h.sink.attempts.get()).isLessThan(16);
        }
    }

    @Test
    void anOversizedRecordIsDeadLetteredUndecodedWithA1KibPrefixAndTheBatchesAreCutByBytes() throws Exception {
        ConsumerSettings.Limits small = new ConsumerSettings.Limits(Duration.ofSeconds(25), Duration.ofSeconds(60),
                1024 * 1024, 64 * 1024);
        try (LoopHarness h = new LoopHarness(100, small, Map.of())) {
            h.start(0);
            byte[] huge = new byte[200_000];
            java.util.Arrays.fill(huge, (byte) '{');
            h.onLoop(() -> {
                h.kafka.addRecord(LoopHarness.record(0, 0, huge));
                for (long o = 1; o <= 30; o++) {
                    // Valid trades padded with spaces to ~60 KB each: under MAX_RECORD_BYTES, heavy in bytes.
                    byte[] json = TradeJson.encode(LoopHarness.trade(0, o));
                    byte[] padded = new byte[60_000];
                    java.util.Arrays.fill(padded, (byte) ' ');
                    System.arraycopy(json, 0, padded, 0, json.length);
                    h.kafka.addRecord(LoopHarness.record(0, o, padded));
                }
            });
            await().atMost(WAIT).until(() -> h.committed(0) == 31);
            ProducerRecord<byte[], byte[]> dead = h.deadLetters.history().get(0);
            assertThat(dead.value()).hasSize(Inbound.KEPT_BYTES);
            assertThat(header(dead, DeadLetterPublisher.HEADER_TRUNCATED)).isEqualTo("true");
            assertThat(header(dead, DeadLetterPublisher.HEADER_SOURCE_BYTES)).isEqualTo(String.valueOf(200_000 + 7));
            assertThat(header(dead, DeadLetterPublisher.HEADER_ERROR)).contains("exceeds MAX_RECORD_BYTES=65536");
            assertThat(h.sink.offsets(0)).containsExactlyElementsOf(LoopHarness.ScriptedSink.range(1, 30));
            // Half of the 1 MiB buffer bound per batch: at most 8 records of 60 KB (+ overhead) each.
            assertThat(h.sink.writeSizes).allMatch(n -> n <= 8);
        }
    }

    @Test
    void anUnreadableRecordIsDeadLetteredWithItsOffsetAndThePartitionMovesOn() throws Exception {
        try (LoopHarness h = new LoopHarness(10, limits(Duration.ofSeconds(60)), Map.of())) {
            h.start(0);
            h.add(0, 0, 4);
            await().atMost(WAIT).until(() -> h.committed(0) == 5);
            // A value the deserializer rejected (its bytes are known), then a corrupt record batch (they are not).
            h.onLoop(() -> h.kafka.setPollException(new RecordDeserializationException(
                    RecordDeserializationException.DeserializationExceptionOrigin.VALUE, tp(0), 5, 1234L,
                    TimestampType.CREATE_TIME, null, ByteBuffer.wrap("\u0000garbage".getBytes(StandardCharsets.UTF_8)),
                    new RecordHeaders(), "Error deserializing VALUE", new RuntimeException("bad bytes"))));
            await().atMost(WAIT).until(() -> h.deadLetters.history().size() == 1);
            h.onLoop(() -> h.kafka.setPollException(new KafkaException("Received exception when fetching the next "
                    + "record from t-0. If needed, please seek past the record to continue consumption.",
                    new KafkaException("Record batch for partition t-0 at offset 6 is invalid, cause: Record is "
                            + "corrupt (stored crc = 1, computed crc = 2)"))));
            h.add(0, 7, 9);
            await().atMost(WAIT).until(() -> h.committed(0) == 10);
            List<ProducerRecord<byte[], byte[]>> dead = h.deadLetters.history();
            assertThat(dead).extracting(r -> header(r, DeadLetterPublisher.HEADER_OFFSET)).containsExactly("5", "6");
            assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("\u0000garbage");
            assertThat(dead.get(1).value()).as("a marker: the bytes were not readable").isNull();
            assertThat(header(dead.get(1), DeadLetterPublisher.HEADER_ERROR)).contains("unreadable record");
            assertThat(h.sink.offsets(0)).containsExactly(0L, 1L, 2L, 3L, 4L, 7L, 8L, 9L);
        }
    }

    @Test
    void pollErrorsBackOffAndAPersistentOneMakesThePodStalledAndNotReady() throws Exception {
        try (LoopHarness h = new LoopHarness(10, limits(Duration.ofSeconds(1)), Map.of())) {
            h.start(0);
            await().atMost(WAIT).until(h.consumer::isReady);
            int before = h.kafka.polls.get();
            h.kafka.failPolls = new DisconnectException("broker unreachable (simulated)");
            Thread.sleep(1600);
            int failedPolls = h.kafka.polls.get() - before;
            // 100, 200, 400, 800 ms: a handful of attempts, not a spin (which makes thousands).
            assertThat(failedPolls).isBetween(3, 8);
            assertThat(h.consumer.isStalled()).isTrue();
            assertThat(h.consumer.isReady()).isFalse();
            assertThat(h.registry.get("trade_tx.consumer.stalled").gauge().value()).isEqualTo(1.0);
            h.kafka.failPolls = null;
            await().atMost(WAIT).until(h.consumer::isReady);
            assertThat(h.registry.get("trade_tx.consumer.poll.errors").counter().count()).isEqualTo(failedPolls);
        }
    }

    @Test
    void aSinkOutageLongerThanTheStallLimitShowsAsStalledAndNotReadyThenRecovers() throws Exception {
        try (LoopHarness h = new LoopHarness(10, limits(Duration.ofSeconds(1)), Map.of())) {
            h.sink.down = true;
            h.start(0);
            h.add(0, 0, 9);
            await().atMost(WAIT).until(() -> h.sink.attempts.get() >= 1);
            await().atMost(WAIT).until(h.consumer::isStalled);
            assertThat(h.consumer.isReady()).isFalse();
            assertThat(h.registry.get("trade_tx.consumer.stalled.seconds").gauge().value()).isGreaterThanOrEqualTo(1.0);
            assertThat(h.committed(0)).isEqualTo(-1);
            h.sink.down = false;
            await().atMost(WAIT).until(() -> h.committed(0) == 10);
            await().atMost(WAIT).until(h.consumer::isReady);
            assertThat(h.registry.get("trade_tx.consumer.stalled").gauge().value()).isZero();
        }
    }

    @Test
    void aDeadLetterTopicThatCannotBeWrittenStopsTheConsumerWithoutCommittingTheBatch() throws Exception {
        MockProducer<byte[], byte[]> refusing = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        refusing.sendException = new TopicAuthorizationException("not allowed to write t.dlq");
        LoopHarness h = new LoopHarness(10, limits(Duration.ofSeconds(60)), Map.of(), refusing);
        h.start(0);
        h.add(0, 0, 4);
        await().atMost(WAIT).until(() -> h.committed(0) == 5);
        h.onLoop(() -> h.kafka.addRecord(LoopHarness.record(0, 5, "not json".getBytes(StandardCharsets.UTF_8))));
        await().atMost(WAIT).until(h.consumer::hasFailed);
        assertThat(h.consumer.awaitClosed(WAIT)).isTrue();
        assertThat(h.committed(0)).as("the batch with the undeliverable dead letter is not committed").isEqualTo(5);
        h.close();
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
