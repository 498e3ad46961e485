package io.tradetx.consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tradetx.protocol.GroupProtocol;
import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.consumer.sink.TradeSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the topic from a point in time through the same decode, dead-letter and sink path as the
 * live consumer, for audit or to rebuild a store. It uses its own consumer group and assigns the
 * partitions itself, so the live group's membership and committed offsets are never touched. It
 * stops at the end offsets captured when it starts (or at {@code to}), so it ends even while
 * producers keep writing.
 */
public final class Replay {
    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);

    /** What the replay did. {@code skippedAfterTo} counts records after {@code to} that were not processed. */
    public record Counts(String group, long read, long processed, long deadLettered, long skippedAfterTo,
                         Map<Integer, long[]> ranges) {
        public String summary() {
            return "read=" + read + " processed=" + processed + " dead_lettered=" + deadLettered
                    + " skipped_after_to=" + skippedAfterTo + " group=" + group;
        }
    }

    private Replay() {
    }

    /** The default replay group: new for every replay, so each starts from its own offsets. */
    public static String defaultGroup() {
        return "trade-tx-replay-" + System.currentTimeMillis() / 1000;
    }

    /**
     * @param republishDeadLetters false: invalid records are counted but not sent to the dead-letter
     *        topic again (the live consumer already put them there)
     */
    public static Counts run(ConsumerSettings settings, Instant from, Instant to, String group, TradeSink sink,
                             MeterRegistry registry, boolean republishDeadLetters, BooleanSupplier stop)
            throws InterruptedException {
        if (to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("the end " + to + " is before the start " + from);
        }
        String topic = settings.kafka().topic();
        String clientId = group + "-client";
        ConsumerMetrics metrics = new ConsumerMetrics(registry, Tags.of("job", "replay"));
        DeadLetters dlq = republishDeadLetters
                ? new DeadLetterPublisher(new KafkaProducer<>(
                        KafkaClientProperties.deadLetterProducer(settings.kafka(), clientId + "-dlq")),
                        settings.deadLetterTopic())
                : DeadLetters.notRepublished();
        BatchProcessor processor = new BatchProcessor(sink, dlq, metrics, () -> { });
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaClientProperties.consumer(
                settings.kafka(), clientId, group, GroupProtocol.CLASSIC, settings.batchSize()));
             dlq) {
            List<TopicPartition> tps = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                tps.add(new TopicPartition(topic, p.partition()));
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, Duration.ofSeconds(30));
            Map<TopicPartition, Long> start = firstAtOrAfter(consumer, tps, from.toEpochMilli(), end);
            Map<TopicPartition, Long> stopAt = to == null ? end
                    : firstAtOrAfter(consumer, tps, to.toEpochMilli() + 1, end);
            long skipped = 0;
            Map<Integer, long[]> ranges = new HashMap<>();
            List<TopicPartition> todo = new ArrayList<>();
            for (TopicPartition tp : tps) {
                long s = start.get(tp);
                long e = Math.max(s, Math.min(stopAt.get(tp), end.get(tp)));
                stopAt.put(tp, e);
                skipped += end.get(tp) - e;
                ranges.put(tp.partition(), new long[] {s, e});
                if (s < e) {
                    todo.add(tp);
                }
            }
            LOG.info("Replaying {} from {}{} with group {}: {} of {} partitions have records in range", topic, from,
                    to == null ? " to the end offsets at start" : " to " + to, group, todo.size(), tps.size());
            consumer.assign(todo);
            for (TopicPartition tp : todo) {
                consumer.seek(tp, start.get(tp));
            }
            long read = 0;
            long nextLog = System.nanoTime();
            while (!todo.isEmpty() && !stop.getAsBoolean()) {
                List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() >= stopAt.get(tp)) {
                        continue; // written after the replay started, or after --to
                    }
                    read++;
                    if (to != null && r.timestamp() > to.toEpochMilli()) {
                        skipped++; // an out-of-order timestamp inside the range
                        continue;
                    }
                    batch.add(r);
                }
                for (int i = 0; i < batch.size(); i += settings.batchSize()) {
                    List<ConsumerRecord<String, byte[]>> part =
                            batch.subList(i, Math.min(batch.size(), i + settings.batchSize()));
                    if (processor.process(Inbound.all(part, settings.limits().maxRecordBytes()), stop)
                            != BatchProcessor.Outcome.STORED) {
                        throw new IllegalStateException("Replay stopped before the sink stored a batch");
                    }
                }
                Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
                for (var it = todo.iterator(); it.hasNext(); ) {
                    TopicPartition tp = it.next();
                    long position = Math.min(consumer.position(tp), stopAt.get(tp));
                    progress.put(tp, new OffsetAndMetadata(position));
                    if (position >= stopAt.get(tp)) {
                        it.remove();
                    }
                }
                // The replay group's own offsets show its progress (and let an operator see where it was).
                consumer.commitSync(progress);
                consumer.assign(todo);
                if (System.nanoTime() >= nextLog) {
                    nextLog = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    LOG.info("Replay: read {}, processed {}, dead-lettered {}, {} partitions to go", read,
                            (long) metrics.success.count(), (long) metrics.deadLetter.count(), todo.size());
                }
            }
            Counts counts = new Counts(group, read, (long) metrics.success.count(), (long) metrics.deadLetter.count(),
                    skipped, ranges);
            LOG.info("Replay finished: {}", counts.summary());
            return counts;
        }
    }

    /** Per partition, the first offset whose timestamp is at or after {@code millis}; the end offset if none. */
    private static Map<TopicPartition, Long> firstAtOrAfter(KafkaConsumer<String, byte[]> consumer,
                                                            List<TopicPartition> tps, long millis,
                                                            Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> query = new HashMap<>();
        tps.forEach(tp -> query.put(tp, millis));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(30));
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : tps) {
            OffsetAndTimestamp o = found.get(tp);
            out.put(tp, o == null ? end.get(tp) : Math.min(o.offset(), end.get(tp)));
        }
        return out;
    }
}
