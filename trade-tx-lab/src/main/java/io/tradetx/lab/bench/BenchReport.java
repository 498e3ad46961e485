package io.tradetx.lab.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes docs/benchmarks.md: machine, versions, the command, and per figure the median, min-max and goal. */
final class BenchReport {
    /**
     * What limits a figure when its goal is missed, from profiling on the 2-core reference machine;
     * printed under the table for every missed goal.
     */
    static final Map<String, String> LIMITS = Map.of(
            "consumer_vs_kafka_perf", "CPU. Both tools run on the same 2 cores as the broker (and, here, other "
                    + "jobs: see the load average), so throughput follows CPU time per record: compare "
                    + "`consumer_cpu_us_per_msg` with `kafka_consumer_perf_cpu_us_per_msg`. ConsumerPerformance only "
                    + "fetches and counts bytes; ours also deserializes the String key, JSON-decodes and validates "
                    + "every record, records its age in a histogram, hands batches from the poll thread to the worker, "
                    + "commits offsets, and the JIT compiles all of that within the run (C2 took ~10 % of the machine "
                    + "in the JFR profile). Profiling found and fixed a lost wake-up between worker and poll thread "
                    + "that cost up to 100 ms per batch (33 k msg/s before). Decoding is Jackson's streaming parser, "
                    + "Instant.parse and the validation, ~2.4 µs per record with the full JIT (see Codec below: a "
                    + "hand-written fast path made it ~0.4 µs and was removed on purpose). In "
                    + "the JFR allocation profile most bytes are the Kafka client's own (record value copies, "
                    + "buffers), then our decoded Strings, Trade and ConsumedTrade objects; the JIT compiled for "
                    + "~7 s of compiler-thread time within a run of a few seconds, a warm-up ConsumerPerformance "
                    + "barely has, so a longer run narrows the gap. What is left is the decoding and bookkeeping "
                    + "the app exists for; on machines with spare cores the worker runs in parallel with the poll "
                    + "thread. Further levers, not taken here: a byte[] key deserializer (the key is unused), "
                    + "recording message age once per batch, and reusing decode buffers.",
            "producer_vs_kafka_perf", "CPU, on the single send thread: compare `producer_cpu_us_per_msg` with "
                    + "`kafka_producer_perf_cpu_us_per_msg`. ProducerPerformance sends pre-built byte arrays; ours "
                    + "generates every trade (random fields, a BigDecimal price, Instant.now()), encodes it to JSON "
                    + "and serializes its String key before the same Kafka client work (partitioning, lz4, batching, "
                    + "idempotence). A trade costs ~0.4 µs to generate and encode when warm; the rest is the JIT and "
                    + "contention with the broker and the network thread on 2 cores.",
            "cold_start_ms", "JVM start-up on a busy 2-core machine: class loading and interpretation of the Kafka "
                    + "client, Micrometer and Jackson before the JIT catches up take most of it; the group join and "
                    + "first fetch are a few hundred ms. It is well inside the 90 s the seed allows before readiness; "
                    + "Class Data Sharing (an AppCDS archive built into the image) is the usual lever.",
            "consumer_rss_mb", "Not the live data (batches are a few MB) but what the JVM commits around it. Native Memory "
                    + "Tracking of the consumer under load: Java heap ~100 MB committed, G1's own structures ~42 MB "
                    + "(the JVM sees 2 CPUs, so it picks G1 even at 384 MiB), metaspace + class space + code cache ~50 "
                    + "MB, plus thread stacks and malloc arenas outside NMT. Single runs with extra flags on the same "
                    + "load: -XX:MaxRAMPercentage=50 279 MB (no change), -Xmx128m 269 MB, -XX:+UseSerialGC "
                    + "-XX:MaxRAMPercentage=50 215 MB. So the collector's overhead and heap sizing, not the code, set "
                    + "this figure; adding -XX:+UseSerialGC (one worker thread needs no parallel collector) and a "
                    + "smaller heap to JAVA_TOOL_OPTIONS is the lever, then trimming metaspace (the MSK IAM/AWS SDK "
                    + "classes load even for PLAINTEXT). The 384Mi limit itself is safe.",
            "rebalance_unmoved_extra_gap_ms_cooperative_grow", "see the rebalance note below.",
            "rebalance_unmoved_extra_gap_ms_cooperative_shrink", "see the rebalance note below.",
            "rebalance_unmoved_extra_gap_ms_kip848_grow", "see the rebalance note below.",
            "rebalance_unmoved_extra_gap_ms_kip848_shrink", "see the rebalance note below.");

