package io.tradetx.consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.consumer.commit.OffsetLedger;
import io.tradetx.consumer.sink.TradeSink;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The microbatch consumer loop, a thin shell around {@link OffsetLedger}. The poll thread owns the
 * KafkaConsumer: it fetches into a buffer bounded in records and bytes, closes a batch at BATCH_SIZE
 * records (or half the byte bound) or BATCH_TIMEOUT after its first record, hands it to one worker
 * thread, and commits and seeks exactly as the ledger decides. Polling goes on while the worker runs,
 * so a slow or failing sink never breaks group membership. Every wait has a deadline: the revoke wait
 * (half of max.poll.interval.ms) and the shutdown steps of {@link ShutdownBudget}.
 */
public final class MicrobatchConsumer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(MicrobatchConsumer.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    /** Poll timeout while new batches wait for a commit acknowledgement (callbacks run inside poll). */
    private static final Duration ACK_POLL = Duration.ofMillis(5);
    /** Budget of a synchronous commit on revocation (all attempts together). */
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    private static final long COMMIT_DEFER_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final Duration FIRST_POLL_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_POLL_BACKOFF = Duration.ofSeconds(5);
    private static final long WAIT_STEP_MS = 100;

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final int batchSize;
    private final long batchTimeoutNanos;
    private final int maxBufferedRecords;
    private final long maxBufferBytes;
    private final long maxBatchBytes;
    private final int maxRecordBytes;
    private final ShutdownBudget budget;
    private final long revokeWaitNanos;
    private final BatchProcessor processor;
    private final ConsumerMetrics metrics;
    private final KafkaClientMetrics clientMetrics;
    private final TradeSink sink;
    private final DeadLetterPublisher deadLetters;
    private final ExecutorService worker;
    private final OffsetLedger ledger;
    private final StallWatch stall;
    private final ArrayDeque<Inbound> buffer = new ArrayDeque<>();
    private long bufferedBytes;
    private final CountDownLatch finished = new CountDownLatch(1);
    /** The batch whose result the loop waits for. */
    private InFlight inFlight;
    /** Batches given up whose worker has not returned yet; no new batch starts until they have. */
    private final List<InFlight> givenUp = new ArrayList<>();
    private long commitsDeferredUntil;
    private final Backoff pollBackoff = new Backoff(FIRST_POLL_BACKOFF, MAX_POLL_BACKOFF);
    private long pollRetryAt;
    private int pollFailures;
    private long pollFailingSince;
    private RuntimeException fatal;
    private volatile boolean closed;
    private volatile boolean inPoll;
    private volatile boolean joined;
    private volatile boolean failed;
    private volatile long drainEndNanos = Long.MAX_VALUE;
    private volatile ShutdownBudget.Deadlines deadlines;
    private volatile int assignedPartitions;
    private volatile int bufferedRecords;
    private volatile boolean fetchPaused;

    /** {@code done} is set by the worker just before it wakes the poll thread (see pollTimeout). */
    private record InFlight(long id, Future<BatchProcessor.Outcome> result, Set<TopicPartition> partitions,
                            AtomicBoolean abandon, AtomicBoolean done, int size, long bytes) {
    }

    /** Builds the consumer, its dead-letter producer and worker from settings; call {@link #run()} on a thread. */
    public static MicrobatchConsumer create(ConsumerSettings settings, String clientId, TradeSink sink,
                                            MeterRegistry registry, Tags tags) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaClientProperties.consumer(
                settings.kafka(), clientId, settings.consumerGroup(), settings.groupProtocol(), settings.batchSize()));
        DeadLetterPublisher dlq = new DeadLetterPublisher(
                new KafkaProducer<>(KafkaClientProperties.deadLetterProducer(settings.kafka(), clientId + "-dlq")),
                settings.deadLetterTopic());
        return new MicrobatchConsumer(consumer, settings, sink, dlq, registry, tags);
    }

    MicrobatchConsumer(Consumer<String, byte[]> consumer, ConsumerSettings settings, TradeSink sink,
                       DeadLetterPublisher dlq, MeterRegistry registry, Tags tags) {
        this.consumer = consumer;
        this.topic = settings.kafka().topic();
        this.batchSize = settings.batchSize();
        this.batchTimeoutNanos = settings.batchTimeout().toNanos();
        // One batch in flight plus one waiting keeps the worker busy without hoarding records.
        this.maxBufferedRecords = 2 * settings.batchSize();
        this.maxBufferBytes = settings.limits().maxBufferBytes();
        this.maxBatchBytes = maxBufferBytes / 2;
        this.maxRecordBytes = settings.limits().maxRecordBytes();
        this.budget = settings.shutdownBudget();
        this.revokeWaitNanos = ShutdownBudget.revokeWait(settings.maxPollInterval()).toNanos();
        // Two batches: covers a join's rebalance at the seed's one batch per second, bounds redelivery.
        this.ledger = new OffsetLedger(2L * settings.batchSize());
        this.stall = new StallWatch(settings.limits().sinkStall());
        this.metrics = new ConsumerMetrics(registry, tags);
        this.metrics.bindStall(registry, tags, stall);
        this.sink = sink;
        this.deadLetters = dlq;
        this.processor = new BatchProcessor(sink, dlq, metrics, () -> stall.progressed(System.nanoTime()));
        this.clientMetrics = new KafkaClientMetrics(consumer);
        this.clientMetrics.bindTo(registry);
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, Thread.currentThread().getName() + "-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * True once the consumer has joined the group (it may own no partitions if the group is larger),
     * while it is not stopping and not stalled (no progress for SINK_STALL_SECONDS with work waiting).
     */
    public boolean isReady() {
        return joined && !closed && !stall.isStalled(System.nanoTime());
    }

    /** True while no progress has been made for SINK_STALL_SECONDS with work waiting. */
    public boolean isStalled() {
        return stall.isStalled(System.nanoTime());
    }

    /** True if the loop stopped on a fatal error rather than a shutdown request. */
    public boolean hasFailed() {
        return failed;
    }

    /** Partitions owned at the last loop iteration. */
    public int assignedPartitions() {
        return assignedPartitions;
    }

    /** Records fetched and waiting for a batch, at the last loop iteration (bounded by backpressure). */
    public int bufferedRecords() {
        return bufferedRecords;
    }

    /** True while fetching is paused because the buffer is full (e.g. the sink is down). */
    public boolean isFetchPaused() {
        return fetchPaused;
    }

    public ConsumerMetrics metrics() {
        return metrics;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalancing());
            while (!closed) {
                ConsumerRecords<String, byte[]> records = pollOnce();
                long now = System.nanoTime();
                accept(records, now);
                if (!joined && consumer.groupMetadata().generationId() > 0) {
                    joined = true;
                }
                assignedPartitions = consumer.assignment().size();
                collectFinishedBatch();
                reapGivenUp();
                throwIfFatal();
                commitAsync(now);
                startBatchIfDue(now);
                applyBackpressure();
                trackStall(now);
                bufferedRecords = buffer.size();
                fetchPaused = !consumer.paused().isEmpty();
                metrics.tickRate();
            }
        } catch (RuntimeException e) {
            failed = true;
            LOG.error("Consumer stopped by a fatal error: {}", e.toString(), e);
        } finally {
            shutDown();
        }
    }

    private void throwIfFatal() {
        if (fatal != null) {
            throw fatal;
        }
    }

    // --- polling ---------------------------------------------------------------------------------

    private ConsumerRecords<String, byte[]> pollOnce() {
        long now = System.nanoTime();
        if (now < pollRetryAt) {
            // Backing off after poll errors: the rest of the loop (results, commits) still runs.
            sleepQuietly(Math.min(pollRetryAt - now, TimeUnit.MILLISECONDS.toNanos(WAIT_STEP_MS)));
            return ConsumerRecords.empty();
        }
        try {
            inPoll = true;
            ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout());
            pollSucceeded();
            return records;
        } catch (WakeupException e) {
            return ConsumerRecords.empty(); // a finished batch or a shutdown request
        } catch (InterruptException e) {
            closed = true;
        } catch (KafkaException e) {
            handlePollError(e);
        } finally {
            inPoll = false;
        }
        return ConsumerRecords.empty();
    }

    private void handlePollError(KafkaException e) {
        PollErrors.PollError error = PollErrors.classify(e);
        switch (error.kind()) {
            case FATAL -> throw e;
            case OFFSET_RESET -> {
                // The committed offset fell out of retention: resume at the oldest data still kept.
                LOG.warn("Offsets out of range or missing for {}, seeking to the beginning", error.partitions());
                consumer.seekToBeginning(error.partitions());
            }
            case UNREADABLE -> skipUnreadable(error, e);
            case RETRIABLE -> pollFailed(e);
        }
    }

    private void pollFailed(KafkaException e) {
        long now = System.nanoTime();
        metrics.pollErrors.increment();
        if (pollFailures++ == 0) {
            pollFailingSince = now;
            LOG.warn("Poll failed; retrying with back-off (100 ms doubling to {} s), logged once until it recovers: {}",
                    MAX_POLL_BACKOFF.toSeconds(), e.toString());
        }
        stall.pollFailed(now);
        pollRetryAt = now + pollBackoff.next().toNanos();
    }

    private void pollSucceeded() {
        if (pollFailures > 0) {
            LOG.info("Poll recovered after {} failed attempts in {} s", pollFailures,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - pollFailingSince));
            pollFailures = 0;
            pollBackoff.reset();
            stall.pollSucceeded();
        }
    }

    /** A record poll() cannot return: the ledger counts it and says where to seek; it goes to the DLQ. */
    private void skipUnreadable(PollErrors.PollError error, KafkaException e) {
        TopicPartition tp = error.partition();
        if (!consumer.assignment().contains(tp)) {
            pollFailed(e);
            return;
        }
        long offset = error.offset();
        if (offset < 0) {
            try {
                offset = consumer.position(tp); // poll stops at the record it cannot return
            } catch (KafkaException positionError) {
                pollFailed(e);
                return;
            }
        }
        OffsetLedger.Fetch fetch = ledger.fetched(tp, offset, offset);
        if (fetch == OffsetLedger.Fetch.NOT_ASSIGNED) {
            pollFailed(e);
            return;
        }
        if (fetch == OffsetLedger.Fetch.REWOUND) {
            dropBuffered(Set.of(tp));
        }
        RecordDeserializationException rde = error.deserialization();
        Inbound marker = Inbound.unreadable(tp, offset, rde == null ? -1 : rde.timestamp(),
                rde == null ? null : rde.keyBuffer(), rde == null ? null : rde.valueBuffer(), e.getMessage(),
                System.nanoTime());
        buffer.add(marker);
        bufferedBytes += marker.heapBytes();
        consumer.seek(tp, offset + 1);
        metrics.error.increment();
        LOG.error("Skipping unreadable record at {} offset {} (to the dead-letter topic{}): {}", tp, offset,
                rde == null ? " as a marker without its bytes" : " with its bytes", e.getMessage());
    }

    private void accept(ConsumerRecords<String, byte[]> records, long now) {
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> rs = records.records(tp);
            OffsetLedger.Fetch fetch = ledger.fetched(tp, rs.get(0).offset(), rs.get(rs.size() - 1).offset());
            if (fetch == OffsetLedger.Fetch.NOT_ASSIGNED) {
                continue;
            }
            if (fetch == OffsetLedger.Fetch.REWOUND) {
                LOG.warn("{} went back to offset {} without a seek (log truncated or topic re-created): dropping its "
                        + "buffered records; its commits start over from there", tp, rs.get(0).offset());
                dropBuffered(Set.of(tp));
            }
            for (ConsumerRecord<String, byte[]> r : rs) {
                Inbound in = Inbound.of(r, maxRecordBytes, now);
                buffer.add(in);
                bufferedBytes += in.heapBytes();
            }
        }
    }

    private Duration pollTimeout() {
        if (inFlight != null) {
            // The worker wakes us when it finishes; if it finished before inPoll was set it could not,
            // so do not wait then (inPoll is set before this check, done before the worker reads inPoll).
            return inFlight.done().get() ? Duration.ZERO : IDLE_POLL;
        }
        if (ledger.holdNewBatches() && ledger.failedCommitsInARow() == 0) {
            return ACK_POLL; // held only until the commit in flight is answered: look again soon
        }
        if (!givenUp.isEmpty() || ledger.holdNewBatches()) {
            return IDLE_POLL; // waiting for a given-up worker, or retrying a failed commit each poll
        }
        if (!buffer.isEmpty()) {
            long wait = buffer.peekFirst().arrivedNanos() + batchTimeoutNanos - System.nanoTime();
            return Duration.ofNanos(Math.max(0, Math.min(wait, IDLE_POLL.toNanos())));
        }
        return IDLE_POLL;
    }

    // --- batches ---------------------------------------------------------------------------------

    private void startBatchIfDue(long now) {
        if (inFlight != null || !givenUp.isEmpty() || buffer.isEmpty() || ledger.holdNewBatches()) {
            return;
        }
        boolean full = buffer.size() >= batchSize || bufferedBytes >= maxBatchBytes;
        boolean timedOut = now - buffer.peekFirst().arrivedNanos() >= batchTimeoutNanos;
        if (!full && !timedOut) {
            return;
        }
        List<Inbound> batch = new ArrayList<>(Math.min(batchSize, buffer.size()));
        Map<TopicPartition, long[]> runs = new LinkedHashMap<>(); // {first, last, count} per partition
        long bytes = 0;
        ConsumerRecord<String, byte[]> previous = null;
        long[] run = null;
        while (!buffer.isEmpty() && batch.size() < batchSize) {
            Inbound next = buffer.peekFirst();
            if (!batch.isEmpty() && bytes + next.heapBytes() > maxBatchBytes) {
                break;
            }
            buffer.pollFirst();
            bufferedBytes -= next.heapBytes();
            bytes += next.heapBytes();
            batch.add(next);
            ConsumerRecord<String, byte[]> r = next.record();
            // Records come in runs per partition: one map lookup per run, not one per record.
            if (previous == null || previous.partition() != r.partition() || !previous.topic().equals(r.topic())) {
                run = runs.computeIfAbsent(next.topicPartition(), tp -> new long[] {r.offset(), r.offset(), 0});
            }
            run[1] = r.offset();
            run[2]++;
            previous = r;
        }
        Map<TopicPartition, OffsetLedger.Range> ranges = new HashMap<>();
        runs.forEach((tp, x) -> ranges.put(tp, new OffsetLedger.Range(x[0], x[1], (int) x[2])));
        long id = ledger.startBatch(ranges);
        AtomicBoolean abandon = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        Future<BatchProcessor.Outcome> result = worker.submit(() -> {
            try {
                return processor.process(batch, () -> abandon.get() || System.nanoTime() > drainEndNanos);
            } finally {
                done.set(true);
                if (inPoll) {
                    consumer.wakeup(); // collect the result and start the next batch without waiting
                }
            }
        });
        inFlight = new InFlight(id, result, runs.keySet(), abandon, done, batch.size(), bytes);
        stall.batchRunning(now);
    }

    /** Takes the result of a finished batch, if there is one. */
    private void collectFinishedBatch() {
        if (inFlight != null && inFlight.result().isDone()) {
            finish(inFlight);
        }
    }

    private void finish(InFlight f) {
        inFlight = null;
        stall.progressed(System.nanoTime());
        BatchProcessor.Outcome outcome;
        try {
            outcome = f.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = BatchProcessor.Outcome.ABANDONED;
        } catch (ExecutionException e) {
            giveUp(ledger.failed(f.id()), f, "failed: " + e.getCause());
            Throwable cause = e.getCause();
            fatal = cause instanceof RuntimeException re ? re : new IllegalStateException("Batch failed", cause);
            return;
        }
        if (outcome == BatchProcessor.Outcome.STORED) {
            ledger.stored(f.id());
        } else {
            giveUp(ledger.failed(f.id()), f, "given up");
        }
    }

    /**
     * Waits for the batch in flight until {@code deadline} (and, once closing, the drain's end); if it
     * is not done by then it is given up: its still-assigned partitions seek back to its first offsets.
     */
    private void awaitBatch(long deadline) {
        while (inFlight != null) {
            long left = Math.min(deadline, drainEndNanos) - System.nanoTime();
            if (inFlight.result().isDone()) {
                finish(inFlight);
                return;
            }
            if (left <= 0) {
                abandonInFlight("its wait ran out");
                return;
            }
            try {
                inFlight.result().get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(WAIT_STEP_MS)), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // checked on the next round
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abandonInFlight("the poll thread was interrupted");
                return;
            }
        }
    }

    private void abandonInFlight(String why) {
        InFlight f = inFlight;
        inFlight = null;
        f.abandon().set(true);
        givenUp.add(f);
        giveUp(ledger.abandoned(f.id()), f, why);
    }

    /** Forgets given-up batches whose worker has returned; what they wrote will be read and written again. */
    private void reapGivenUp() {
        for (Iterator<InFlight> it = givenUp.iterator(); it.hasNext(); ) {
            InFlight f = it.next();
            if (f.result().isDone()) {
                ledger.ended(f.id());
                it.remove();
            }
        }
    }

    private void giveUp(OffsetLedger.GiveUp decision, InFlight f, String why) {
        decision.seeks().forEach(consumer::seek);
        dropBuffered(decision.seeks().keySet());
        LOG.warn("Batch of {} messages not stored ({}); partitions {} seek back to its first offsets {}", f.size(), why,
                names(decision.seeks().keySet()), decision.seeks().values());
    }

    // --- commits ---------------------------------------------------------------------------------

    private void commitAsync(long now) {
        if (now < commitsDeferredUntil) {
            return;
        }
        OffsetLedger.Commit c = ledger.commit(null, false);
        if (c.isEmpty()) {
            return;
        }
        consumer.commitAsync(kafkaOffsets(c), (committed, error) -> {
            if (error == null) {
                commitSucceeded(c);
            } else {
                commitFailed(c, error);
            }
        });
    }

    private void commitSucceeded(OffsetLedger.Commit c) {
        int failures = ledger.failedCommitsInARow();
        ledger.commitSucceeded(c);
        if (failures > 0) {
            LOG.info("Offset commit succeeded after {} failed attempts; resuming batches", failures);
        }
    }

    private void commitFailed(OffsetLedger.Commit c, Exception error) {
        ledger.commitFailed(c);
        // Normal while members join or leave: wait for the new assignment instead of retrying each loop.
        commitsDeferredUntil = System.nanoTime() + COMMIT_DEFER_NANOS;
        if (ledger.failedCommitsInARow() > 1) {
            return; // logged once per streak
        }
        if (error instanceof RebalanceInProgressException) {
            LOG.info("Offset commit deferred until the rebalance completes; batches go on until {} records are "
                    + "stored uncommitted", 2L * batchSize);
        } else if (error instanceof RetriableException) {
            LOG.warn("Offset commit failed, will retry; batches go on until {} records are stored uncommitted: {}",
                    2L * batchSize, error.toString());
        } else {
            LOG.warn("Offset commit rejected ({}); will retry until the group's new assignment arrives",
                    error.toString());
        }
    }

    /**
     * Commits synchronously what the ledger allows for {@code scope} (null: all), within {@code budgetNanos}
     * for all attempts together; used on revocation and at shutdown.
     */
    private void commitSync(Collection<TopicPartition> scope, long budgetNanos) {
        OffsetLedger.Commit c = ledger.commit(scope, true);
        if (c.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + budgetNanos;
        for (int attempt = 1; attempt <= 3; attempt++) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                consumer.commitSync(kafkaOffsets(c), Duration.ofNanos(left));
                commitSucceeded(c);
                return;
            } catch (WakeupException e) {
                // A worker's wake-up landed here instead of in poll(): it is consumed now, so retry.
            } catch (CommitFailedException | RebalanceInProgressException e) {
                // The group moved on or is moving: only poll() can finish the rebalance, so retrying here cannot
                // succeed. The partitions' next owner resumes from the last commit: a redelivery, not a loss.
                LOG.warn("Commit of {} refused by the group ({}); the next owner redelivers those records",
                        c.offsets(), e.getClass().getSimpleName());
                ledger.commitFailed(c);
                return;
            } catch (RetriableException e) {
                LOG.warn("Commit attempt {} failed, retrying: {}", attempt, e.toString());
            } catch (KafkaException e) {
                LOG.warn("Commit failed: {}", e.toString());
                break;
            }
        }
        ledger.commitFailed(c);
        LOG.error("Could not commit {}; those records may be processed again", c.offsets());
    }

    private static Map<TopicPartition, OffsetAndMetadata> kafkaOffsets(OffsetLedger.Commit c) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        c.offsets().forEach((tp, offset) -> out.put(tp, new OffsetAndMetadata(offset)));
        return out;
    }

    // --- buffer, backpressure, stall -------------------------------------------------------------

    private void applyBackpressure() {
        long held = bufferedBytes + (inFlight == null ? 0 : inFlight.bytes());
        for (InFlight f : givenUp) {
            held += f.bytes();
        }
        Set<TopicPartition> assigned = consumer.assignment();
        if (buffer.size() >= maxBufferedRecords || held >= maxBufferBytes) {
            if (consumer.paused().size() < assigned.size()) {
                consumer.pause(assigned);
            }
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private void trackStall(long now) {
        if (inFlight == null && givenUp.isEmpty()) {
            stall.noBatchRunning();
        }
        if (ledger.failedCommitsInARow() > 0 && ledger.storedUncommitted() > 0) {
            stall.commitFailing(now);
        } else {
            stall.commitsFine();
        }
    }

    private void dropBuffered(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty() || buffer.isEmpty()) {
            return;
        }
        Set<TopicPartition> gone = new HashSet<>(partitions);
        for (Iterator<Inbound> it = buffer.iterator(); it.hasNext(); ) {
            Inbound in = it.next();
            if (gone.contains(in.topicPartition())) {
                bufferedBytes -= in.heapBytes();
                it.remove();
            }
        }
    }

    /** Finishes or gives up revoked partitions' work before they move, so no record is processed twice. */
    private final class Rebalancing implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (revoked.isEmpty()) {
                return;
            }
            LOG.info("Partitions revoked: {}", names(revoked));
            if (inFlight != null && !Collections.disjoint(inFlight.partitions(), revoked)) {
                awaitBatch(System.nanoTime() + revokeWaitNanos);
            }
            ShutdownBudget.Deadlines d = deadlines;
            long commitBudget = d == null ? COMMIT_TIMEOUT.toNanos()
                    : Math.max(0, Math.min(COMMIT_TIMEOUT.toNanos(), d.closeEnd() - System.nanoTime()));
            commitSync(revoked, commitBudget);
            dropBuffered(revoked);
            ledger.revoked(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            // Another member may already own these: committing now could move its offsets backwards, and a
            // batch still running for them can no longer commit (its epoch has ended).
            LOG.warn("Partitions lost: {}; dropping their uncommitted work", names(lost));
            dropBuffered(lost);
            ledger.lost(lost);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            ledger.assigned(assigned);
            joined = true;
            commitsDeferredUntil = 0; // the rebalance is over: commit what waited
            metrics.rebalances.increment();
            LOG.info("Partitions assigned: {} (now {} in total)", names(assigned), consumer.assignment().size());
        }
    }

    private static String names(Collection<TopicPartition> tps) {
        List<Integer> ids = new ArrayList<>();
        for (TopicPartition tp : tps) {
            ids.add(tp.partition());
        }
        Collections.sort(ids);
        return ids.toString();
    }

    // --- shutdown --------------------------------------------------------------------------------

    /** Each step ends at its deadline from {@link ShutdownBudget}, counted from the stop request. */
    private void shutDown() {
        ShutdownBudget.Deadlines d = beginStopping();
        try {
            awaitBatch(d.drainEnd());
            awaitGivenUp(d.abandonEnd());
            commitSync(null, Math.max(0, d.commitEnd() - System.nanoTime()));
        } catch (RuntimeException e) {
            LOG.error("Final commit failed: {}", e.toString());
        }
        try {
            // Leaves the group at once, so the partitions move now rather than after the session timeout.
            consumer.close(CloseOptions.timeout(Duration.ofNanos(Math.max(0, d.closeEnd() - System.nanoTime()))));
        } catch (RuntimeException e) {
            LOG.warn("Consumer close failed: {}", e.toString());
        }
        clientMetrics.close();
        worker.shutdownNow();
        try {
            deadLetters.close(Duration.ofNanos(Math.max(0, d.deadLetterEnd() - System.nanoTime())));
        } catch (RuntimeException e) {
            LOG.warn("Closing the dead-letter producer failed: {}", e.toString());
        }
        try {
            sink.close();
        } catch (Exception e) {
            LOG.warn("Closing {} failed: {}", sink.getClass().getSimpleName(), e.toString());
        }
        joined = false;
        LOG.info("Consumer closed");
        finished.countDown();
    }

    private synchronized ShutdownBudget.Deadlines beginStopping() {
        if (deadlines == null) {
            deadlines = budget.from(System.nanoTime());
            drainEndNanos = deadlines.drainEnd();
        }
        return deadlines;
    }

    private void awaitGivenUp(long deadline) {
        for (InFlight f : givenUp) {
            long left = deadline - System.nanoTime();
            try {
                f.result().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                LOG.warn("A given-up batch of {} messages is still running at shutdown; leaving it", f.size());
                return;
            } catch (ExecutionException e) {
                // it failed: nothing of it is committed anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        reapGivenUp();
    }

    private static void sleepQuietly(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the loop to finish the current batch, commit, and leave the group, within the shutdown budget. */
    public void close() {
        if (finished.getCount() == 0) {
            return; // already closed, with its Kafka client
        }
        beginStopping();
        closed = true;
        consumer.wakeup();
    }

    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
