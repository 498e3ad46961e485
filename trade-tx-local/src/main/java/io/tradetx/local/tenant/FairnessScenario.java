package io.tradetx.local.tenant;

import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one tenant's burst slows the others, measured on a laptop: the first tenant bursts 10 -> 1000 -> 10
 * msg/s while every other tenant stays at 50 msg/s, all on one broker with their own logins, topics, pods and ScaledObjects. Phases:
 * warm-up until every tenant's pods are steady (no change for its scale-down window, two HPA syncs and its rate
 * window); a baseline (the burst tenant at 10 msg/s); the burst; the burst tenant back at 10 msg/s until it has
 * scaled back to its baseline pods. Each tenant's message ages (at store time) and pods are kept for the baseline
 * and for the window from the burst's start until the burst tenant is back ({@link FairnessFigures}).
 *
 * <p>It runs in cluster time like the burst scenario: the ScaledObject's times and lag thresholds are divided by the
 * speedup (BurstScenario.localSpec), phases last their cluster length divided by the speedup but at least
 * {@link #MIN_PHASE_MILLIS} of real time, so that the baseline holds enough messages for a p99.
 */
public final class FairnessScenario implements TenantScenario {
    private static final Logger LOG = LoggerFactory.getLogger(FairnessScenario.class);
    public static final int LOW_RATE = 10;
    public static final int BURST_RATE = 1000;
    public static final int STEADY_RATE = 50;
    static final long BASELINE_CLUSTER_MILLIS = 120_000;
    static final long BURST_CLUSTER_MILLIS = 180_000;
    /** Cluster time after which the warm-up or the way back gives up. */
    static final long TIMEOUT_CLUSTER_MILLIS = 600_000;
    static final long MIN_PHASE_MILLIS = 15_000;
    static final String BEFORE = "before";
    static final String DURING = "during";

    private final double speedup;
    private final long baselineMillis;
    private final long burstMillis;
    private List<RunningTenant> tenants;
    private long[] lastChange;
    private int[] lastPods;
    private long settleMillis;
    private Phase phase = Phase.WARMUP;
    private long phaseStart = -1;
    private final List<Window> before = new ArrayList<>();
    private final List<Window> during = new ArrayList<>();
    private long burstStart = -1;
    private long burstEnd = -1;
    private int peak;
    private long peakAt = -1;
    private long backAt = -1;
    private String failure;
    private FairnessFigures figures;

    private enum Phase { WARMUP, BASELINE, BURST, BACK, DONE }

    /** Pods seen in a window: the range of the Deployment's replicas. */
    private static final class Window {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;

        void see(int pods) {
            min = Math.min(min, pods);
            max = Math.max(max, pods);
        }
    }

    public FairnessScenario(double speedup) {
        this.speedup = speedup;
        this.baselineMillis = Math.max(MIN_PHASE_MILLIS, Math.round(BASELINE_CLUSTER_MILLIS / speedup));
        this.burstMillis = Math.max(MIN_PHASE_MILLIS, Math.round(BURST_CLUSTER_MILLIS / speedup));
    }

    /**
     * How long a tenant's pods must stay unchanged to count as steady: its scale-down stabilization window (what
     * can still take a pod away), its rate trigger's window (what still remembers the warm-up's catch-up) and two
     * HPA syncs.
     */
    static long settleMillis(ScaledObjectSpec spec) {
        long window = spec.behavior() == null ? spec.hpaLegacyDownscaleWindowMillis()
                : spec.behavior().scaleDown().stabilizationWindowMillis();
        return window + (spec.rate() == null ? 0 : spec.rate().rateWindowMillis()) + 2 * spec.hpaSyncPeriodMillis();
    }

    @Override
    public void start(List<RunningTenant> running) {
        if (running.size() < 2) {
            throw new IllegalArgumentException("the fairness scenario needs two tenants or more");
        }
        tenants = List.copyOf(running);
        lastChange = new long[tenants.size()];
        lastPods = new int[tenants.size()];
        for (int i = 0; i < tenants.size(); i++) {
            RunningTenant t = tenants.get(i);
            settleMillis = Math.max(settleMillis, settleMillis(t.spec()));
            t.producer().setRate(i == 0 ? LOW_RATE : STEADY_RATE);
            lastPods[i] = -1;
            before.add(new Window());
            during.add(new Window());
        }
        LOG.info("Scenario fairness: {} at {} msg/s, {} at {} msg/s; waiting until every tenant's pods are steady"
                + " ({} ms unchanged)", burstName(), LOW_RATE, otherNames(), STEADY_RATE, settleMillis);
    }

    @Override
    public boolean step(long now) {
        if (phaseStart < 0) {
            phaseStart = now;
        }
        boolean steady = true;
        for (int i = 0; i < tenants.size(); i++) {
            RunningTenant t = tenants.get(i);
            int pods = t.pool().replicas();
            int ready = t.pool().readyReplicas();
            if (pods != lastPods[i]) {
                lastPods[i] = pods;
                lastChange[i] = now;
            }
            steady &= pods >= 1 && ready == pods && now - lastChange[i] >= settleMillis;
            if (phase == Phase.BASELINE) {
                before.get(i).see(pods);
            } else if (phase == Phase.BURST || phase == Phase.BACK) {
                during.get(i).see(pods);
            }
        }
        RunningTenant a = tenants.get(0);
        if (phase == Phase.BURST || phase == Phase.BACK) {
            int pods = a.pool().replicas();
            if (pods > peak) {
                peak = pods;
                peakAt = now;
            }
        }
        switch (phase) {
            case WARMUP -> {
                if (steady) {
                    next(Phase.BASELINE, now);
                    tenants.forEach(t -> t.ages().phase(BEFORE));
                    LOG.info("Scenario fairness: baseline for {} s: {} at {} msg/s, {} at {} msg/s", baselineMillis
                            / 1000.0, burstName(), LOW_RATE, otherNames(), STEADY_RATE);
                } else if (timedOut(now)) {
                    return fail(now, "the pods were not steady within " + TIMEOUT_CLUSTER_MILLIS / 1000 + " s");
                }
            }
            case BASELINE -> {
                if (now - phaseStart >= baselineMillis) {
                    next(Phase.BURST, now);
                    tenants.forEach(t -> t.ages().phase(DURING));
                    burstStart = now;
                    a.producer().setRate(BURST_RATE);
                    LOG.info("Scenario fairness: {}'s burst, {} -> {} msg/s (./deploy-producer.sh --tenant {} {}) for {}"
                            + " s", burstName(), LOW_RATE, BURST_RATE, burstName(), BURST_RATE, burstMillis / 1000.0);
                }
            }
            case BURST -> {
                if (now - phaseStart >= burstMillis) {
                    next(Phase.BACK, now);
                    burstEnd = now;
                    a.producer().setRate(LOW_RATE);
                    LOG.info("Scenario fairness: {} back to {} msg/s; waiting until it has scaled back to {} pods",
                            burstName(), LOW_RATE, before.get(0).max);
                }
            }
            case BACK -> {
                if (a.pool().replicas() <= before.get(0).max && a.pool().readyReplicas() == a.pool().replicas()) {
                    backAt = now;
                    finish(now);
                    return false;
                }
                if (timedOut(now)) {
                    LOG.warn("Scenario fairness: {} did not scale back within {} s", burstName(),
                            TIMEOUT_CLUSTER_MILLIS / 1000);
                    finish(now);
                    return false;
                }
            }
            case DONE -> {
                return false;
            }
        }
        return true;
    }

    private boolean timedOut(long now) {
        return (now - phaseStart) * speedup > TIMEOUT_CLUSTER_MILLIS;
    }

    private void next(Phase p, long now) {
        phase = p;
        phaseStart = now;
    }

    private boolean fail(long now, String why) {
        failure = why;
        LOG.warn("Scenario fairness stopped: {}", why);
        next(Phase.DONE, now);
        tenants.forEach(t -> t.ages().phase(null));
        return false;
    }

    private void finish(long now) {
        next(Phase.DONE, now);
        tenants.forEach(t -> t.ages().phase(null));
        List<FairnessFigures.TenantFigures> out = new ArrayList<>();
        for (int i = 0; i < tenants.size(); i++) {
            RunningTenant t = tenants.get(i);
            String load = i == 0 ? LOW_RATE + " -> " + BURST_RATE + " -> " + LOW_RATE + " msg/s"
                    : STEADY_RATE + " msg/s throughout";
            out.add(new FairnessFigures.TenantFigures(t.name(), load, window(t.ages().samples(BEFORE), before.get(i)),
                    window(t.ages().samples(DURING), during.get(i))));
        }
        figures = new FairnessFigures(speedup, out, burstStart, burstEnd, peak, peakAt, backAt);
        figures.lines().forEach(line -> LOG.info("{}", line));
    }

    private static FairnessFigures.Window window(AgeSamples ages, Window pods) {
        return new FairnessFigures.Window(ages.count(), ages.quantileMillis(0.99), ages.maxMillis(),
                pods.min == Integer.MAX_VALUE ? 0 : pods.min, pods.max == Integer.MIN_VALUE ? 0 : pods.max);
    }

    @Override
    public String describe(long now) {
        RunningTenant a = tenants.get(0);
        String pods = String.join(", ", tenants.stream().map(t -> t.name() + " " + t.pool().replicas() + " pods")
                .toList());
        long left = phaseStart < 0 ? 0 : Math.max(0, switch (phase) {
            case BASELINE -> baselineMillis - (now - phaseStart);
            case BURST -> burstMillis - (now - phaseStart);
            default -> 0;
        });
        return switch (phase) {
            case WARMUP -> "fairness: warming up until every tenant's pods are steady (" + pods + ")";
            case BASELINE -> String.format(Locale.ROOT, "fairness: baseline, %s at %d msg/s, %.0f s left (%s)",
                    a.name(), LOW_RATE, left / 1000.0, pods);
            case BURST -> String.format(Locale.ROOT, "fairness: %s's burst at %d msg/s, %.0f s left, peak %d (%s)",
                    a.name(), BURST_RATE, left / 1000.0, peak, pods);
            case BACK -> "fairness: " + a.name() + " back at " + LOW_RATE + " msg/s, scaling back to "
                    + before.get(0).max + " pods (" + pods + ")";
            case DONE -> figures != null ? figures.lines().get(figures.lines().size() - 1)
                    : "fairness: stopped: " + failure;
        };
    }

    /** True once the burst tenant came back (or the way back timed out) and the figures are known. */
    public boolean finished() {
        return figures != null;
    }

    /** The figures, once {@link #finished()}; null before. */
    public FairnessFigures figures() {
        return figures;
    }

    /** Why the scenario stopped early, or null. */
    public String failure() {
        return failure;
    }

    private String burstName() {
        return tenants.get(0).name();
    }

    private String otherNames() {
        return String.join(", ", tenants.subList(1, tenants.size()).stream().map(RunningTenant::name).toList());
    }
}
