package io.tradetx.consumer.commit;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer's commit core: per partition it tracks the fetch position, the batch in flight, what
 * is stored and what is committed, under an assignment epoch, and it alone decides which offsets
 * may be committed and where a partition must seek. No Kafka client, no threads, no clock: the
 * consumer loop reports events and carries out the decisions.
 *
 * <p>Rules:
 * <ol>
 *   <li>Every assignment of a partition, and every fetch that goes backwards without our seek (log
 *       truncated, topic re-created), starts a new epoch; revoking or losing it ends the epoch.
 *       Results and commit answers of an ended epoch change nothing.</li>
 *   <li>A partition is in at most one running batch at a time, counting batches that were given up
 *       but whose worker has not returned: per-partition order holds, and a stale write cannot land
 *       after a newer one. Batches of different partitions may run at the same time.</li>
 *   <li>A batch is stored only when every record in it is stored or dead-lettered. Only then does
 *       the commit frontier of its partitions move to the batch's end: a commit never passes a
 *       record that is not stored or dead-lettered in the same epoch.</li>
 *   <li>A batch that is not stored (failed, abandoned) seeks every partition it holds that is still
 *       assigned in the same epoch back to the batch's first offset, and that partition's buffered
 *       records are dropped: the fetch position never stays past unstored records.</li>
 *   <li>Commits offered are strictly above the last acknowledged commit of the epoch, so commits
 *       never go backwards within an epoch; a failed commit is offered again.</li>
 *   <li>An unreadable record counts as fetched at its offset; the partition seeks past it, and the
 *       record then travels in a batch (to the dead-letter topic) like any other.</li>
 *   <li>No new batch starts while {@code maxStoredUncommitted} records are stored beyond the
 *       acknowledged commits (commits failing during a rebalance, or not answered yet) or are in
 *       running batches that may still be stored: stored but uncommitted records, what a crash
 *       re-delivers, stay below that plus one batch, however many batches run at once.</li>
 * </ol>
 */
public final class OffsetLedger {
    private static final long UNKNOWN = -1;

    /** The records of one partition in one batch: offsets {@code first..last}, {@code count} records. */
    public record Range(long first, long last, int count) {
        public Range {
            if (first < 0 || last < first || count < 1 || count > last - first + 1) {
                throw new IllegalArgumentException("bad range " + first + ".." + last + " x" + count);
            }
        }
    }

    /** What a fetch of records means for the partition. */
    public enum Fetch {
        /** Buffer the records. */
        ACCEPTED,
        /** The partition is not assigned: drop the records. */
        NOT_ASSIGNED,
        /** The fetch went backwards without our seek: drop the partition's buffered records first. */
        REWOUND
    }

    /** A batch that will not be stored: seek these partitions to these offsets and drop their buffered records. */
    public record GiveUp(Map<TopicPartition, Long> seeks) {
        public GiveUp {
            seeks = Collections.unmodifiableMap(seeks);
        }
    }

    /** Offsets sent in one commit request, with the epochs they belong to. */
    public record Commit(Map<TopicPartition, Long> offsets, Map<TopicPartition, Long> epochs) {
        public boolean isEmpty() {
            return offsets.isEmpty();
        }
    }

    private record Part(TopicPartition tp, long epoch, Range range) {
    }

    private static final class Batch {
        final long id;
        final Part[] parts;
        boolean givenUp;

        Batch(long id, Part[] parts) {
            this.id = id;
            this.parts = parts;
        }
    }

    private static final class PartitionState {
        final long epoch;
        /** Next offset the consumer will return (one past the last fetched record); UNKNOWN at first. */
        long position = UNKNOWN;
        /** Offsets below this are in a batch (or before this epoch's first fetch). */
        long batchedUpTo = UNKNOWN;
        /** Everything below this is stored or dead-lettered; UNKNOWN until the first batch is stored. */
        long frontier = UNKNOWN;
        long committed = UNKNOWN;
        long sent = UNKNOWN;
        /** {end, count} of stored batches above the acknowledged commit, in order. */
        final ArrayDeque<long[]> storedAboveCommit = new ArrayDeque<>();
        long storedUncommitted;

        PartitionState(long epoch) {
            this.epoch = epoch;
        }
    }

    private final long maxStoredUncommitted;
    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
    private final Map<Long, Batch> running = new LinkedHashMap<>();
    private long nextEpoch = 1;
    private long nextBatchId = 1;
    private int failedCommitsInARow;

    public OffsetLedger(long maxStoredUncommitted) {
        this.maxStoredUncommitted = maxStoredUncommitted;
    }

    // --- assignment ------------------------------------------------------------------------------

