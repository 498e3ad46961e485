package io.tradetx.lab.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.producer.TradeGenerator;
import io.tradetx.producer.TradeProducer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Part 3: the rate-limited producer's accuracy. Each rate runs into a fresh topic; after a warm-up
 * (connection, metadata, JIT) the rate is measured from the broker's record timestamps (CreateTime,
 * stamped in send()): records in the window, minus one, over the time from the first to the last.
 */
final class RateBench {
    static final int[] RATES = {10, 100, 1000, 10_000, 50_000};

    private final Bench bench;

    RateBench(Bench bench) {
        this.bench = bench;
    }

    void run(int repeats) throws Exception {
        Duration window = bench.quick() ? Duration.ofSeconds(5) : Duration.ofSeconds(30);
        Duration warmup = bench.quick() ? Duration.ofSeconds(1) : Duration.ofSeconds(2);
        bench.results().remark("Rate accuracy: TradeProducer in the bench process at each target rate for "
                + warmup.toSeconds() + " s warm-up + " + window.toSeconds() + " s into a fresh 24-partition topic; "
                + "achieved rate = (records sent in the window - 1) / (last - first CreateTime in the window), "
                + "error = |achieved - target| / target.");
        for (int rate : RATES) {
            bench.results().goal("rate_error_pct_" + rate, "<= 0.5", v -> v <= 0.5);
        }
        for (int i = 1; i <= repeats; i++) {
            for (int rate : RATES) {
                bench.results().add("rate_error_pct_" + rate, errorPct(rate, warmup, window));
            }
        }
    }

    private double errorPct(int rate, Duration warmup, Duration window) throws Exception {
        KafkaSettings kafka = bench.topic("bench-rate-" + rate);
        TradeProducer producer = new TradeProducer(kafka, "bench-rate", rate, TradeGenerator.random(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Thread t = new Thread(producer, "rate-producer");
        long startMs = System.currentTimeMillis();
        long start = System.nanoTime();
        t.start();
        LockSupport.parkNanos(warmup.plus(window).toNanos() - (System.nanoTime() - start));
        producer.close();
        if (!producer.awaitClosed(Duration.ofSeconds(30))) {
            throw new IllegalStateException("producer did not stop");
        }
        long from = startMs + warmup.toMillis();
        long[] stats = timestamps(kafka, from); // count, first, last
        double achieved = (stats[0] - 1) / ((stats[2] - stats[1]) / 1000.0);
        Bench.log("rate %d msg/s: %d records in the window, achieved %.3f msg/s", rate, stats[0], achieved);
        return Math.abs(achieved - rate) / rate * 100;
    }

    /** Reads the whole topic: how many records have a timestamp at or after {@code from}, and the first and last. */
    private long[] timestamps(KafkaSettings kafka, long from) {
        var props = KafkaClientProperties.common(kafka, "bench-rate-reader");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        long count = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
            List<TopicPartition> tps = new java.util.ArrayList<>();
            for (int p = 0; p < kafka.topicPartitions(); p++) {
                tps.add(new TopicPartition(kafka.topic(), p));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.timestamp() >= from) {
                        count++;
                        first = Math.min(first, r.timestamp());
                        last = Math.max(last, r.timestamp());
                    }
                }
            }
        }
        return new long[] {count, first, last};
    }
}
