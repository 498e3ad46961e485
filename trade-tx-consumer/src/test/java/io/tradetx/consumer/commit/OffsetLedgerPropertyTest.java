package io.tradetx.consumer.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.tradetx.consumer.commit.OffsetLedger.Commit;
import io.tradetx.consumer.commit.OffsetLedger.Fetch;
import io.tradetx.consumer.commit.OffsetLedger.GiveUp;
import io.tradetx.consumer.commit.OffsetLedger.Range;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The commit core against a model of Kafka: random sequences of fetch, batch start, stored, failed,
 * abandoned (and the worker's late return), revoke (with its final commit), lost, assign, commit sent,
 * commit acknowledged or failed, an unreadable record, and a log that moves backwards. The model is
 * the shell: it keeps the buffer, the positions, the group's committed offsets, and checks after every
 * answer of the ledger that
 * <ul>
 *   <li>a committed offset never passes a record that was not stored or dead-lettered, and within an
 *       epoch only records stored by batches of that epoch count (nothing of a lost or revoked epoch);</li>
 *   <li>commits never decrease within an epoch, and only assigned partitions of the current epoch are
 *       ever offered;</li>
 *   <li>a given-up batch seeks exactly its still-assigned partitions back to its first offsets (and the
 *       model drops their buffered records; the ledger then accepts batches from there);</li>
 *   <li>a partition is never in two running batches;</li>
 *   <li>records stored beyond the acknowledged commits (what a crash re-delivers) stay below the hold
 *       threshold plus one batch, when batches start only while the ledger does not hold them.</li>
 * </ul>
 */
class OffsetLedgerPropertyTest {
    private static final int PARTITIONS = 3;

    enum Op {
        ASSIGN, FETCH, START, STORED, FAILED, ABANDON, WORKER_RETURNS, REVOKE, LOST, COMMIT_SEND, COMMIT_OK,
        COMMIT_FAIL, UNREADABLE, REWIND
    }

    record Step(Op op, int partition, int n, int pick) {
    }

    /** Random step sequences; operations weighted towards the common ones (fetch, start, store, commit). */
    static Gen<List<Step>> steps() {
        Gen<Op> ops = Generate.frequency(List.of(
                Pair.of(3, Generate.constant(Op.ASSIGN)), Pair.of(8, Generate.constant(Op.FETCH)),
                Pair.of(7, Generate.constant(Op.START)), Pair.of(6, Generate.constant(Op.STORED)),
                Pair.of(2, Generate.constant(Op.FAILED)), Pair.of(2, Generate.constant(Op.ABANDON)),
                Pair.of(2, Generate.constant(Op.WORKER_RETURNS)), Pair.of(2, Generate.constant(Op.REVOKE)),
                Pair.of(1, Generate.constant(Op.LOST)), Pair.of(6, Generate.constant(Op.COMMIT_SEND)),
                Pair.of(5, Generate.constant(Op.COMMIT_OK)), Pair.of(2, Generate.constant(Op.COMMIT_FAIL)),
                Pair.of(1, Generate.constant(Op.UNREADABLE)), Pair.of(1, Generate.constant(Op.REWIND))));
        Gen<Step> step = ops.zip(integers().between(0, PARTITIONS - 1), integers().between(1, 6),
                integers().between(0, 11), Step::new);
        return lists().of(step).ofSizeBetween(5, 150);
    }

    @Test
    void commitsNeverPassUnstoredRecordsNorGoBackNorLeakEndedEpochs() {
        qt().withExamples(5000).forAll(steps()).checkAssert(steps -> {
            Model m = new Model();
            for (Step s : steps) {
                m.apply(s);
                m.checkAlways();
            }
        });
    }

    /** Kafka, the group coordinator and the consumer shell, as the ledger sees them. */
    private static final class Model {
        /** Hold threshold; batches take at most 6 records, so stored-uncommitted stays below 12 + 6. */
        static final int HOLD_AT = 12;
        final OffsetLedger ledger = new OffsetLedger(HOLD_AT);
        final boolean[] owned = new boolean[PARTITIONS];
        final long[] position = new long[PARTITIONS];
        final boolean[] fetchedInEpoch = new boolean[PARTITIONS];
        final long[] epochStart = new long[PARTITIONS];
        final int[] epoch = new int[PARTITIONS];
        final long[] groupCommitted = new long[PARTITIONS];
        final long[] ackedInEpoch = new long[PARTITIONS];
        /** Offsets stored or dead-lettered by a batch of the partition's current epoch that was not given up. */
        final List<Set<Long>> storedThisEpoch = new ArrayList<>();
        /** Offsets ever stored or dead-lettered, in the current log of the partition. */
        final List<Set<Long>> storedEver = new ArrayList<>();
        final ArrayDeque<long[]> buffer = new ArrayDeque<>(); // {partition, offset}
        final List<Running> running = new ArrayList<>();
        final ArrayDeque<Pending> pending = new ArrayDeque<>();

        record Running(long id, Map<Integer, List<Long>> offsets, Map<Integer, Integer> epochs, boolean[] givenUp) {
        }

        record Pending(Commit commit, Map<Integer, Integer> epochs) {
        }

        Model() {
            for (int p = 0; p < PARTITIONS; p++) {
                storedThisEpoch.add(new HashSet<>());
                storedEver.add(new HashSet<>());
            }
        }

        static TopicPartition tp(int p) {
            return new TopicPartition("t", p);
        }

        /** Offsets that exist: every 7th is a gap (transaction marker, compacted away). */
        static boolean exists(long offset) {
            return offset % 7 != 3;
        }

        static long nextExisting(long from) {
            return exists(from) ? from : from + 1;
        }

        void apply(Step s) {
            int p = s.partition();
            switch (s.op()) {
                case ASSIGN -> {
                    if (!owned[p]) {
                        owned[p] = true;
                        ledger.assigned(List.of(tp(p)));
                        newEpoch(p, groupCommitted[p]);
                    }
                }
                case FETCH -> {
                    if (owned[p]) {
                        fetch(p, position[p], s.n());
                    }
                }
                case START -> start(s.n());
                case STORED -> pickRunning(s.pick(), false).ifPresent(this::stored);
                case FAILED -> pickRunning(s.pick(), false).ifPresent(this::failed);
                case ABANDON -> pickRunning(s.pick(), false).ifPresent(this::abandon);
                case WORKER_RETURNS -> pickRunning(s.pick(), true).ifPresent(r -> {
                    // A given-up batch's worker returns, stored or not: either way nothing of it counts.
                    if (s.pick() % 2 == 0) {
                        ledger.stored(r.id());
                    } else {
                        assertThat(ledger.failed(r.id()).seeks()).isEmpty();
                    }
                    running.remove(r);
                });
                case REVOKE -> {
                    if (owned[p]) {
                        Commit c = ledger.commit(List.of(tp(p)), true);
                        checkOffered(c);
                        if (s.pick() % 3 != 0) {
                            acknowledge(new Pending(c, epochsOf(c)));
                        } else {
                            ledger.commitFailed(c);
                        }
                        endEpoch(p);
                        ledger.revoked(List.of(tp(p)));
                    }
                }
                case LOST -> {
                    if (owned[p]) {
                        endEpoch(p);
                        ledger.lost(List.of(tp(p)));
                    }
                }
                case COMMIT_SEND -> {
                    Commit c = ledger.commit(null, false);
                    checkOffered(c);
                    if (!c.isEmpty()) {
                        pending.addLast(new Pending(c, epochsOf(c)));
                    }
                }
                case COMMIT_OK -> {
                    if (!pending.isEmpty()) {
                        acknowledge(pending.pollFirst());
                    }
                }
                case COMMIT_FAIL -> {
                    if (!pending.isEmpty()) {
                        ledger.commitFailed(pending.pollFirst().commit());
                    }
                }
                case UNREADABLE -> {
                    if (owned[p]) {
                        long offset = nextExisting(position[p]);
                        assertThat(ledger.unreadable(tp(p), offset)).isEqualTo(offset + 1);
                        fetchedInEpoch[p] = true;
                        buffer.addLast(new long[] {p, offset});
                        position[p] = offset + 1;
                    }
                }
                case REWIND -> {
                    if (owned[p] && fetchedInEpoch[p] && position[p] > 0) {
                        // The topic was re-created (or its log truncated): the reset policy moves the consumer
                        // to the new log's start, below the position the ledger knows.
                        storedEver.get(p).clear();
                        groupCommitted[p] = 0;
                        Fetch f = ledger.fetched(tp(p), 0, 0);
                        assertThat(f).isEqualTo(Fetch.REWOUND);
                        dropBuffered(p);
                        epoch[p]++;
                        epochStart[p] = 0;
                        ackedInEpoch[p] = -1;
                        storedThisEpoch.get(p).clear();
                        buffer.addLast(new long[] {p, 0});
                        position[p] = 1;
                    }
                }
            }
        }

        void newEpoch(int p, long start) {
            epoch[p]++;
            position[p] = start;
            epochStart[p] = start;
            fetchedInEpoch[p] = false;
            ackedInEpoch[p] = -1;
            storedThisEpoch.get(p).clear();
        }

        void endEpoch(int p) {
            owned[p] = false;
            epoch[p]++;
            dropBuffered(p);
        }

        void fetch(int p, long from, int n) {
            List<Long> offsets = new ArrayList<>();
            long o = from;
            while (offsets.size() < n) {
                if (exists(o)) {
                    offsets.add(o);
                }
                o++;
            }
            Fetch f = ledger.fetched(tp(p), offsets.get(0), offsets.get(offsets.size() - 1));
            assertThat(f).isEqualTo(Fetch.ACCEPTED);
            fetchedInEpoch[p] = true;
            for (long x : offsets) {
                buffer.addLast(new long[] {p, x});
            }
            position[p] = offsets.get(offsets.size() - 1) + 1;
        }

        void start(int n) {
            if (ledger.holdNewBatches()) {
                return; // the shell starts nothing while held
            }
            Map<Integer, List<Long>> take = new LinkedHashMap<>();
            int taken = 0;
            Set<Integer> blocked = new HashSet<>();
            for (Iterator<long[]> it = buffer.iterator(); it.hasNext() && taken < n; ) {
                long[] r = it.next();
                int p = (int) r[0];
                if (blocked.contains(p) || !ledger.canStart(tp(p))) {
                    blocked.add(p); // keep per-partition order: nothing after a record left behind
                    continue;
                }
                take.computeIfAbsent(p, k -> new ArrayList<>()).add(r[1]);
                it.remove();
                taken++;
            }
            if (take.isEmpty()) {
                return;
            }
            Map<TopicPartition, Range> ranges = new HashMap<>();
            Map<Integer, Integer> epochs = new HashMap<>();
            take.forEach((p, offs) -> {
                ranges.put(tp(p), new Range(offs.get(0), offs.get(offs.size() - 1), offs.size()));
                epochs.put(p, epoch[p]);
            });
            long id = ledger.startBatch(ranges);
            running.add(new Running(id, take, epochs, new boolean[1]));
        }

        java.util.Optional<Running> pickRunning(int pick, boolean givenUp) {
            List<Running> candidates = running.stream().filter(r -> r.givenUp()[0] == givenUp).toList();
            return candidates.isEmpty() ? java.util.Optional.empty()
                    : java.util.Optional.of(candidates.get(pick % candidates.size()));
        }

        void stored(Running r) {
            r.offsets().forEach((p, offs) -> {
                if (owned[p] && r.epochs().get(p) == epoch[p]) {
                    storedThisEpoch.get(p).addAll(offs);
                    storedEver.get(p).addAll(offs);
                }
            });
            ledger.stored(r.id());
            running.remove(r);
        }

        void failed(Running r) {
            checkGiveUp(r, ledger.failed(r.id()));
            running.remove(r);
        }

        void abandon(Running r) {
            checkGiveUp(r, ledger.abandoned(r.id()));
            r.givenUp()[0] = true;
        }

        /** Exactly the batch's still-assigned partitions of the same epoch, each to the batch's first offset. */
        void checkGiveUp(Running r, GiveUp g) {
            Map<TopicPartition, Long> expected = new HashMap<>();
            r.offsets().forEach((p, offs) -> {
                if (owned[p] && r.epochs().get(p) == epoch[p]) {
                    expected.put(tp(p), offs.get(0));
                }
            });
            assertThat(g.seeks()).isEqualTo(expected);
            g.seeks().forEach((tp, offset) -> {
                position[tp.partition()] = offset;
                dropBuffered(tp.partition());
            });
        }

        void dropBuffered(int p) {
            buffer.removeIf(r -> r[0] == p);
        }

        Map<Integer, Integer> epochsOf(Commit c) {
            Map<Integer, Integer> e = new HashMap<>();
            c.offsets().keySet().forEach(tp -> e.put(tp.partition(), epoch[tp.partition()]));
            return e;
        }

        /** Only assigned partitions, in their current epoch, strictly above what the epoch has acknowledged. */
        void checkOffered(Commit c) {
            c.offsets().forEach((tp, offset) -> {
                int p = tp.partition();
                assertThat(owned[p]).as("offered a commit for unassigned %s", tp).isTrue();
                assertThat(c.epochs().get(tp)).isEqualTo(ledger.epoch(tp));
                assertThat(offset).as("commit for %s", tp).isGreaterThan(ackedInEpoch[p]);
            });
        }

        void acknowledge(Pending pc) {
            Commit c = pc.commit();
            boolean stale = c.offsets().keySet().stream()
                    .anyMatch(tp -> !owned[tp.partition()] || pc.epochs().get(tp.partition()) != epoch[tp.partition()]);
            if (stale) {
                // The coordinator refuses commits of an old generation.
                ledger.commitFailed(c);
                return;
            }
            c.offsets().forEach((tp, offset) -> {
                int p = tp.partition();
                for (long o = epochStart[p]; o < offset; o++) {
                    if (exists(o)) {
                        assertThat(storedThisEpoch.get(p)).as("commit %d of %s passes %d, not stored in this epoch",
                                offset, tp, o).contains(o);
                    }
                }
                for (long o = 0; o < offset; o++) {
                    if (exists(o)) {
                        assertThat(storedEver.get(p)).as("commit %d of %s passes %d, never stored", offset, tp, o)
                                .contains(o);
                    }
                }
                assertThat(offset).as("commits never decrease within an epoch").isGreaterThanOrEqualTo(ackedInEpoch[p]);
                ackedInEpoch[p] = offset;
                groupCommitted[p] = offset;
            });
            ledger.commitSucceeded(c);
        }

        void checkAlways() {
            Set<Integer> busy = new TreeSet<>();
            for (Running r : running) {
                for (int p : r.offsets().keySet()) {
                    assertThat(busy.add(p)).as("partition %d in two running batches", p).isTrue();
                }
            }
            long storedUncommitted = 0;
            for (int p = 0; p < PARTITIONS; p++) {
                assertThat(ledger.isAssigned(tp(p))).isEqualTo(owned[p]);
                assertThat(ledger.canStart(tp(p))).isEqualTo(owned[p] && !busy.contains(p));
                if (owned[p]) {
                    long acked = ackedInEpoch[p];
                    storedUncommitted += storedThisEpoch.get(p).stream().filter(o -> o >= acked).count();
                }
            }
            assertThat(ledger.storedUncommitted()).as("stored beyond the acknowledged commits")
                    .isEqualTo(storedUncommitted).isLessThan(HOLD_AT + 6);
        }
    }
}
