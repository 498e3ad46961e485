package io.tradetx.local.bench;

import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.local.broker.LocalKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.internals.AppInfoParser;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trade-tx bench}: the apps against Kafka's own tools and the goals of issue 7, on a real local broker. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Benchmark the apps against Kafka's own perf tools on a local broker.",
        description = {"Benchmark the consumer and producer on a real local Kafka broker against Kafka's own",
            "ConsumerPerformance / ProducerPerformance, plus rate accuracy, rebalance stalls, cold start and memory.",
            "Prints one line per figure, RESULT name=value (the median of the repeats), and writes a report."})
public final class BenchCommand implements Callable<Integer> {
    static final List<String> PARTS = List.of("codec", "consumer", "producer", "rate", "rebalance", "coldstart",
            "memory");

    @Option(names = "--only", split = ",", paramLabel = "PART",
            description = "Parts to run, comma-separated: codec, consumer, producer, rate, rebalance, coldstart, "
                    + "memory (default: all).")
    List<String> only;

    @Option(names = "--repeat", defaultValue = "3", description = "Runs of each part (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--quick", description = "A short CI-sized run: less data, 5 s rate windows.")
    boolean quick;

    @Option(names = "--output", description = "The report to write (default: docs/benchmarks.md in the project, whose part between"
            + " the bench's markers is replaced; the analysis around it stays).")
    Path output;

    @Option(names = "--bootstrap-servers", description = "Use this broker instead of starting a local one.")
    String bootstrapServers;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Set<String> parts = new LinkedHashSet<>(only == null || only.isEmpty() ? PARTS : only);
        for (String p : parts) {
            if (!PARTS.contains(p)) {
                System.err.println("Invalid option: --only=" + p + " must be one of " + String.join(", ", PARTS));
                return 2;
            }
        }
        if (repeat < 1 || repeat > 20) {
            System.err.println("Invalid option: --repeat=" + repeat + " must be from 1 to 20");
            return 2;
        }
        Path report = output != null ? output : projectHome().resolve("docs").resolve("benchmarks.md");
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
        List<String> args = new ArrayList<>(spec == null ? List.of()
                : spec.commandLine().getParseResult().originalArgs());
        if (!args.isEmpty() && args.get(0).equals("bench")) {
            args.remove(0); // the whole command line when run through TradeTxCli
        }
        String command = ("./trade-tx bench " + String.join(" ", args)).stripTrailing();
        Files.createDirectories(report.toAbsolutePath().getParent());
        String measured = BenchReport.markdown(results, command, repeat, quick,
                (System.nanoTime() - started) / 60e9, loadBefore + " at the start, " + loadAverage() + " at the end");
        Files.writeString(report, BenchReport.merge(Files.isRegularFile(report) ? Files.readString(report) : null,
                measured));
        Bench.log("Report written to %s (child JVM logs in %s)", report, work);
        return 0;
    }

    /** The project directory: the launcher's -Dtradetx.home, else the working directory. */
    static Path projectHome() {
        String home = System.getProperty("tradetx.home");
        return Path.of(home != null ? home : "").toAbsolutePath();
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
