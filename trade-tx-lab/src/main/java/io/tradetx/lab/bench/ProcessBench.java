package io.tradetx.lab.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.consumer.ConsumerMain;
import io.tradetx.producer.TradeGenerator;
import io.tradetx.producer.TradeProducer;
import io.tradetx.testkit.ChildJvm;
import io.tradetx.testkit.FreePort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Parts 5 and 6: the consumer process (ConsumerMain, pod JVM flags) from start to first commit, and its RSS. */
final class ProcessBench {
    private final Bench bench;

    ProcessBench(Bench bench) {
        this.bench = bench;
    }

    void coldStart(int repeats) throws Exception {
        KafkaSettings kafka = bench.topic("bench-coldstart");
        bench.produce(kafka, 10_000);
        BenchResults r = bench.results();
        r.goal("cold_start_ms", "< 2000", v -> v < 2000);
        r.remark("Cold start: `java " + String.join(" ", ChildJvm.CONSUMER_POD_FLAGS) + " ... ConsumerMain` with 10,000 "
                + "trades already waiting, a fresh group, GROUP_PROTOCOL=classic (cooperative-sticky), "
                + "BATCH_SIZE=100, BATCH_PROCESSING_TIME=0 (the app's own start-up; add the sink's batch time "
                + "for a real DB); from process start (fork) until the admin client sees a committed offset "
                + "(polled every 10 ms). Includes JVM start, settings, the DLQ topic check, the metrics server, "
                + "joining the group, the first fetch, decoding and the commit.");
        for (int i = 1; i <= repeats; i++) {
            r.add("cold_start_ms", coldStartOnce(kafka));
        }
    }

    private double coldStartOnce(KafkaSettings kafka) throws Exception {
        String group = bench.unique("bench-cold");
        Path log = bench.workDir().resolve(group + ".log");
        long start = System.nanoTime();
        Process p = ChildJvm.start(ChildJvm.CONSUMER_POD_FLAGS, ConsumerMain.class.getName(), List.of(),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "KAFKA_TOPIC", kafka.topic(),
                        "CONSUMER_GROUP", group, "BATCH_PROCESSING_TIME", "0", "BATCH_SIZE", "100",
                        "METRICS_PORT", String.valueOf(FreePort.find())), log);
        try {
            long deadline = start + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> offsets = bench.admin().listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                if (offsets.values().stream().anyMatch(o -> o != null && o.offset() > 0)) {
                    double ms = (System.nanoTime() - start) / 1e6;
                    Bench.log("cold start: first commit after %.0f ms", ms);
                    return ms;
                }
                if (!p.isAlive()) {
                    throw new IOException("ConsumerMain exited early; see " + log + ":\n" + ChildJvm.tail(log));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            throw new IOException("No commit within 60 s; see " + log);
        } finally {
            ChildJvm.stop(p);
        }
    }

    void memory(int repeats) throws Exception {
        Duration measure = bench.quick() ? Duration.ofSeconds(6) : Duration.ofSeconds(30);
        int backlog = bench.quick() ? 100_000 : 500_000;
        int rate = 10_000;
        BenchResults r = bench.results();
        r.goal("consumer_rss_mb", "<= 200", v -> v <= 200);
        r.note("consumer_rss_mb", "peak VmRSS of the consumer process under load");
        r.remark("Memory: ConsumerMain in a child JVM with " + String.join(" ", ChildJvm.CONSUMER_POD_FLAGS)
                + " (the consumer image's flags in its 384Mi limit: a 115 MB max heap, serial GC), owning all "
                + "24 partitions, BATCH_SIZE=500, BATCH_PROCESSING_TIME=0, with a backlog of "
                + String.format("%,d", backlog) + " trades and the producer adding " + String.format("%,d", rate)
                + " msg/s; VmRSS from /proc/<pid>/status every 250 ms for " + measure.toSeconds()
                + " s after the first 3 s; the figure is the peak.");
        for (int i = 1; i <= repeats; i++) {
            r.add("consumer_rss_mb", memoryOnce(measure, backlog, rate));
        }
    }

    private double memoryOnce(Duration measure, int backlog, int rate) throws Exception {
        KafkaSettings kafka = bench.topic("bench-memory");
        bench.produce(kafka, backlog);
        String group = bench.unique("bench-memory");
        Path log = bench.workDir().resolve(group + ".log");
        TradeProducer producer = new TradeProducer(kafka, "bench-memory-load", rate, TradeGenerator.random(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Thread load = new Thread(producer, "memory-load");
        load.start();
        Process p = ChildJvm.start(ChildJvm.CONSUMER_POD_FLAGS, ConsumerMain.class.getName(), List.of(),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "KAFKA_TOPIC", kafka.topic(),
                        "CONSUMER_GROUP", group, "BATCH_PROCESSING_TIME", "0", "BATCH_SIZE", "500",
                        "METRICS_PORT", String.valueOf(FreePort.find())), log);
        try {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3));
            long end = System.nanoTime() + measure.toNanos();
            long peakKb = 0;
            while (System.nanoTime() < end) {
                if (!p.isAlive()) {
                    throw new IOException("ConsumerMain exited; see " + log + ":\n" + ChildJvm.tail(log));
                }
                peakKb = Math.max(peakKb, statusKb(p.pid(), "VmRSS:"));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
            }
            double mb = peakKb / 1024.0;
            Bench.log("memory: peak VmRSS %.1f MB (VmHWM %.1f MB)", mb, statusKb(p.pid(), "VmHWM:") / 1024.0);
            return mb;
        } finally {
            ChildJvm.stop(p);
            producer.close();
            producer.awaitClosed(Duration.ofSeconds(30));
        }
    }

    static long statusKb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException(field + " not found for pid " + pid);
    }

}
