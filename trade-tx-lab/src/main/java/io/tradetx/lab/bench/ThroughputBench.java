package io.tradetx.lab.bench;

import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.trade.Trade;
import io.tradetx.common.trade.TradeJson;
import io.tradetx.producer.TradeGenerator;
import io.tradetx.testkit.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parts 1 and 2: our consumer and producer against Kafka's ConsumerPerformance and
 * ProducerPerformance, each in its own child JVM with the same flags, on the same broker and data.
 */
final class ThroughputBench {
    /**
     * BATCH_SIZE of the consumer benchmark: with BATCH_PROCESSING_TIME=0 the batch size only sets how
     * often the poll thread hands work to the worker; 2000 makes that cost negligible while a batch
     * (~400 KB) stays small next to the heap. It is also max.poll.records.
     */
    static final int CONSUMER_BATCH_SIZE = 2000;
    /** The producer settings of KafkaClientProperties.producer, given to ProducerPerformance as well. */
    static final List<String> PRODUCER_PROPS = List.of("acks=all", "enable.idempotence=true",
            "compression.type=lz4", "linger.ms=5", "batch.size=65536", "buffer.memory=33554432");
    /** The accounts ACC1000..ACC9999 the trade generator keys by. */
    static final int KEY_RANGE = 9000;

    private final Bench bench;

    ThroughputBench(Bench bench) {
        this.bench = bench;
    }

    void consumer(int repeats) throws Exception {
        long n = bench.quick() ? 200_000 : 2_000_000;
        KafkaSettings kafka = bench.topic("bench-consume");
        Bench.log("consumer: writing %,d trades to %s (24 partitions)...", n, kafka.topic());
        long t0 = System.nanoTime();
        bench.produce(kafka, n);
        Bench.log("consumer: written in %.1f s", (System.nanoTime() - t0) / 1e9);
        BenchResults r = bench.results();
        r.goal("consumer_vs_kafka_perf", ">= 0.9", v -> v >= 0.9);
        r.note("consumer_msgs_per_s", "our MicrobatchConsumer, BATCH_SIZE=" + CONSUMER_BATCH_SIZE
                + ", BATCH_PROCESSING_TIME=0, JSON decoding, " + String.format("%,d", n) + " records");
        r.note("kafka_consumer_perf_msgs_per_s", "kafka-tools ConsumerPerformance, same topic, own fresh group");
        r.note("consumer_cpu_us_per_msg", "CPU time (user + system) of our consumer JVM per record, start to exit");
        r.note("kafka_consumer_perf_cpu_us_per_msg", "the same for ConsumerPerformance's JVM");
        r.remark("Consumer throughput: " + String.format("%,d", n) + " trades (~" + avgSize() + " B JSON values, "
                + "account keys, lz4) in a 24-partition topic, read " + repeats + " times by each side with a "
                + "fresh group; both in a child JVM with " + String.join(" ", ChildJvm.POD_FLAGS)
                + "; our consumer: BATCH_SIZE=" + CONSUMER_BATCH_SIZE + " (also max.poll.records), "
                + "BATCH_TIMEOUT_SECONDS=0.1, BATCH_PROCESSING_TIME=0, read_committed, JSON decode + validate of "
                + "every record, metrics, offsets committed after each batch; ConsumerPerformance: its defaults "
                + "(max.poll.records=500, no decoding, no commits). Both time from subscribe to the last record.");
        for (int i = 1; i <= repeats; i++) {
            double ours = ourConsumer(kafka, n);
            double theirs = kafkaConsumer(kafka, n);
            r.add("consumer_msgs_per_s", ours);
            r.add("kafka_consumer_perf_msgs_per_s", theirs);
            r.add("consumer_vs_kafka_perf", ours / theirs);
        }
    }

