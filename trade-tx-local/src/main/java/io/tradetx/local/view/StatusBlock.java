package io.tradetx.local.view;

import io.tradetx.consumer.pool.ConsumerPool.PodState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders a {@link LiveStatus} as the lines of the live view: a fixed layout, one fact per line. */
public final class StatusBlock {
    /** How many of the latest KEDA and HPA events the view shows when the terminal is tall enough. */
    public static final int EVENT_LINES = 5;
    private static final String LABEL = "%-11s";
    /** Lag levels, lowest first; a partition without lag is a space. */
    private static final String ASCII_LEVELS = ".:-=+*#%@";
    private static final String UNICODE_LEVELS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588";
    private static final int MAX_POD_CHARS = 60;

    private StatusBlock() {
    }

    /** The lines besides the events: the block with its footer is this plus {@code eventLines} tall. */
    public static int fixedLines(LiveStatus s) {
        return render(s, 0, false).size() + footer(s).size();
    }

    /**
     * The block's lines, without line ends; {@code eventLines} lines are reserved for events (blank when there
     * are fewer), so the block keeps its height while the run goes on. The {@link #footer} goes below it.
     */
    public static List<String> render(LiveStatus s, int eventLines, boolean unicode) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "trade-tx local   t=%.1fs   topic %s (%d partitions), group %s",
                s.elapsedSeconds(), s.topic(), s.partitions(), s.group()));
        lines.add(s.scaling().description());
        lines.addAll(s.scaling().hpaRows());
        lines.add(label("PODS") + pods(s.pods()));
        lines.add(label("LAG") + lag(s.partitionLag(), s.lagProblem(), unicode));
        lines.add(label("PRODUCER") + String.format(Locale.ROOT, "target %d msg/s, sending %.0f msg/s",
                s.targetRate(), s.producerRate()));
        lines.add(label("CONSUMERS") + String.format(Locale.ROOT, "processing %.0f msg/s", s.consumerRate()));
        if (s.scaling().scenario() != null) {
            lines.add(label("SCENARIO") + s.scaling().scenario());
        }
        List<String> events = s.scaling().events();
        List<String> shown = events.subList(Math.max(0, events.size() - eventLines), events.size());
        for (int i = 0; i < eventLines; i++) {
            String text = i < shown.size() ? shown.get(i) : i == 0 && s.scaling().hpaRows().isEmpty()
                    ? "(no autoscaling)" : "";
            lines.add(label(i == 0 ? "EVENTS" : "") + text);
        }
        return lines;
    }

    /** Feedback on the last line typed (or a blank line), and how to use the view. */
    public static List<String> footer(LiveStatus s) {
        return List.of(s.note() == null ? "" : s.note(),
                "Type a rate (msg/s) + Enter to change the load; q + Enter or Ctrl-C to stop. Logs: " + s.logFile());
    }

    static String label(String name) {
        return String.format(Locale.ROOT, LABEL, name);
    }

    /** One character per pod ({@code #} ready, {@code +} joining, {@code .} starting, {@code -} draining), then counts. */
    static String pods(List<PodState> pods) {
        StringBuilder chars = new StringBuilder();
        int[] counts = new int[PodState.values().length];
        for (PodState p : pods) {
            counts[p.ordinal()]++;
            if (chars.length() < MAX_POD_CHARS) {
                chars.append(symbol(p));
            }
        }
        if (pods.size() > MAX_POD_CHARS) {
            chars.append("...");
        }
        return String.format(Locale.ROOT, "%-24s  %d ready #, %d joining +, %d starting ., %d draining -",
                chars, counts[PodState.READY.ordinal()], counts[PodState.JOINING.ordinal()],
                counts[PodState.STARTING.ordinal()], counts[PodState.DRAINING.ordinal()]);
    }

    static char symbol(PodState p) {
        return switch (p) {
            case READY -> '#';
            case JOINING -> '+';
            case STARTING -> '.';
            case DRAINING -> '-';
        };
    }

    /** Total and largest partition lag, then one character per partition scaled to the largest. */
    static String lag(List<Long> lags, String problem, boolean unicode) {
        if (lags.isEmpty()) {
            return problem == null ? "not read yet" : "unavailable: " + problem;
        }
        long total = 0;
        long max = 0;
        int maxPartition = 0;
        for (int p = 0; p < lags.size(); p++) {
            total += lags.get(p);
            if (lags.get(p) > max) {
                max = lags.get(p);
                maxPartition = p;
            }
        }
        String levels = unicode ? UNICODE_LEVELS : ASCII_LEVELS;
        StringBuilder spark = new StringBuilder();
        for (long l : lags) {
            spark.append(l <= 0 ? ' '
                    : levels.charAt((int) Math.min(levels.length() - 1, (l * levels.length() - 1) / max)));
        }
        return String.format(Locale.ROOT, "%d total, max %d (partition %d)   [%s]", total, max, maxPartition, spark);
    }
}
