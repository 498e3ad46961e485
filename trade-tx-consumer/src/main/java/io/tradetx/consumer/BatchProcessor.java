package io.tradetx.consumer;

import io.tradetx.common.trade.InvalidTradeException;
import io.tradetx.common.trade.TradeJson;
import io.tradetx.consumer.sink.PermanentSinkException;
import io.tradetx.consumer.sink.TradeSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes one microbatch on the worker thread: decodes every record, sends the invalid ones (and
 * those cut or unreadable before decoding) to the dead-letter topic, and writes the valid ones to the
 * sink. A transient failure is retried with capped exponential back-off until it succeeds or the
 * batch is given up. A permanent sink failure ({@link PermanentSinkException}) splits the failing
 * write in halves until the rejected record(s) are isolated; they go to the dead-letter topic and the
 * rest is stored, in offset order.
 */
final class BatchProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final long ABANDON_CHECK_MS = 50;

    /** How a batch ended. */
    enum Outcome {
        /** Every record is stored or dead-lettered: its offsets may be committed. */
        STORED,
        /** Given up before that: nothing of it may be committed. */
        ABANDONED
    }

    private final TradeSink sink;
    private final DeadLetters deadLetters;
    private final ConsumerMetrics metrics;
    private final Runnable onProgress;

    BatchProcessor(TradeSink sink, DeadLetters deadLetters, ConsumerMetrics metrics, Runnable onProgress) {
        this.sink = sink;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.onProgress = onProgress;
    }

    /**
     * Stores the batch; {@code abandoned} is asked between attempts and while waiting.
     *
     * @throws DeadLetterPublisher.FatalDeadLetterException if a dead letter can never be delivered
     */
    Outcome process(List<Inbound> batch, BooleanSupplier abandoned) throws InterruptedException {
        LOG.info("Processing batch of {} messages", batch.size());
        long start = System.nanoTime();
        long nowMs = System.currentTimeMillis();
        List<ConsumedTrade> trades = new ArrayList<>(batch.size());
        List<ConsumerRecord<String, byte[]>> sources = new ArrayList<>(batch.size());
        List<DeadLetterPublisher.Rejected> rejected = new ArrayList<>();
        for (Inbound in : batch) {
            ConsumerRecord<String, byte[]> r = in.record();
            if (in.rejection() != null) {
                rejected.add(new DeadLetterPublisher.Rejected(r, in.rejection(), in.truncated(), in.sourceBytes()));
                continue;
            }
            try {
                trades.add(new ConsumedTrade(r.topic(), r.partition(), r.offset(), r.timestamp(), TradeJson.decode(r.value())));
                sources.add(r);
                metrics.messageAge.record(Math.max(0, nowMs - r.timestamp()) / 1000.0);
            } catch (InvalidTradeException e) {
                rejected.add(new DeadLetterPublisher.Rejected(r, e.getMessage()));
            }
        }
        if (!rejected.isEmpty() && !deadLetter(rejected, abandoned)) {
            return Outcome.ABANDONED;
        }
        if (!trades.isEmpty() && !store(trades, sources, abandoned)) {
            return Outcome.ABANDONED;
        }
        metrics.batchDuration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return Outcome.STORED;
    }

    /** Writes the trades, splitting on permanent failures; false if the batch was given up. */
    private boolean store(List<ConsumedTrade> trades, List<ConsumerRecord<String, byte[]>> sources,
                          BooleanSupplier abandoned) throws InterruptedException {
        PermanentSinkException rejection = writeWithRetries(trades, abandoned);
        if (rejection == null) {
            metrics.processed(trades.size());
            return true;
        }
        if (rejection == GIVEN_UP) {
            return false;
        }
        if (trades.size() == 1) {
            ConsumerRecord<String, byte[]> r = sources.get(0);
            LOG.warn("Sink rejected the record at partition {} offset {} permanently; sending it to the dead-letter "
                    + "topic: {}", r.partition(), r.offset(), rejection.getMessage());
            return deadLetter(List.of(new DeadLetterPublisher.Rejected(r, "sink rejected: " + rejection.getMessage())),
                    abandoned);
        }
        // Halves, left first: each partition's records are still stored in offset order.
        int mid = trades.size() / 2;
        return store(trades.subList(0, mid), sources.subList(0, mid), abandoned)
                && store(trades.subList(mid, trades.size()), sources.subList(mid, sources.size()), abandoned);
    }

    private static final PermanentSinkException GIVEN_UP = new PermanentSinkException("given up");

    /** Null once written; the permanent rejection; or {@link #GIVEN_UP}. */
    private PermanentSinkException writeWithRetries(List<ConsumedTrade> trades, BooleanSupplier abandoned)
            throws InterruptedException {
        Backoff backoff = new Backoff(FIRST_BACKOFF, MAX_BACKOFF);
        for (int attempt = 1; ; attempt++) {
            try {
                sink.write(trades);
                onProgress.run();
                if (attempt > 1) {
                    LOG.info("Sink write succeeded after {} attempts", attempt);
                }
                return null;
            } catch (InterruptedException e) {
                throw e;
            } catch (PermanentSinkException e) {
                return e;
            } catch (Exception e) {
                metrics.sinkFailures.increment();
                metrics.error.increment(trades.size());
                Duration wait = backoff.next();
                LOG.warn("Sink write failed (attempt {}), retrying in {} ms: {}", attempt, wait.toMillis(), e.toString());
                if (!sleep(wait, abandoned, trades.size())) {
                    return GIVEN_UP;
                }
            }
        }
    }

    /** Publishes the dead letters, retrying transient failures; false if the batch was given up. */
    private boolean deadLetter(List<DeadLetterPublisher.Rejected> rejected, BooleanSupplier abandoned)
            throws InterruptedException {
        Backoff backoff = new Backoff(FIRST_BACKOFF, MAX_BACKOFF);
        List<DeadLetterPublisher.Rejected> remaining = rejected;
        for (int attempt = 1; ; attempt++) {
            DeadLetterPublisher.Attempt result = deadLetters.publish(remaining, abandoned);
            if (result.complete()) {
                onProgress.run();
                metrics.deadLetter.increment(rejected.size());
                DeadLetterPublisher.Rejected first = rejected.get(0);
                LOG.warn("Sent {} messages to the dead-letter topic (first: partition {} offset {}: {})",
                        rejected.size(), first.record().partition(), first.record().offset(), first.error());
                return true;
            }
            if (result.abandoned()) {
                logAbandoned(rejected.size());
                return false;
            }
            metrics.deadLetterFailures.increment();
            Duration wait = backoff.next();
            LOG.warn("Dead-letter publish failed for {} of {} messages (attempt {}), retrying in {} ms: {}",
                    result.failed().size(), rejected.size(), attempt, wait.toMillis(), String.valueOf(result.error()));
            remaining = result.failed();
            if (!sleep(wait, abandoned, rejected.size())) {
                return false;
            }
        }
    }

    /** Waits out a back-off; false as soon as the batch is given up. */
    private static boolean sleep(Duration wait, BooleanSupplier abandoned, int size) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            if (abandoned.getAsBoolean()) {
                logAbandoned(size);
                return false;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(ABANDON_CHECK_MS)));
        }
    }

    private static void logAbandoned(int size) {
        LOG.warn("Abandoning batch of {} messages uncommitted: its partitions are no longer ours, its wait ran out "
                + "or the consumer is stopping", size);
    }
}
