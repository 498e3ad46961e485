package io.tradetx.consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.consumer.sink.TradeSink;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnsupportedAssignorException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The microbatch consumer loop. The poll thread owns the KafkaConsumer: it fetches into a bounded
 * buffer, closes a batch at BATCH_SIZE records or BATCH_TIMEOUT after its first record, hands it to
 * one worker thread, and commits exactly the offsets the worker reports as stored. Polling goes on
 * while the worker runs, so a slow or failing sink never breaks group membership.
 */
public final class MicrobatchConsumer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(MicrobatchConsumer.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    /** How long a revocation waits for the in-flight batch before abandoning it uncommitted. */
    private static final Duration REVOKE_WAIT = Duration.ofSeconds(20);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final int batchSize;
    private final long batchTimeoutNanos;
    private final int maxBuffered;
    private final BatchProcessor processor;
    private final ConsumerMetrics metrics;
    private final KafkaClientMetrics clientMetrics;
    private final AutoCloseable[] resources;
    private final ExecutorService worker;
    private final ArrayDeque<Buffered> buffer = new ArrayDeque<>();
    /** Highest processed offset + 1 per owned partition that is not yet known to be committed. */
    private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private InFlight inFlight;
    /**
     * Failed commit attempts in a row (during a rebalance or while the coordinator is away). While
     * positive and {@link #uncommittedRecords} has reached {@link #maxUncommitted}, no new batch starts:
     * a crash then re-delivers a bounded amount instead of everything processed during a long
     * rebalance (one waiting for a dead member's session timeout), while the short rebalance of a
     * join or a graceful leave does not stop the partitions that stay (cooperative-sticky).
     */
    private int failedCommits;
    /** Records stored by the sink since the last successful commit that covered them. */
    private long uncommittedRecords;
    private final long maxUncommitted;
    private volatile boolean closed;
    private volatile boolean inPoll;
    private volatile boolean ready;
    private volatile boolean failed;
    private volatile int assignedPartitions;
    private volatile int bufferedRecords;
    private volatile boolean fetchPaused;
    private static final long COMMIT_DEFER_NANOS = TimeUnit.SECONDS.toNanos(1);
    private long commitsDeferredUntil;

    private record Buffered(ConsumerRecord<String, byte[]> record, long arrivedNanos) {
    }

    /** {@code done} is set by the worker just before it wakes the poll thread (see pollTimeout). */
    private record InFlight(Future<Map<TopicPartition, OffsetAndMetadata>> result, Set<TopicPartition> partitions,
                            AtomicBoolean abandon, AtomicBoolean done, int size) {
    }

    /** Builds the consumer, its dead-letter producer and worker from settings; call {@link #run()} on a thread. */
    public static MicrobatchConsumer create(ConsumerSettings settings, String clientId, TradeSink sink,
                                            MeterRegistry registry, Tags tags) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaClientProperties.consumer(
                settings.kafka(), clientId, settings.consumerGroup(), settings.groupProtocol(), settings.batchSize()));
        DeadLetterPublisher dlq = new DeadLetterPublisher(
                new KafkaProducer<>(KafkaClientProperties.deadLetterProducer(settings.kafka(), clientId + "-dlq")),
                settings.deadLetterTopic());
        return new MicrobatchConsumer(consumer, settings, sink, dlq, new ConsumerMetrics(registry, tags), registry);
    }

    MicrobatchConsumer(Consumer<String, byte[]> consumer, ConsumerSettings settings, TradeSink sink,
                       DeadLetterPublisher dlq, ConsumerMetrics metrics, MeterRegistry registry) {
        this.consumer = consumer;
        this.topic = settings.kafka().topic();
        this.batchSize = settings.batchSize();
        this.batchTimeoutNanos = settings.batchTimeout().toNanos();
        // One batch in flight plus one waiting keeps the worker busy without hoarding records.
        this.maxBuffered = 2 * settings.batchSize();
        // Two batches: covers a join's rebalance at the seed's one batch per second, bounds redelivery.
        this.maxUncommitted = 2L * settings.batchSize();
        this.metrics = metrics;
        this.processor = new BatchProcessor(sink, dlq, metrics);
        this.clientMetrics = new KafkaClientMetrics(consumer);
        this.clientMetrics.bindTo(registry);
        this.resources = new AutoCloseable[] {dlq, sink};
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, Thread.currentThread().getName() + "-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** True once the consumer has joined the group (it may own no partitions if the group is larger). */
    public boolean isReady() {
        return ready && !closed;
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
                for (ConsumerRecord<String, byte[]> r : records) {
                    buffer.add(new Buffered(r, now));
                }
                if (!ready && consumer.groupMetadata().generationId() > 0) {
                    ready = true;
                }
                assignedPartitions = consumer.assignment().size();
                collectFinishedBatch(false);
                commitAsync();
                startBatchIfDue();
                applyBackpressure();
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

    private ConsumerRecords<String, byte[]> pollOnce() {
        try {
            inPoll = true;
            return consumer.poll(pollTimeout());
        } catch (WakeupException e) {
            return ConsumerRecords.empty(); // a finished batch or a shutdown request
        } catch (OffsetOutOfRangeException e) {
            // The committed offset fell out of retention: resume at the oldest data still kept.
            LOG.warn("Offsets out of range for {}, seeking to the beginning", e.partitions());
            consumer.seekToBeginning(e.partitions());
        } catch (NoOffsetForPartitionException e) {
            LOG.warn("No committed offset for {}, seeking to the beginning", e.partitions());
            consumer.seekToBeginning(e.partitions());
        } catch (RecordDeserializationException e) {
            LOG.error("Skipping undeserializable record at {} offset {}: {}", e.topicPartition(), e.offset(),
                    e.getMessage());
            metrics.error.increment();
            consumer.seek(e.topicPartition(), e.offset() + 1);
        } catch (InterruptException e) {
            closed = true;
        } catch (KafkaException e) {
            if (isFatal(e)) {
                throw e;
            }
            LOG.warn("Poll failed, retrying: {}", e.toString());
        } finally {
            inPoll = false;
        }
        return ConsumerRecords.empty();
    }

    static boolean isFatal(Throwable e) {
        return e instanceof AuthenticationException || e instanceof AuthorizationException
                || e instanceof InvalidGroupIdException || e instanceof UnsupportedVersionException
                || e instanceof FencedInstanceIdException || e instanceof InvalidConfigurationException
                || e instanceof UnsupportedAssignorException;
    }

    private Duration pollTimeout() {
        if (inFlight != null) {
            // The worker wakes us when it finishes; if it finished before inPoll was set it could not,
            // so do not wait then (inPoll is set before this check, done before the worker reads inPoll).
            return inFlight.done().get() ? Duration.ZERO : IDLE_POLL;
        }
        if (holdingBatches()) {
            return IDLE_POLL; // a failed commit is retried each poll
        }
        if (!buffer.isEmpty()) {
            long wait = buffer.peekFirst().arrivedNanos() + batchTimeoutNanos - System.nanoTime();
            return Duration.ofNanos(Math.max(0, Math.min(wait, IDLE_POLL.toNanos())));
        }
        return IDLE_POLL;
    }

    private void startBatchIfDue() {
        if (inFlight != null || buffer.isEmpty() || holdingBatches()) {
            return;
        }
        boolean full = buffer.size() >= batchSize;
        boolean timedOut = System.nanoTime() - buffer.peekFirst().arrivedNanos() >= batchTimeoutNanos;
        if (!full && !timedOut) {
            return;
        }
        int n = Math.min(batchSize, buffer.size());
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(n);
        Set<TopicPartition> partitions = new HashSet<>();
        ConsumerRecord<String, byte[]> previous = null;
        for (int i = 0; i < n; i++) {
            ConsumerRecord<String, byte[]> r = buffer.pollFirst().record();
            batch.add(r);
            // Records come in runs per partition: one set entry per run, not one per record.
            if (previous == null || previous.partition() != r.partition() || !previous.topic().equals(r.topic())) {
                partitions.add(new TopicPartition(r.topic(), r.partition()));
            }
            previous = r;
        }
        AtomicBoolean abandon = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        Future<Map<TopicPartition, OffsetAndMetadata>> result = worker.submit(() -> {
            try {
                return processor.process(batch, () -> abandon.get() || closedTooLong());
            } finally {
                done.set(true);
                if (inPoll) {
                    consumer.wakeup(); // collect the result and start the next batch without waiting
                }
            }
        });
        inFlight = new InFlight(result, partitions, abandon, done, n);
    }

    private volatile long closeRequestedNanos;

    private boolean holdingBatches() {
        return failedCommits > 0 && uncommittedRecords >= maxUncommitted;
    }

    private boolean closedTooLong() {
        return closed && System.nanoTime() - closeRequestedNanos > TimeUnit.SECONDS.toNanos(20);
    }

    /** Moves a finished batch's offsets into the commit set; optionally waits for it. */
    private void collectFinishedBatch(boolean wait) {
        if (inFlight == null) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets;
        try {
            if (wait) {
                try {
                    offsets = inFlight.result().get(REVOKE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    inFlight.abandon().set(true);
                    offsets = inFlight.result().get();
                }
            } else if (inFlight.result().isDone()) {
                offsets = inFlight.result().get();
            } else {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            inFlight.abandon().set(true);
            return;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Batch processing failed unexpectedly", e.getCause());
        }
        int size = inFlight.size();
        inFlight = null;
        if (offsets == null) {
            return; // abandoned: nothing stored, nothing committed, the records will be read again
        }
        uncommittedRecords += size;
        Set<TopicPartition> owned = consumer.assignment();
        offsets.forEach((tp, offset) -> {
            if (owned.contains(tp)) {
                toCommit.merge(tp, offset, (a, b) -> a.offset() >= b.offset() ? a : b);
            }
        });
    }

    private void commitAsync() {
        if (toCommit.isEmpty() || System.nanoTime() < commitsDeferredUntil) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(toCommit);
        toCommit.clear();
        long covered = uncommittedRecords;
        consumer.commitAsync(offsets, (committed, error) -> {
            if (error == null) {
                uncommittedRecords = Math.max(0, uncommittedRecords - covered);
                if (failedCommits > 0) {
                    LOG.info("Offset commit succeeded after {} failed attempts; resuming batches", failedCommits);
                    failedCommits = 0;
                }
                return;
            }
            // Keep the offsets for the next attempt unless a later batch already moved the partition on.
            Set<TopicPartition> owned = consumer.assignment();
            offsets.forEach((tp, offset) -> {
                if (owned.contains(tp)) {
                    toCommit.merge(tp, offset, (a, b) -> a.offset() >= b.offset() ? a : b);
                }
            });
            if (error instanceof RebalanceInProgressException || error instanceof RetriableException) {
                // Normal while members join or leave: wait for the new assignment instead of retrying each loop.
                commitsDeferredUntil = System.nanoTime() + COMMIT_DEFER_NANOS;
                if (toCommit.isEmpty()) {
                    failedCommits = 0; // nothing of ours left to commit: the partitions moved
                    uncommittedRecords = 0;
                } else if (failedCommits++ == 0) {
                    if (error instanceof RebalanceInProgressException) {
                        LOG.info("Offset commit deferred until the rebalance completes; batches go on until {} "
                                + "records are stored uncommitted", maxUncommitted);
                    } else {
                        LOG.warn("Offset commit failed, will retry; batches go on until {} records are stored "
                                + "uncommitted: {}", maxUncommitted, error.toString());
                    }
                }
            } else {
                failedCommits = 0;
                uncommittedRecords = 0;
                toCommit.keySet().removeAll(offsets.keySet());
                LOG.warn("Offset commit rejected ({}); up to {} partitions' records may be processed again by "
                        + "their new owner", error.toString(), offsets.size());
            }
        });
    }

    /** Commits synchronously; used when partitions are revoked and at shutdown. */
    private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        // One budget for all attempts, so a revocation or a SIGTERM drain stays well inside 30 s.
        long deadline = System.nanoTime() + COMMIT_TIMEOUT.toNanos();
        for (int attempt = 1; attempt <= 3; attempt++) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                consumer.commitSync(offsets, Duration.ofNanos(left));
                return;
            } catch (WakeupException e) {
                // A worker's wake-up landed here instead of in poll(): it is consumed now, so retry.
            } catch (CommitFailedException e) {
                LOG.warn("Commit failed, the group moved on: {}", e.getMessage());
                return;
            } catch (RebalanceInProgressException | RetriableException e) {
                LOG.warn("Commit attempt {} failed, retrying: {}", attempt, e.toString());
            }
        }
        LOG.error("Could not commit {}; those records may be processed again", offsets);
    }

    private void applyBackpressure() {
        Set<TopicPartition> assigned = consumer.assignment();
        if (buffer.size() >= maxBuffered) {
            if (consumer.paused().size() < assigned.size()) {
                consumer.pause(assigned);
            }
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private void dropBuffered(Collection<TopicPartition> partitions) {
        Set<TopicPartition> gone = new HashSet<>(partitions);
        buffer.removeIf(b -> gone.contains(new TopicPartition(b.record().topic(), b.record().partition())));
        toCommit.keySet().removeAll(gone);
    }

    /** Finishes or abandons revoked partitions' work before they move, so no record is processed twice. */
    private final class Rebalancing implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (revoked.isEmpty()) {
                return;
            }
            LOG.info("Partitions revoked: {}", names(revoked));
            if (inFlight != null && !java.util.Collections.disjoint(inFlight.partitions(), revoked)) {
                collectFinishedBatch(true);
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (TopicPartition tp : revoked) {
                OffsetAndMetadata o = toCommit.get(tp);
                if (o != null) {
                    offsets.put(tp, o);
                }
            }
            commitSync(offsets);
            dropBuffered(revoked);
            if (toCommit.isEmpty()) {
                failedCommits = 0;
                uncommittedRecords = 0;
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            // Another member may already own these: committing now could move its offsets backwards.
            LOG.warn("Partitions lost: {}; dropping their uncommitted work", names(lost));
            dropBuffered(lost);
            if (toCommit.isEmpty()) {
                failedCommits = 0;
                uncommittedRecords = 0;
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            ready = true;
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
        java.util.Collections.sort(ids);
        return ids.toString();
    }

    private void shutDown() {
        try {
            collectFinishedBatch(true);
            commitSync(new HashMap<>(toCommit));
            toCommit.clear();
        } catch (RuntimeException e) {
            LOG.error("Final commit failed: {}", e.toString());
        }
        try {
            // Leaves the group at once, so the partitions move now rather than after the session timeout.
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("Consumer close failed: {}", e.toString());
        }
        clientMetrics.close();
        worker.shutdownNow();
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", r.getClass().getSimpleName(), e.toString());
            }
        }
        ready = false;
        LOG.info("Consumer closed");
        finished.countDown();
    }

    /** Asks the loop to finish the current batch, commit, and leave the group. */
    public void close() {
        if (!closed) {
            closeRequestedNanos = System.nanoTime();
            closed = true;
        }
        consumer.wakeup();
    }

    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
