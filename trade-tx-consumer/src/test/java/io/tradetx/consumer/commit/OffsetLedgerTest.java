package io.tradetx.consumer.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradetx.consumer.commit.OffsetLedger.Commit;
import io.tradetx.consumer.commit.OffsetLedger.Fetch;
import io.tradetx.consumer.commit.OffsetLedger.GiveUp;
import io.tradetx.consumer.commit.OffsetLedger.Range;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** One test per rule of the commit core. */
class OffsetLedgerTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private final OffsetLedger ledger = new OffsetLedger(1000);

    private long batch(TopicPartition tp, long first, long last) {
        return ledger.startBatch(Map.of(tp, new Range(first, last, (int) (last - first + 1))));
    }

    private Map<TopicPartition, Long> commitAndAck() {
        Commit c = ledger.commit(null, false);
        ledger.commitSucceeded(c);
        return c.offsets();
    }

    @Test
    void aStoredBatchMovesTheCommitToItsEndAndNothingElseDoes() {
        ledger.assigned(List.of(P0));
        assertThat(ledger.fetched(P0, 10, 29)).isEqualTo(Fetch.ACCEPTED);
        long first = batch(P0, 10, 19);
        assertThat(ledger.commit(null, false).isEmpty()).as("nothing stored yet").isTrue();
        ledger.stored(first);
        long second = batch(P0, 20, 29);
        assertThat(commitAndAck()).isEqualTo(Map.of(P0, 20L));
        assertThat(ledger.commit(null, false).isEmpty()).as("the running batch is not committed").isTrue();
        ledger.stored(second);
        assertThat(commitAndAck()).isEqualTo(Map.of(P0, 30L));
    }

    @Test
    void aFailedBatchSeeksItsStillAssignedPartitionsBackToItsFirstOffsets() {
        ledger.assigned(List.of(P0, P1));
        ledger.fetched(P0, 0, 9);
        ledger.fetched(P1, 100, 109);
        long id = ledger.startBatch(Map.of(P0, new Range(0, 4, 5), P1, new Range(100, 104, 5)));
        ledger.revoked(List.of(P1));
        OffsetLedger.GiveUp g = ledger.failed(id);
        assertThat(g.seeks()).isEqualTo(Map.of(P0, 0L));
        // The buffered records 5..9 are dropped by the shell; the next batch starts at the seek target again.
        ledger.fetched(P0, 0, 9);
        long again = batch(P0, 0, 9);
        ledger.stored(again);
        assertThat(commitAndAck()).isEqualTo(Map.of(P0, 10L));
    }

    @Test
    void anAbandonedBatchKeepsItsPartitionsBusyUntilItsWorkerReturnsAndItsResultIsIgnored() {
        ledger.assigned(List.of(P0, P1));
        ledger.fetched(P0, 0, 9);
        long id = batch(P0, 0, 9);
        assertThat(ledger.abandoned(id).seeks()).isEqualTo(Map.of(P0, 0L));
        assertThat(ledger.canStart(P0)).as("the stale write must end before a new one starts").isFalse();
        assertThat(ledger.canStart(P1)).as("other partitions may run at the same time").isTrue();
        ledger.stored(id); // the worker finished after all
        assertThat(ledger.commit(null, false).isEmpty()).as("a given-up batch commits nothing").isTrue();
        assertThat(ledger.canStart(P0)).isTrue();
    }

    @Test
    void nothingOfALostEpochIsCommittedEvenIfThePartitionComesBack() {
        ledger.assigned(List.of(P0));
        ledger.fetched(P0, 50, 59);
        long stale = batch(P0, 50, 59);
        Commit before = ledger.commit(null, false);
        ledger.lost(List.of(P0));
        ledger.assigned(List.of(P0)); // back, in a new epoch
        ledger.fetched(P0, 50, 59);
        assertThat(ledger.canStart(P0)).as("the stale batch still runs").isFalse();
        ledger.stored(stale);
        ledger.commitSucceeded(before);
        assertThat(ledger.commit(null, false).isEmpty()).isTrue();
        assertThat(ledger.committed(P0)).isEqualTo(-1);
        long fresh = batch(P0, 50, 54);
        ledger.stored(fresh);
        assertThat(commitAndAck()).isEqualTo(Map.of(P0, 55L));
    }

    @Test
    void aCommitAnswerOfAnEndedEpochChangesNothing() {
        ledger.assigned(List.of(P0));
        ledger.fetched(P0, 0, 9);
        ledger.stored(batch(P0, 0, 9));
        Commit c = ledger.commit(null, false);
        ledger.revoked(List.of(P0));
        ledger.assigned(List.of(P0));
        ledger.commitSucceeded(c);
        assertThat(ledger.committed(P0)).isEqualTo(-1);
        ledger.commitFailed(c);
        assertThat(ledger.commit(null, false).isEmpty()).isTrue();
    }

    @Test
    void commitsNeverGoBackwardsAndAFailedOneIsOfferedAgain() {
        ledger.assigned(List.of(P0));
        ledger.fetched(P0, 0, 19);
        ledger.stored(batch(P0, 0, 9));
        Commit first = ledger.commit(null, false);
        assertThat(first.offsets()).isEqualTo(Map.of(P0, 10L));
        assertThat(ledger.commit(null, false).isEmpty()).as("sent and unanswered: not sent twice").isTrue();
        assertThat(ledger.commit(List.of(P0), true).offsets()).as("unless resent on purpose").isEqualTo(Map.of(P0, 10L));
        ledger.commitFailed(first);
        assertThat(ledger.failedCommitsInARow()).isEqualTo(1);
        Commit retry = ledger.commit(null, false);
        assertThat(retry.offsets()).isEqualTo(Map.of(P0, 10L));
        ledger.commitSucceeded(retry);
        assertThat(ledger.failedCommitsInARow()).isZero();
        assertThat(ledger.commit(null, true).isEmpty()).as("never the acknowledged offset again").isTrue();
    }

    @Test
    void aFetchThatGoesBackwardsWithoutOurSeekStartsANewEpoch() {
        ledger.assigned(List.of(P0));
        ledger.fetched(P0, 500, 509);
        ledger.stored(batch(P0, 500, 504));
        commitAndAck();
        long epoch = ledger.epoch(P0);
        long running = batch(P0, 505, 509);
        // The topic was re-created: the consumer's reset policy moved it to offset 0.
        assertThat(ledger.fetched(P0, 0, 9)).isEqualTo(Fetch.REWOUND);
        assertThat(ledger.epoch(P0)).isGreaterThan(epoch);
        ledger.stored(running);
        assertThat(ledger.commit(null, false).isEmpty()).as("the old log's batch commits nothing").isTrue();
        ledger.ended(running);
        ledger.stored(batch(P0, 0, 9));
        assertThat(commitAndAck()).as("commits start over in the new epoch").isEqualTo(Map.of(P0, 10L));
    }

    @Test
    void anUnreadableRecordIsFetchedAtItsOffsetAndSkipped() {
        ledger.assigned(List.of(P0));
        ledger.fetched(P0, 0, 4);
        assertThat(ledger.unreadable(P0, 5)).isEqualTo(6);
        assertThat(ledger.unreadable(P1, 5)).as("not ours").isEqualTo(-1);
        ledger.fetched(P0, 6, 9);
        ledger.stored(batch(P0, 0, 9));
        assertThat(commitAndAck()).isEqualTo(Map.of(P0, 10L));
    }

    @Test
    void batchesOfDifferentPartitionsRunTogetherButAPartitionIsInOneAtATime() {
        ledger.assigned(List.of(P0, P1));
        ledger.fetched(P0, 0, 9);
        ledger.fetched(P1, 0, 9);
        long a = batch(P0, 0, 4);
        long b = batch(P1, 0, 4);
        assertThat(ledger.runningBatches()).isEqualTo(2);
        assertThatThrownBy(() -> batch(P0, 5, 9)).isInstanceOf(IllegalStateException.class);
        ledger.stored(b);
        ledger.stored(a);
        assertThat(commitAndAck()).isEqualTo(Map.of(P0, 5L, P1, 5L));
    }

    @Test
    void aBatchMustTakeTheNextUnbatchedFetchedRecords() {
        ledger.assigned(List.of(P0));
        ledger.fetched(P0, 0, 9);
        assertThatThrownBy(() -> batch(P0, 5, 12)).as("not fetched yet").isInstanceOf(IllegalStateException.class);
        ledger.stored(batch(P0, 0, 4));
        assertThatThrownBy(() -> batch(P0, 3, 6)).as("already batched").isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> batch(P1, 0, 1)).as("not assigned").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void newBatchesAreHeldWhileEnoughIsStoredBeyondTheAcknowledgedCommits() {
        OffsetLedger small = new OffsetLedger(10);
        small.assigned(List.of(P0));
        small.fetched(P0, 0, 29);
        small.stored(small.startBatch(Map.of(P0, new Range(0, 4, 5))));
        assertThat(small.holdNewBatches()).as("5 stored uncommitted, below 10").isFalse();
        small.stored(small.startBatch(Map.of(P0, new Range(5, 9, 5))));
        assertThat(small.storedUncommitted()).isEqualTo(10);
        assertThat(small.holdNewBatches()).isTrue();
        Commit c = small.commit(null, false);
        small.commitFailed(c);
        assertThat(small.holdNewBatches()).as("still held while the commit fails").isTrue();
        small.commitSucceeded(small.commit(null, false));
        assertThat(small.storedUncommitted()).isZero();
        assertThat(small.holdNewBatches()).isFalse();
    }

    @Test
    void recordsInRunningBatchesCountTowardsTheHoldSoConcurrentBatchesCannotOvershootIt() {
        OffsetLedger small = new OffsetLedger(10);
        small.assigned(List.of(P0, P1));
        small.fetched(P0, 0, 29);
        small.fetched(P1, 0, 29);
        small.stored(small.startBatch(Map.of(P0, new Range(0, 4, 5))));
        long running = small.startBatch(Map.of(P1, new Range(0, 5, 6)));
        assertThat(small.storedUncommitted()).isEqualTo(5);
        assertThat(small.holdNewBatches()).as("5 stored + 6 that may be stored reach 10").isTrue();
        GiveUp g = small.abandoned(running);
        assertThat(g.seeks()).containsEntry(P1, 0L);
        assertThat(small.holdNewBatches()).as("a given-up batch will not be stored: it does not count").isFalse();
        small.ended(running);
        long second = small.startBatch(Map.of(P0, new Range(5, 8, 4)));
        small.lost(List.of(P0));
        assertThat(small.isRunning(second)).isTrue();
        assertThat(small.holdNewBatches()).as("a batch of a lost partition will not count when stored").isFalse();
    }

    @Test
    void revokingThePartitionsThatWaitForACommitReleasesTheHold() {
        OffsetLedger small = new OffsetLedger(10);
        small.assigned(List.of(P0));
        small.fetched(P0, 0, 9);
        small.stored(small.startBatch(Map.of(P0, new Range(0, 9, 10))));
        small.commitFailed(small.commit(null, false));
        assertThat(small.holdNewBatches()).isTrue();
        small.revoked(List.of(P0));
        assertThat(small.holdNewBatches()).isFalse();
        assertThat(small.failedCommitsInARow()).as("nothing of ours is left to commit").isZero();
    }
}
