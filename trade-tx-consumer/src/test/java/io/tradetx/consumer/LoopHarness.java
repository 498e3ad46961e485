package io.tradetx.consumer;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tradetx.protocol.GroupProtocol;
import io.tradetx.common.kafka.KafkaAuth;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.trade.Trade;
import io.tradetx.common.trade.TradeJson;
import io.tradetx.consumer.sink.PermanentSinkException;
import io.tradetx.consumer.sink.TradeSink;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** A {@link MicrobatchConsumer} on Kafka's MockConsumer and MockProducer, with a scriptable sink. */
final class LoopHarness implements AutoCloseable {
    static final String TOPIC = "t";

    final ScriptedConsumer kafka = new ScriptedConsumer();
    final MockProducer<byte[], byte[]> deadLetters;
    final ScriptedSink sink = new ScriptedSink();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final MicrobatchConsumer consumer;
    private final Thread loop;

    LoopHarness(int batchSize, ConsumerSettings.Limits limits, Map<String, String> clientOverrides) {
        this(batchSize, limits, clientOverrides, new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer()));
    }

    LoopHarness(int batchSize, ConsumerSettings.Limits limits, Map<String, String> clientOverrides,
                MockProducer<byte[], byte[]> deadLetterProducer) {
        KafkaSettings k = new KafkaSettings("localhost:9092", TOPIC, KafkaAuth.NONE, null, 3, (short) 1,
                clientOverrides);
        ConsumerSettings settings = new ConsumerSettings(k, "g", batchSize, Duration.ofMillis(20), Duration.ZERO,
                Duration.ZERO, 0, GroupProtocol.CLASSIC, TOPIC + ".dlq", ConsumerSettings.SinkType.SIMULATED, null,
                null, limits);
        deadLetters = deadLetterProducer;
        consumer = new MicrobatchConsumer(kafka, settings, sink, new DeadLetterPublisher(deadLetters, TOPIC + ".dlq"),
                registry, Tags.empty());
        Map<TopicPartition, Long> beginning = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            beginning.put(tp(p), 0L);
        }
        kafka.updateBeginningOffsets(beginning);
        loop = new Thread(consumer, "loop-under-test");
    }

    static ConsumerSettings.Limits limits(Duration stall) {
        return new ConsumerSettings.Limits(Duration.ofSeconds(25), stall, 8 * 1024 * 1024, 64 * 1024);
    }

    static TopicPartition tp(int p) {
        return new TopicPartition(TOPIC, p);
    }

    /** Starts the loop and assigns the partitions, on the loop's thread as a real rebalance would. */
    LoopHarness start(Integer... partitions) {
        loop.start();
        assign(partitions);
        return this;
    }

    void assign(Integer... partitions) {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p : partitions) {
            tps.add(tp(p));
        }
        onLoop(() -> kafka.rebalance(tps));
    }

    /** Runs a task inside the loop's next poll (rebalance callbacks must run on the polling thread). */
    void onLoop(Runnable task) {
        CountDownLatch ran = new CountDownLatch(1);
        kafka.schedulePollTask(() -> {
            task.run();
            ran.countDown();
        });
        try {
            if (!ran.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("the loop did not poll");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Trades at {@code from..to} of a partition, as the broker would deliver them from there. */
    void add(int partition, long from, long to) {
        add(new long[] {partition, from, to});
    }

    /** Several {partition, from, to} ranges, all returned by the same poll. */
    void add(long[]... ranges) {
        onLoop(() -> {
            for (long[] r : ranges) {
                for (long o = r[1]; o <= r[2]; o++) {
                    kafka.addRecord(record((int) r[0], o, TradeJson.encode(trade((int) r[0], o))));
                }
            }
        });
    }

    static ConsumerRecord<String, byte[]> record(int partition, long offset, byte[] value) {
        return new ConsumerRecord<>(TOPIC, partition, offset, "ACC" + (1000 + partition), value);
    }

    /** A valid trade whose id encodes where it was written: TRD + partition + offset. */
    static Trade trade(int partition, long offset) {
        return new Trade("ACC" + (1000 + partition), String.format("TRD%d%07d", partition + 1, offset), "AAPL",
                Trade.TradeType.BUY, 10, new BigDecimal("101.25"), Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** The last offset committed for the partition (-1: none), from the commits the loop made. */
    long committed(int partition) {
        List<Long> all = kafka.commitsOf(partition);
        return all.isEmpty() ? -1 : all.get(all.size() - 1);
    }

    @Override
    public void close() throws InterruptedException {
        consumer.close();
        if (!consumer.awaitClosed(Duration.ofSeconds(30))) {
            throw new AssertionError("the loop did not stop");
        }
        loop.join(5000);
    }

    /** MockConsumer that records commits, can fail them, and does not spin the loop when idle. */
    static final class ScriptedConsumer extends MockConsumer<String, byte[]> {
        final List<Map<TopicPartition, Long>> commits = new CopyOnWriteArrayList<>();
        volatile boolean failCommits;
        final AtomicInteger polls = new AtomicInteger();
        volatile RuntimeException failPolls;

        ScriptedConsumer() {
            super("earliest");
        }

        @Override
        public ConsumerRecords<String, byte[]> poll(Duration timeout) {
            polls.incrementAndGet();
            RuntimeException failure = failPolls;
            if (failure != null) {
                throw failure;
            }
            ConsumerRecords<String, byte[]> records = super.poll(timeout);
            if (records.isEmpty()) {
                try {
                    Thread.sleep(Math.min(5, timeout.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return records;
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                                             OffsetCommitCallback callback) {
            if (failCommits) {
                callback.onComplete(offsets, new RetriableCommitFailedException("simulated coordinator outage"));
                return;
            }
            record(offsets);
            super.commitAsync(offsets, callback);
        }

        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            if (failCommits) {
                throw new RetriableCommitFailedException("simulated coordinator outage");
            }
            record(offsets);
            super.commitAsync(offsets, null);
        }

        /**
         * MockConsumer's wakeup() takes the lock poll() holds, so a worker waking the loop during a
         * rebalance callback would wait for that callback; the mock poll never blocks, so no wakeup is needed.
         */
        @Override
        public void wakeup() {
        }

        private void record(Map<TopicPartition, OffsetAndMetadata> offsets) {
            Map<TopicPartition, Long> m = new HashMap<>();
            offsets.forEach((tp, o) -> m.put(tp, o.offset()));
            commits.add(m);
        }

        /** Every offset committed for the partition, in order. */
        List<Long> commitsOf(int partition) {
            List<Long> out = new ArrayList<>();
            for (Map<TopicPartition, Long> c : commits) {
                Long o = c.get(tp(partition));
                if (o != null) {
                    out.add(o);
                }
            }
            return out;
        }
    }

    /** A sink that records what it stored and can fail transiently, reject records, or hold a write. */
    static final class ScriptedSink implements TradeSink {
        final List<ConsumedTrade> stored = new CopyOnWriteArrayList<>();
        final List<Integer> writeSizes = new CopyOnWriteArrayList<>();
        final Set<String> rejectedIds = ConcurrentHashMap.newKeySet();
        final AtomicInteger attempts = new AtomicInteger();
        volatile boolean down;
        volatile CountDownLatch gate;
        final CountDownLatch writing = new CountDownLatch(1);

        @Override
        public void write(List<ConsumedTrade> batch) throws Exception {
            attempts.incrementAndGet();
            writing.countDown();
            CountDownLatch g = gate;
            if (g != null) {
                g.await();
            }
            if (down) {
                throw new IOException("database unavailable (simulated)");
            }
            for (ConsumedTrade t : batch) {
                if (rejectedIds.contains(t.trade().tradeId())) {
                    throw new PermanentSinkException("value out of range for " + t.trade().tradeId());
                }
            }
            writeSizes.add(batch.size());
            stored.addAll(batch);
        }

        /** Stored offsets of a partition, in the order stored. */
        List<Long> offsets(int partition) {
            List<Long> out = new ArrayList<>();
            for (ConsumedTrade t : stored) {
                if (t.partition() == partition) {
                    out.add(t.offset());
                }
            }
            return out;
        }

        static Collection<Long> range(long from, long to) {
            List<Long> out = new ArrayList<>();
            for (long o = from; o <= to; o++) {
                out.add(o);
            }
            return out;
        }
    }
}
