package io.tradetx.consumer;

import io.tradetx.common.trade.InvalidTradeException;
import io.tradetx.common.trade.TradeJson;
import io.tradetx.consumer.sink.TradeSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes one microbatch on the worker thread: decodes every record, sends the invalid ones to the
 * dead-letter topic, writes the valid ones to the sink, retrying each step with back-off until it
 * succeeds or the batch is abandoned, and returns the offsets that are then safe to commit.
 */
final class BatchProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);
    static final long FIRST_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 30_000;

    private final TradeSink sink;
    private final DeadLetterPublisher deadLetters;
    private final ConsumerMetrics metrics;

    BatchProcessor(TradeSink sink, DeadLetterPublisher deadLetters, ConsumerMetrics metrics) {
        this.sink = sink;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /** Returns the offsets to commit, or null if the batch was abandoned before it was stored. */
    Map<TopicPartition, OffsetAndMetadata> process(List<ConsumerRecord<String, byte[]>> batch,
                                                   BooleanSupplier abandoned) throws InterruptedException {
        LOG.info("Processing batch of {} messages", batch.size());
        long start = System.nanoTime();
        long nowMs = System.currentTimeMillis();
        List<ConsumedTrade> trades = new ArrayList<>(batch.size());
        List<DeadLetterPublisher.Rejected> rejected = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            try {
                trades.add(new ConsumedTrade(r.topic(), r.partition(), r.offset(), r.timestamp(), TradeJson.decode(r.value())));
                metrics.messageAge.record(Math.max(0, nowMs - r.timestamp()) / 1000.0);
            } catch (InvalidTradeException e) {
                rejected.add(new DeadLetterPublisher.Rejected(r, e.getMessage()));
            }
        }
        if (!rejected.isEmpty()) {
            if (!retry("dead-letter publish", rejected.size(), abandoned, () -> deadLetters.publish(rejected))) {
                return null;
            }
            metrics.deadLetter.increment(rejected.size());
            LOG.warn("Sent {} invalid messages to the dead-letter topic (first: partition {} offset {}: {})",
                    rejected.size(), rejected.get(0).record().partition(), rejected.get(0).record().offset(),
                    rejected.get(0).error());
        }
        if (!trades.isEmpty() && !retry("sink write", trades.size(), abandoned, () -> sink.write(trades))) {
            return null;
        }
        metrics.processed(trades.size());
        metrics.batchDuration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        // Records of a partition arrive in order, so the last one seen is the highest; a batch holds runs
        // of records per partition, so one entry per run rather than one per record.
        ConsumerRecord<String, byte[]> previous = null;
        for (ConsumerRecord<String, byte[]> r : batch) {
            if (previous != null && (previous.partition() != r.partition() || !previous.topic().equals(r.topic()))) {
                offsets.put(new TopicPartition(previous.topic(), previous.partition()),
                        new OffsetAndMetadata(previous.offset() + 1));
            }
            previous = r;
        }
        if (previous != null) {
            offsets.put(new TopicPartition(previous.topic(), previous.partition()),
                    new OffsetAndMetadata(previous.offset() + 1));
        }
        return offsets;
    }

    /** A step that may fail transiently. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private boolean retry(String what, int size, BooleanSupplier abandoned, Step step) throws InterruptedException {
        long backoff = FIRST_BACKOFF_MS;
        for (int attempt = 1; ; attempt++) {
            try {
                step.run();
                if (attempt > 1) {
                    LOG.info("{} succeeded after {} attempts", capitalize(what), attempt);
                }
                return true;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                metrics.sinkFailures.increment();
                metrics.error.increment(size);
                LOG.warn("{} failed (attempt {}), retrying in {} ms: {}", capitalize(what), attempt, backoff,
                        e.toString());
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
            while (System.nanoTime() < deadline) {
                if (abandoned.getAsBoolean()) {
                    LOG.warn("Abandoning batch of {} messages uncommitted: its partitions are no longer ours or "
                            + "the consumer is stopping", size);
                    return false;
                }
                TimeUnit.MILLISECONDS.sleep(Math.min(50, backoff));
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
