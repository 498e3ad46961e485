package io.tradetx.lab.bench;

import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.testkit.LocalKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.internals.AppInfoParser;

/** One {@code trade-tx bench} run: the chosen parts on a local (or given) broker, then the report. */
public final class BenchRun {
    public static final List<String> PARTS = List.of("codec", "consumer", "producer", "rate", "rebalance", "coldstart",
            "memory");

    private BenchRun() {
    }

    /** Runs {@code parts} {@code repeat} times each and writes the report, naming {@code command} as its source. */
    public static void run(Set<String> parts, int repeat, boolean quick, String bootstrapServers, Path report,
                           String command) throws Exception {
        Path work = Files.createTempDirectory("trade-tx-bench-");
        BenchResults results = new BenchResults();
        LocalKafkaBroker broker = null;
        long started = System.nanoTime();
        String loadBefore = loadAverage();
        try {
            String bootstrap = bootstrapServers;
            if (bootstrap == null) {
                Bench.log("Starting a local Kafka broker (KRaft, single node)...");
                broker = LocalKafkaBroker.start();
                bootstrap = broker.bootstrapServers();
            }
            try (Admin admin = Admin.create(KafkaClientProperties.admin(
                    KafkaSettings.local(bootstrap, "unused", Bench.PARTITIONS), "bench-admin"))) {
                Bench bench = new Bench(bootstrap, admin, work, quick, results);
                for (String part : PARTS) {
                    if (!parts.contains(part)) {
                        continue;
                    }
                    Bench.log("== %s (%d runs%s) ==", part, repeat, quick ? ", quick" : "");
                    switch (part) {
                        case "codec" -> new CodecBench(bench).run(repeat);
                        case "consumer" -> new ThroughputBench(bench).consumer(repeat);
                        case "producer" -> new ThroughputBench(bench).producer(repeat);
                        case "rate" -> new RateBench(bench).run(repeat);
                        case "rebalance" -> new RebalanceBench(bench).run(repeat);
                        case "coldstart" -> new ProcessBench(bench).coldStart(repeat);
                        case "memory" -> new ProcessBench(bench).memory(repeat);
                        default -> throw new IllegalStateException(part);
                    }
                }
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
        results.printResults();
        Files.createDirectories(report.toAbsolutePath().getParent());
        String measured = BenchReport.markdown(results, command, repeat, quick,
                (System.nanoTime() - started) / 60e9, loadBefore + " at the start, " + loadAverage() + " at the end");
        Files.writeString(report, BenchReport.merge(Files.isRegularFile(report) ? Files.readString(report) : null,
                measured));
        Bench.log("Report written to %s (child JVM logs in %s)", report, work);
    }

    static String kafkaVersion() {
        return AppInfoParser.getVersion();
    }

    static String machine() {
        String cpu = "unknown CPU";
        long memKb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: leave the defaults
        }
        return String.format(Locale.ROOT, "%d cores (%s), %.1f GiB RAM, %s %s", Runtime.getRuntime()
                        .availableProcessors(), cpu, memKb / 1048576.0, System.getProperty("os.name"),
                System.getProperty("os.version"));
    }

    /** The 1, 5 and 15 minute load averages: other work on the machine skews every figure. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String today() {
        return LocalDate.now().toString();
    }
}
