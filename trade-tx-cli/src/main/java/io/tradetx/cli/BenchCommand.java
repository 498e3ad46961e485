package io.tradetx.cli;

import io.tradetx.lab.bench.BenchRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trade-tx bench}: the apps against Kafka's own tools and the speed and memory goals, on a real local broker. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Benchmark the apps against Kafka's own perf tools on a local broker.",
        description = {"Benchmark the consumer and producer on a real local Kafka broker against Kafka's own",
            "ConsumerPerformance / ProducerPerformance, plus rate accuracy, rebalance stalls, cold start and memory.",
            "Prints one line per figure, RESULT name=value (the median of the repeats), and writes a report."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--only", split = ",", paramLabel = "PART",
            description = "Parts to run, comma-separated: codec, consumer, producer, rate, rebalance, coldstart, "
                    + "memory (default: all).")
    List<String> only;

    @Option(names = "--repeat", defaultValue = "3", parameterConsumer = RangeCheck.class,
            description = "Runs of each part (default ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 20)
    int repeat;

    @Option(names = "--quick", description = "A short CI-sized run: less data, 5 s rate windows.")
    boolean quick;

    @Option(names = "--output", description = "The report to write (default: docs/benchmarks.md in the project, whose part"
            + " between the bench's markers is replaced; the analysis around it stays).")
    Path output;

    @Option(names = "--bootstrap-servers", description = "Use this broker instead of starting a local one.")
    String bootstrapServers;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Set<String> parts = new LinkedHashSet<>(only == null || only.isEmpty() ? BenchRun.PARTS : only);
        for (String p : parts) {
            if (!BenchRun.PARTS.contains(p)) {
                System.err.println("Invalid option: --only=" + p + " must be one of "
                        + String.join(", ", BenchRun.PARTS));
                return 2;
            }
        }
        Path report = output != null ? output : projectHome().resolve("docs").resolve("benchmarks.md");
        List<String> args = new ArrayList<>(spec == null ? List.of()
                : spec.commandLine().getParseResult().originalArgs());
        if (!args.isEmpty() && args.get(0).equals("bench")) {
            args.remove(0); // the whole command line when run through TradeTxCli
        }
        String command = ("./trade-tx bench " + String.join(" ", args)).stripTrailing();
        BenchRun.run(parts, repeat, quick, bootstrapServers, report, command);
        return 0;
    }

    /** The project directory: the launcher's -Dtradetx.home, else the working directory. */
    static Path projectHome() {
        String home = System.getProperty("tradetx.home");
        return Path.of(home != null ? home : "").toAbsolutePath();
    }
}
