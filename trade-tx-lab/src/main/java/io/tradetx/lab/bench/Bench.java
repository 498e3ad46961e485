package io.tradetx.lab.bench;

import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.kafka.TopicProvisioner;
import io.tradetx.common.trade.Trade;
import io.tradetx.common.trade.TradeJson;
import io.tradetx.producer.TradeGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/** What every benchmark part shares: the broker, the admin client, a work directory and the results. */
record Bench(String bootstrapServers, Admin admin, Path workDir, boolean quick, BenchResults results) {
    static final int PARTITIONS = 24;
    private static final AtomicInteger SEQ = new AtomicInteger();

    String unique(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
    }

    /** A fresh topic (and its dead-letter topic) with 24 partitions, as in production. */
    KafkaSettings topic(String prefix) throws InterruptedException {
        String topic = unique(prefix);
        TopicProvisioner.ensureTopic(admin, topic, PARTITIONS, (short) 1, Map.of());
        TopicProvisioner.ensureTopic(admin, topic + ".dlq", 1, (short) 1, Map.of());
        awaitLeaders(topic);
        return KafkaSettings.local(bootstrapServers, topic, PARTITIONS);
    }

    /**
     * Waits until every partition's leader answers: right after creation a produce request can get
     * NOT_LEADER_OR_FOLLOWER, and its retries would be part of the first figure.
     */
    private void awaitLeaders(String topic) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                admin.listOffsets(latest).all().get();
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Partitions of " + topic + " have no leader: " + e.getCause());
                }
                Thread.sleep(50);
            }
        }
    }

    /** Writes n generated trades keyed by account, as the trade producer sends them, and waits for the acks. */
    void produce(KafkaSettings kafka, long n) {
        TradeGenerator generator = new TradeGenerator(7, true);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaClientProperties.producer(kafka, "bench-preload"))) {
            for (long i = 0; i < n; i++) {
                Trade t = generator.next(Instant.now());
                producer.send(new ProducerRecord<>(kafka.topic(), t.accountId(), TradeJson.encode(t)));
            }
            producer.flush();
        }
    }

    static void log(String format, Object... args) {
        System.out.println(String.format(java.util.Locale.ROOT, format, args));
        System.out.flush();
    }

    /** The value of {@code key=} in the last line of the output that starts with the prefix. */
    static double field(String output, String linePrefix, String key) throws IOException {
        String found = null;
        for (String line : output.split("\n")) {
            if (line.startsWith(linePrefix)) {
                found = line;
            }
        }
        if (found == null) {
            throw new IOException("No line starting with '" + linePrefix + "' in:\n" + output);
        }
        for (String part : found.substring(linePrefix.length()).trim().split("\\s+")) {
            if (part.startsWith(key + "=")) {
                return Double.parseDouble(part.substring(key.length() + 1));
            }
        }
        throw new IOException("No " + key + "= in: " + found);
    }
}