    private BenchReport() {
    }

    static String markdown(BenchResults results, String command, int repeat, boolean quick, double minutes,
                           String load) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Written by `").append(command).append("` on ").append(BenchRun.today()).append(" (")
                .append(String.format(Locale.ROOT, "%.1f", minutes)).append(" min").append(quick ? ", --quick" : "")
                .append("). Each figure is the median of ").append(repeat).append(" run").append(repeat > 1 ? "s" : "")
                .append(" with min–max; ratios are computed within each run (ours and Kafka's tool back to back on ")
                .append("the same broker and data) and then the median taken.\n\n");
        md.append("- Machine: ").append(BenchRun.machine()).append('\n');
        md.append("- Java: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" (").append(System.getProperty("java.vendor"))
                .append("), the same for the bench, the child JVMs and the broker\n");
        md.append("- Kafka: ").append(BenchRun.kafkaVersion())
                .append(" (clients, a single-node KRaft broker started by the bench in its own JVM, kafka-tools)\n");
        md.append("- Load average (1 / 5 / 15 min): ").append(load)
                .append(" — anything above 2 means other processes shared the 2 cores during the run\n");
        md.append("- Command: `").append(command).append("`\n\n");
        md.append("| Figure | Median | Min – max | Runs | Goal | Met |\n");
        md.append("|---|---:|---:|---:|---|---|\n");
        Map<String, List<Double>> values = results.values();
        StringBuilder missed = new StringBuilder();
        values.forEach((name, v) -> {
            double median = BenchResults.median(v);
            BenchResults.Goal goal = results.goalOf(name);
            String met = "";
            if (goal != null) {
                boolean ok = goal.met().test(median);
                met = ok ? "yes" : "**no**";
                if (!ok) {
                    missed.append("- `").append(name).append("` = ").append(BenchResults.format(median))
                            .append(" (goal ").append(goal.text()).append("): ")
                            .append(LIMITS.getOrDefault(name, "see the notes below.")).append('\n');
                }
            }
            md.append("| `").append(name).append("` | ").append(BenchResults.format(median)).append(" | ")
                    .append(BenchResults.format(BenchResults.min(v))).append(" – ")
                    .append(BenchResults.format(BenchResults.max(v))).append(" | ").append(v.size()).append(" | ")
                    .append(goal == null ? "" : goal.text()).append(" | ").append(met).append(" |\n");
        });
        md.append("\nUnits: `_msgs_per_s` messages per second, `_ms` milliseconds, `_pct` percent, `_mb` MiB; "
                + "`_vs_kafka_perf` is ours / Kafka's tool.\n");
        if (missed.length() > 0) {
            md.append("\n## Goals missed and what limits them\n\n").append(missed);
        }
        md.append("\n## How each figure is measured\n\n");
        for (String r : results.remarks()) {
            md.append("- ").append(r).append('\n');
        }
        StringBuilder notes = new StringBuilder();
        values.keySet().forEach(name -> {
            String n = results.noteOf(name);
            if (n != null) {
                notes.append("- `").append(name).append("`: ").append(n).append('\n');
            }
        });
        if (notes.length() > 0) {
            md.append("\n## Figures\n\n").append(notes);
        }
        md.append(BenchReport.FOOTER);
        return md.toString();
    }

    static final String FOOTER = """

            ## Notes

            - Rebalance: with cooperative-sticky and KIP-848 the members that keep a partition never stop
              processing it; their longest gap stays at the normal inter-batch gap, and the 100 ms allowance
              only absorbs scheduling jitter (eight consumers start in the bench process on 2 cores). Under
              eager every member revokes everything, so all partitions pause for the rebalance; when the group
              grows from a single member that pause is short, because only that member has to rejoin. Moved
              partitions pause for the hand-over in every protocol; under KIP-848 that includes the broker's
              heartbeat interval (5 s by default), so moves are slower but nothing else stops.
            - The figures depend on the machine being otherwise idle; the load average above tells how far it
              was from that. Ratios are taken within a run so both sides share the same conditions.
            - Changes made from profiling (JFR, `TRADE_TX_BENCH_CHILD_OPTS=-XX:StartFlightRecording=...` passes
              flags to the child JVMs): MicrobatchConsumer no longer loses the worker's wake-up (a finished batch
              waited up to 100 ms for the next poll to time out); batch bookkeeping adds one offset and one
              partition per run of records instead of per record. (A TradeJson fast path from that round is
              gone again: see Codec.)
            - Right after a topic is created the broker can answer NOT_LEADER_OR_FOLLOWER; an idempotent producer
              that starts sending at that moment was seen retrying OUT_OF_ORDER_SEQUENCE_NUMBER for good (Kafka
              4.4.0). The bench waits for every partition's leader before it produces.

            ## Codec: Jackson only

            TradeJson reads and writes trades with Jackson's streaming API only. A hand-written fast path
            (bytes straight to fields, and its own timestamp parser) made decoding about five times cheaper,
            but the two decoders did not agree on every input, and keeping both would need a differential test
            over a million inputs with every change. Measured A/B on 2026-11-28 with the same harnesses
            (`bench --only codec`, which runs `CodecBenchMain`, and `bench --only consumer`, interleaved old,
            new, old, new) against trade-tx-common before (commit 26aa15f) and after; the 2 cores were shared
            with other jobs (load average 4 to 16), so CPU time is reported, not wall time:

            | CPU per message | fast path | Jackson only |
            |---|---:|---:|
            | decode, full JIT (C2) | 0.42 to 0.58 µs | 2.4 to 3.1 µs |
            | decode, the consumer image's flags (C1 only) | 1.2 to 1.4 µs | 5.7 to 8.5 µs |
            | generate + encode, full JIT | 0.44 to 0.58 µs | 1.3 to 1.6 µs |
            | the whole consumer JVM at full speed (`bench --only consumer`, two runs each) | 5.8, 6.0 µs | 10.6, 13.1 µs |

            At the rate this system runs, about 100 msg/s per pod (BATCH_SIZE 100, one batch per second),
            Jackson-only decoding takes at most 100 x 8.5 µs = 0.85 ms of CPU per second, under 0.1 % of one
            core (`codec_decode_cpu_pct_at_100_msgs`: 0.057 and 0.085 in two runs); a pod catching up at
            2,000 msg/s spends under 2 %. The fast path pays off only at hundreds of thousands of messages per
            second on one pod, which is where it lifted `consumer_vs_kafka_perf` (0.38 with it, 0.18 to 0.35
            without it in the A/B runs). Decision: one decoder. To repeat the A/B, build trade-tx-common of
            commit 26aa15f in another checkout (OLD) and put its classes first on the classpath of the same
            command (`CodecBenchMain` calls only TradeJson and TradeGenerator):
            `java -cp "trade-tx-cli/target/trade-tx-cli-1.0.0-SNAPSHOT.jar:OLD/trade-tx-common/target/classes:$(cat trade-tx-cli/target/runtime-classpath.txt)" io.tradetx.cli.TradeTxCli bench --only codec,consumer --repeat 1 --output /tmp/before.md`.
            """;
}
