package io.tradetx.lab.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the measured part of docs/benchmarks.md: machine, versions, the command, and per figure the
 * median, min-max and goal; the analysis of the figures is prose in the same file, outside that part.
 */
final class BenchReport {
    /** The lines around the part of docs/benchmarks.md that the bench writes; the rest is written by hand. */
    static final String BEGIN = "<!-- Written by ./trade-tx bench from here to the end marker; edit the text after it. -->";
    static final String END = "<!-- End of the part written by ./trade-tx bench. -->";
    /** Where the figures are explained: what limits a missed goal, the notes, the codec decision. */
    static final String ANALYSIS = "docs/benchmarks.md, \"What limits the figures\"";

    private BenchReport() {
    }

    static String markdown(BenchResults results, String command, int repeat, boolean quick, double minutes,
                           String load) {
        StringBuilder md = new StringBuilder();
        md.append(BEGIN).append("\n\n");
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
                            .append(" (goal ").append(goal.text()).append("): see ").append(ANALYSIS).append('\n');
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
        return md.append('\n').append(END).toString();
    }

    /**
     * The report file with the measured part replaced: between {@link #BEGIN} and {@link #END} when the
     * existing file has them (docs/benchmarks.md keeps its hand-written analysis), else a new file.
     */
    static String merge(String existing, String measured) {
        int begin = existing == null ? -1 : existing.indexOf(BEGIN);
        int end = existing == null ? -1 : existing.indexOf(END);
        if (begin >= 0 && end > begin) {
            return existing.substring(0, begin) + measured + existing.substring(end + END.length());
        }
        return "# Benchmarks\n\n" + measured + "\n\nWhat the figures mean and what limits them: " + ANALYSIS + ".\n";
    }
}