    private double ourConsumer(KafkaSettings kafka, long n) throws Exception {
        Path log = bench.workDir().resolve(bench.unique("our-consumer") + ".log");
        Process p = ChildJvm.start(ChildJvm.POD_FLAGS, BenchConsumerMain.class.getName(), List.of(String.valueOf(n)),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "KAFKA_TOPIC", kafka.topic(),
                        "CONSUMER_GROUP", bench.unique("bench-ours"), "BATCH_SIZE", String.valueOf(CONSUMER_BATCH_SIZE),
                        "BATCH_PROCESSING_TIME", "0", "BATCH_TIMEOUT_SECONDS", "0.1"), log);
        ChildJvm.Finished f = ChildJvm.awaitWithCpu(p, 600, log);
        String out = f.output();
        bench.results().add("consumer_cpu_us_per_msg", f.cpuMillis() * 1000 / n);
        double messages = Bench.field(out, "BENCH ", "messages");
        double ms = Bench.field(out, "BENCH ", "elapsed_ms");
        if (messages < n) {
            throw new IOException("Our consumer stored only " + messages + " of " + n + "; see " + log);
        }
        return n / (ms / 1000.0);
    }

    private double kafkaConsumer(KafkaSettings kafka, long n) throws Exception {
        Path log = bench.workDir().resolve(bench.unique("kafka-consumer-perf") + ".log");
        Process p = ChildJvm.start(ChildJvm.POD_FLAGS, "org.apache.kafka.tools.ConsumerPerformance",
                List.of("--bootstrap-server", kafka.bootstrapServers(), "--topic", kafka.topic(),
                        "--num-records", String.valueOf(n), "--group", bench.unique("bench-kafka"),
                        "--timeout", "60000"), Map.of(), log);
        ChildJvm.Finished f = ChildJvm.awaitWithCpu(p, 600, log);
        String out = f.output();
        bench.results().add("kafka_consumer_perf_cpu_us_per_msg", f.cpuMillis() * 1000 / n);
        // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...
        for (String line : out.split("\n")) {
            String[] cols = line.split(",\\s*");
            if (cols.length >= 6 && cols[0].matches("\\d{4}-.*")) {
                long read = Long.parseLong(cols[4].trim());
                if (read < n) {
                    throw new IOException("ConsumerPerformance read only " + read + " of " + n + "; see " + log);
                }
                return Double.parseDouble(cols[5].trim());
            }
        }
        throw new IOException("No result line from ConsumerPerformance; see " + log + ":\n" + out);
    }

    void producer(int repeats) throws Exception {
        long n = bench.quick() ? 300_000 : 1_000_000;
        Path payloads = payloadFile();
        BenchResults r = bench.results();
        r.goal("producer_vs_kafka_perf", ">= 0.9", v -> v >= 0.9);
        r.note("producer_msgs_per_s", "our TradeProducer + TradeGenerator at MESSAGES_PER_SECOND=1000000, acks/s");
        r.note("kafka_producer_perf_msgs_per_s", "kafka-tools ProducerPerformance, same record values and settings");
        r.note("producer_cpu_us_per_msg", "CPU time (user + system) of our producer JVM per record, start to exit");
        r.note("kafka_producer_perf_cpu_us_per_msg", "the same for ProducerPerformance's JVM");
        r.remark("Producer throughput: " + String.format("%,d", n) + " records per run into a fresh 24-partition "
                + "topic, each side in a child JVM with " + String.join(" ", ChildJvm.POD_FLAGS) + " and the same "
                + "client settings (" + String.join(" ", PRODUCER_PROPS) + "); ours generates and JSON-encodes "
                + "each trade and keys it by account; ProducerPerformance sends values drawn from 10,000 trades "
                + "encoded the same way (--payload-file, same sizes) with random keys in [0, " + KEY_RANGE
                + ") (--key-distribution random), so both spread over all partitions. Timed from the first send "
                + "until all " + String.format("%,d", n) + " are acknowledged.");
        for (int i = 1; i <= repeats; i++) {
            double ours = ourProducer(n);
            double theirs = kafkaProducer(n, payloads);
            r.add("producer_msgs_per_s", ours);
            r.add("kafka_producer_perf_msgs_per_s", theirs);
            r.add("producer_vs_kafka_perf", ours / theirs);
        }
    }

    private double ourProducer(long n) throws Exception {
        KafkaSettings kafka = bench.topic("bench-produce-ours");
        Path log = bench.workDir().resolve(bench.unique("our-producer") + ".log");
        Process p = ChildJvm.start(ChildJvm.POD_FLAGS, BenchProducerMain.class.getName(), List.of(String.valueOf(n)),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "KAFKA_TOPIC", kafka.topic(),
                        "MESSAGES_PER_SECOND", "1000000"), log);
        ChildJvm.Finished f = ChildJvm.awaitWithCpu(p, 600, log);
        String out = f.output();
        bench.results().add("producer_cpu_us_per_msg", f.cpuMillis() * 1000 / n);
        double ms = Bench.field(out, "BENCH ", "elapsed_ms");
        if (Bench.field(out, "BENCH ", "messages") < n) {
            throw new IOException("Our producer did not get " + n + " acks; see " + log);
        }
        return n / (ms / 1000.0);
    }

    private double kafkaProducer(long n, Path payloads) throws Exception {
        KafkaSettings kafka = bench.topic("bench-produce-kafka");
        Path log = bench.workDir().resolve(bench.unique("kafka-producer-perf") + ".log");
        List<String> args = new ArrayList<>(List.of("--topic", kafka.topic(), "--num-records", String.valueOf(n),
                "--throughput", "-1", "--payload-file", payloads.toString(), "--key-distribution", "random",
                "--record-key-range", String.valueOf(KEY_RANGE), "--random-seed", String.valueOf(System.nanoTime()),
                "--bootstrap-server", kafka.bootstrapServers(), "--command-property"));
        args.addAll(PRODUCER_PROPS);
        Process p = ChildJvm.start(ChildJvm.POD_FLAGS, "org.apache.kafka.tools.ProducerPerformance", args, Map.of(),
                log);
        ChildJvm.Finished f = ChildJvm.awaitWithCpu(p, 600, log);
        String out = f.output();
        bench.results().add("kafka_producer_perf_cpu_us_per_msg", f.cpuMillis() * 1000 / n);
        // "N records sent, X records/sec (Y MB/sec), ..." is the last summary line.
        String last = null;
        for (String line : out.split("\n")) {
            if (line.contains(" records sent, ") && line.contains("records/sec")) {
                last = line;
            }
        }
        if (last == null) {
            throw new IOException("No result line from ProducerPerformance; see " + log + ":\n" + out);
        }
        long sent = Long.parseLong(last.substring(0, last.indexOf(' ')).trim());
        if (sent < n) {
            throw new IOException("ProducerPerformance sent only " + sent + "; see " + log);
        }
        String afterComma = last.substring(last.indexOf(", ") + 2);
        return Double.parseDouble(afterComma.substring(0, afterComma.indexOf(' ')));
    }

    private Path payloadFile() throws IOException {
        Path file = bench.workDir().resolve("trade-payloads.txt");
        TradeGenerator generator = TradeGenerator.random();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            Trade t = generator.next(Instant.now());
            sb.append(new String(TradeJson.encode(t), StandardCharsets.UTF_8)).append('\n');
        }
        Files.writeString(file, sb);
        return file;
    }

    static int avgSize() {
        TradeGenerator generator = new TradeGenerator(1, false);
        long total = 0;
        for (int i = 0; i < 1000; i++) {
            total += TradeJson.encode(generator.next(Instant.now())).length;
        }
        return (int) (total / 1000);
    }
}
