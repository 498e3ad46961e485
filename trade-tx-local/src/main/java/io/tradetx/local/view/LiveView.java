package io.tradetx.local.view;

import io.tradetx.local.run.LocalRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The status block of a local run on a terminal, refreshed in place twice a second from the run's main loop:
 * the {@code kubectl get hpa} row, the pods and their state, the lag, the producer's and consumers' rates, the
 * scenario and the latest scaling events; with several tenants one such block per tenant ({@link TenantBlocks}).
 */
public final class LiveView {
    private static final long REFRESH_MILLIS = 500;
    private static final long LAG_READ_MILLIS = 1000;

    private final TerminalScreen screen;
    private final boolean unicode;
    private final List<StatusSampler> samplers;
    /** One name per sampler for a run with tenants; empty for a run without. */
    private final List<String> tenants;
    /** The tenants' scenario line, or null. */
    private final Supplier<String> scenario;
    private final Path logFile;
    private volatile String note;
    private volatile boolean dirty;
    private volatile boolean resized;
    private long lastRefresh = Long.MIN_VALUE / 2;
    private long lastLagRead = Long.MIN_VALUE / 2;
    private List<LiveStatus> last;

    LiveView(TerminalScreen screen, boolean unicode, LocalRun.RunContext ctx, LocalRun.Scaling scaling,
             Path logFile) {
        this(screen, unicode, List.of(new StatusSampler(ctx, scaling, null)), List.of(), null, logFile);
    }

    LiveView(TerminalScreen screen, boolean unicode, List<StatusSampler> samplers, List<String> tenants,
             Supplier<String> scenario, Path logFile) {
        this.screen = screen;
        this.unicode = unicode;
        this.samplers = List.copyOf(samplers);
        this.tenants = List.copyOf(tenants);
        this.scenario = scenario;
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
            samplers.forEach(StatusSampler::readLag);
        }
        List<LiveStatus> now = new ArrayList<>(samplers.size());
        for (StatusSampler s : samplers) {
            now.add(s.snapshot(elapsedMillis, note, logFile.toString()));
        }
        last = now;
        screen.draw(lines(now, screen.blockRows(), true));
    }

    /** The view's lines within {@code rows}: the block(s), with the footer when a person can still type. */
    private List<String> lines(List<LiveStatus> statuses, int rows, boolean footer) {
        if (!tenants.isEmpty()) {
            return TenantBlocks.render(tenants, statuses, scenario == null ? null : scenario.get(), rows, unicode,
                    footer);
        }
        LiveStatus s = statuses.get(0);
        if (!footer) {
            return StatusBlock.render(s, StatusBlock.EVENT_LINES, unicode);
        }
        int eventLines = Math.max(0, Math.min(StatusBlock.EVENT_LINES, rows - StatusBlock.fixedLines(s)));
        List<String> lines = new ArrayList<>(StatusBlock.render(s, eventLines, unicode));
        lines.addAll(StatusBlock.footer(s));
        return lines;
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
        screen.close(last == null ? List.of() : lines(last, Integer.MAX_VALUE, false));
    }

    /** The feedback line for a rate typed at {@code elapsedMillis}. */
    public static String rateSet(int rate, long elapsedMillis) {
        return String.format(Locale.ROOT, "t=%.1fs: producer rate set to %d msg/s (./deploy-producer.sh %d)",
                elapsedMillis / 1000.0, rate, rate);
    }
}