    /** Partitions now ours: each starts a new epoch with nothing known about it. */
    public void assigned(Collection<TopicPartition> tps) {
        for (TopicPartition tp : tps) {
            partitions.put(tp, new PartitionState(nextEpoch++));
        }
    }

    /** Partitions handed over cleanly: call after their final commit. Their epoch ends. */
    public void revoked(Collection<TopicPartition> tps) {
        end(tps);
    }

    /** Partitions taken away (session expired, fenced): their epoch ends, nothing of it is committed. */
    public void lost(Collection<TopicPartition> tps) {
        end(tps);
    }

    private void end(Collection<TopicPartition> tps) {
        tps.forEach(partitions::remove);
        if (storedUncommitted() == 0) {
            failedCommitsInARow = 0; // nothing of ours waits for a commit any more
        }
    }

    public boolean isAssigned(TopicPartition tp) {
        return partitions.containsKey(tp);
    }

    /** The current epoch of an assigned partition, or -1. */
    public long epoch(TopicPartition tp) {
        PartitionState s = partitions.get(tp);
        return s == null ? UNKNOWN : s.epoch;
    }

    // --- fetching --------------------------------------------------------------------------------

    /** Records {@code first..last} of a partition came back from poll, in offset order. */
    public Fetch fetched(TopicPartition tp, long first, long last) {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("bad fetch " + first + ".." + last);
        }
        PartitionState s = partitions.get(tp);
        if (s == null) {
            return Fetch.NOT_ASSIGNED;
        }
        Fetch result = Fetch.ACCEPTED;
        if (s.position != UNKNOWN && first < s.position) {
            // Not our seek (ours set the position first): the log moved under us. Start the partition
            // over in a new epoch; what was buffered or is running for it can no longer be committed.
            s = new PartitionState(nextEpoch++);
            partitions.put(tp, s);
            result = Fetch.REWOUND;
        }
        if (s.batchedUpTo == UNKNOWN) {
            s.batchedUpTo = first;
        }
        s.position = last + 1;
        return result;
    }

    /**
     * Poll could not return the record at {@code offset} (corrupt bytes, undeserializable). It is
     * counted as fetched, so the shell queues a dead-letter entry for it; the answer is where to
     * seek to move on, or -1 if the partition is not ours (then do nothing).
     */
    public long unreadable(TopicPartition tp, long offset) {
        Fetch f = fetched(tp, offset, offset);
        return f == Fetch.NOT_ASSIGNED ? UNKNOWN : offset + 1;
    }

    // --- batches ---------------------------------------------------------------------------------

    /** True if a new batch may take records of this partition now. */
    public boolean canStart(TopicPartition tp) {
        if (!partitions.containsKey(tp)) {
            return false;
        }
        for (Batch b : running.values()) {
            for (Part p : b.parts) {
                if (p.tp().equals(tp)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * No new batch while {@code maxStoredUncommitted} records are stored beyond the acknowledged commits
     * (commits failing, as during a rebalance, or not yet answered) or are in running batches: what a
     * crash can re-deliver stays below that plus one batch, however many batches run at once.
     */
    public boolean holdNewBatches() {
        return storedUncommitted() + recordsThatMayStillBeStored() >= maxStoredUncommitted;
    }

    /** Records in running batches that were not given up, of partitions still in the batch's epoch. */
    private long recordsThatMayStillBeStored() {
        long n = 0;
        for (Batch b : running.values()) {
            if (!b.givenUp) {
                for (Part p : b.parts) {
                    if (current(p) != null) {
                        n += p.range().count();
                    }
                }
            }
        }
        return n;
    }

    /** Records stored (or dead-lettered) in assigned partitions and not yet covered by an acknowledged commit. */
    public long storedUncommitted() {
        long n = 0;
        for (PartitionState s : partitions.values()) {
            n += s.storedUncommitted;
        }
        return n;
    }

    /**
     * A batch starts with the next unbatched records of each partition in {@code ranges}.
     * Returns its id.
     */
    public long startBatch(Map<TopicPartition, Range> ranges) {
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        Part[] parts = new Part[ranges.size()];
        int i = 0;
        for (Map.Entry<TopicPartition, Range> e : ranges.entrySet()) {
            TopicPartition tp = e.getKey();
            Range r = e.getValue();
            if (!canStart(tp)) {
                throw new IllegalStateException(tp + " is not assigned or is in a running batch");
            }
            PartitionState s = partitions.get(tp);
            if (s.position == UNKNOWN || r.first() < s.batchedUpTo || r.last() >= s.position) {
                throw new IllegalStateException(tp + ": " + r + " is not the next unbatched fetched records (from "
                        + s.batchedUpTo + ", fetched up to " + s.position + ")");
            }
            parts[i++] = new Part(tp, s.epoch, r);
        }
        for (Part p : parts) {
            partitions.get(p.tp()).batchedUpTo = p.range().last() + 1;
        }
        long id = nextBatchId++;
        running.put(id, new Batch(id, parts));
        return id;
    }

    /** Every record of the batch is stored or dead-lettered; its partitions' frontiers move on. */
    public void stored(long batchId) {
        Batch b = running.remove(batchId);
        if (b == null || b.givenUp) {
            return; // given up already: its partitions were sought back and will be read again
        }
        for (Part p : b.parts) {
            PartitionState s = current(p);
            if (s != null) {
                long end = p.range().last() + 1;
                s.frontier = Math.max(s.frontier, end);
                s.storedAboveCommit.addLast(new long[] {end, p.range().count()});
                s.storedUncommitted += p.range().count();
            }
        }
    }

    /** The worker returned without storing the batch. */
    public GiveUp failed(long batchId) {
        Batch b = running.remove(batchId);
        return b == null || b.givenUp ? new GiveUp(Map.of()) : giveUp(b);
    }

    /**
     * The shell stops waiting for a batch whose worker may still be running (revoke wait or shutdown
     * deadline passed). Its partitions stay busy until {@link #ended}.
     */
    public GiveUp abandoned(long batchId) {
        Batch b = running.get(batchId);
        return b == null || b.givenUp ? new GiveUp(Map.of()) : giveUp(b);
    }

    /** The worker of a batch has returned; its result is then ignored if the batch was given up. */
    public void ended(long batchId) {
        running.remove(batchId);
    }

    public boolean isRunning(long batchId) {
        return running.containsKey(batchId);
    }

    public int runningBatches() {
        return running.size();
    }

    private GiveUp giveUp(Batch b) {
        b.givenUp = true;
        Map<TopicPartition, Long> seeks = new HashMap<>();
        for (Part p : b.parts) {
            PartitionState s = current(p);
            if (s != null) {
                s.position = p.range().first();
                s.batchedUpTo = p.range().first();
                seeks.put(p.tp(), p.range().first());
            }
        }
        return new GiveUp(seeks);
    }

    private PartitionState current(Part p) {
        PartitionState s = partitions.get(p.tp());
        return s != null && s.epoch == p.epoch() ? s : null;
    }

    // --- commits ---------------------------------------------------------------------------------

    /**
     * The offsets to commit now for the given partitions ({@code null}: all assigned), marked as sent.
     * With {@code resend}, offsets already sent and not yet answered are offered again (a sync commit
     * on revoke or shutdown must not rely on an async one still in flight).
     */
    public Commit commit(Collection<TopicPartition> scope, boolean resend) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        Map<TopicPartition, Long> epochs = new HashMap<>();
        Collection<TopicPartition> tps = scope == null ? partitions.keySet() : scope;
        for (TopicPartition tp : tps) {
            PartitionState s = partitions.get(tp);
            if (s == null || s.frontier == UNKNOWN || s.frontier <= s.committed) {
                continue;
            }
            if (!resend && s.frontier <= s.sent) {
                continue;
            }
            s.sent = s.frontier;
            offsets.put(tp, s.frontier);
            epochs.put(tp, s.epoch);
        }
        return new Commit(offsets, epochs);
    }

    /** The broker acknowledged a commit. */
    public void commitSucceeded(Commit c) {
        failedCommitsInARow = 0;
        c.offsets().forEach((tp, offset) -> {
            PartitionState s = partitions.get(tp);
            if (s == null || s.epoch != c.epochs().get(tp)) {
                return;
            }
            s.committed = Math.max(s.committed, offset);
            if (s.sent <= s.committed) {
                s.sent = UNKNOWN;
            }
            while (!s.storedAboveCommit.isEmpty() && s.storedAboveCommit.peekFirst()[0] <= s.committed) {
                s.storedUncommitted -= s.storedAboveCommit.pollFirst()[1];
            }
        });
    }

    /** A commit failed: its offsets are offered again next time. */
    public void commitFailed(Commit c) {
        if (c.isEmpty()) {
            return;
        }
        failedCommitsInARow++;
        c.offsets().forEach((tp, offset) -> {
            PartitionState s = partitions.get(tp);
            if (s != null && s.epoch == c.epochs().get(tp) && s.sent == offset) {
                s.sent = UNKNOWN;
            }
        });
    }

    public int failedCommitsInARow() {
        return failedCommitsInARow;
    }

    /** The last acknowledged commit of an assigned partition in its epoch, or -1. */
    public long committed(TopicPartition tp) {
        PartitionState s = partitions.get(tp);
        return s == null ? UNKNOWN : s.committed;
    }

    public Set<TopicPartition> assigned() {
        return Collections.unmodifiableSet(partitions.keySet());
    }
}
