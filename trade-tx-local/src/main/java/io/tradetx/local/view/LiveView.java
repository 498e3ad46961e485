package io.tradetx.local.view;

import io.micrometer.core.instrument.Counter;
import io.tradetx.local.run.GroupLagReader;
import io.tradetx.local.run.LocalRun;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The status block of a local run on a terminal, refreshed in place twice a second from the run's main loop:
 * the {@code kubectl get hpa} row, the pods and their state, the lag, the producer's and consumers' rates, the
 * scenario and the latest scaling events.
 */
public final class LiveView {
    private static final long REFRESH_MILLIS = 500;
    private static final long LAG_READ_MILLIS = 1000;
    /** Rates are averaged over this window: long enough to smooth 1 s batches, short enough to follow a change. */
    private static final long RATE_WINDOW_NANOS = 3_000_000_000L;

    private final TerminalScreen screen;
    private final boolean unicode;
    private final LocalRun.RunContext ctx;
    private final LocalRun.Scaling scaling;
    private final Path logFile;
    /** {nanoTime, acknowledged by the broker, stored by the consumers}. */
    private final ArrayDeque<double[]> samples = new ArrayDeque<>();
    private volatile String note;
    private volatile boolean dirty;
    private volatile boolean resized;
    private long lastRefresh = Long.MIN_VALUE / 2;
    private long lastLagRead = Long.MIN_VALUE / 2;
    private List<Long> lag = List.of();
    private String lagProblem;
    private LiveStatus last;

    LiveView(TerminalScreen screen, boolean unicode, LocalRun.RunContext ctx, LocalRun.Scaling scaling,
             Path logFile) {
        this.screen = screen;
        this.unicode = unicode;
        this.ctx = ctx;
        this.scaling = scaling;
        this.logFile = logFile;
    }

    void open() {
        try {
            Signal.handle(new Signal("WINCH"), signal -> resized = true);
        } catch (IllegalArgumentException unsupported) {
            // no SIGWINCH here: the size read at start stays
        }
        screen.open();
    }

    /** Called from the run's main loop about every 100 ms; redraws at most twice a second, or after input. */
    public void tick(long elapsedMillis) {
        if (resized) {
            resized = false;
            int[] size = Terminal.size();
            screen.resize(size[0], size[1]);
            dirty = true;
        }
        if (!dirty && elapsedMillis - lastRefresh < REFRESH_MILLIS) {
            return;
        }
        dirty = false;
        lastRefresh = elapsedMillis;
        if (elapsedMillis - lastLagRead >= LAG_READ_MILLIS) {
            lastLagRead = elapsedMillis;
            readLag();
        }
        last = snapshot(elapsedMillis);
        int eventLines = Math.max(0, Math.min(StatusBlock.EVENT_LINES,
                screen.blockRows() - StatusBlock.fixedLines(last)));
        List<String> lines = new ArrayList<>(StatusBlock.render(last, eventLines, unicode));
        lines.addAll(StatusBlock.footer(last));
        screen.draw(lines);
    }

    /** A line was typed: show {@code feedback} (null for none) and a fresh prompt. Any thread. */
    public void entered(String feedback) {
        if (feedback != null) {
            note = feedback;
        }
        dirty = true;
        screen.prompt();
    }

    /** Leaves the view and prints its last state on the shell's screen, without the typing hints. */
    void close() {
        try {
            Signal.handle(new Signal("WINCH"), SignalHandler.SIG_DFL);
        } catch (IllegalArgumentException unsupported) {
            // never installed
        }
        screen.close(last == null ? List.of() : StatusBlock.render(last, StatusBlock.EVENT_LINES, unicode));
    }

    private void readLag() {
        try {
            List<Long> lags = new ArrayList<>();
            for (GroupLagReader.PartitionLag l : ctx.lag().read()) {
                lags.add(l.lag());
            }
            lag = lags;
            lagProblem = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            lag = List.of();
            lagProblem = e.getMessage();
        }
    }

    private LiveStatus snapshot(long elapsedMillis) {
        long now = System.nanoTime();
        double stored = ctx.registry().find("kafka.messages.processed").tag("status", "success").counters().stream()
                .mapToDouble(Counter::count).sum();
        samples.addLast(new double[] {now, ctx.producer().acknowledged(), stored});
        while (samples.size() > 2 && now - samples.peekFirst()[0] > RATE_WINDOW_NANOS) {
            samples.pollFirst();
        }
        double[] first = samples.peekFirst();
        double seconds = (now - first[0]) / 1e9;
        double producerRate = seconds > 0 ? (ctx.producer().acknowledged() - first[1]) / seconds : 0;
        double consumerRate = seconds > 0 ? (stored - first[2]) / seconds : 0;
        return new LiveStatus(elapsedMillis / 1000.0, ctx.kafka().topic(), ctx.kafka().topicPartitions(),
                ctx.consumer().consumerGroup(), scaling.display(elapsedMillis, StatusBlock.EVENT_LINES),
                ctx.pool().podStates(), lag, lagProblem, ctx.producer().rate(), producerRate, consumerRate, note,
                logFile.toString());
    }

    /** The feedback line for a rate typed at {@code elapsedMillis}. */
    public static String rateSet(int rate, long elapsedMillis) {
        return String.format(Locale.ROOT, "t=%.1fs: producer rate set to %d msg/s (./deploy-producer.sh %d)",
                elapsedMillis / 1000.0, rate, rate);
    }
}
