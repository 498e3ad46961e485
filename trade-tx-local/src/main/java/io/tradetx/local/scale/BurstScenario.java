package io.tradetx.local.scale;

import io.tradetx.common.kafka.GroupLagReader;
import io.tradetx.local.run.LocalRun;
import io.tradetx.scaling.ScalingStatus;
import io.tradetx.scaling.spec.KafkaTriggerSpec;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The burst behind the promise of sub-minute scaling to 20+ pods, on a laptop: an idle topic, then 2000 msg/s
 * until 20 pods are ready (and a minute more, so the peak shows), then the producer stops and the run ends once
 * the lag has drained; the result is one line saying when the first and the 20th pod were ready relative to the spike, the peak and the drain, in cluster
 * seconds, and whether the goal (20 ready within 60 s) was met.
 *
 * <p>It runs in cluster time: {@link #localSpec} divides the ScaledObject's times by the speedup, as every local
 * run does, and also its lag thresholds. The producer and the pods keep their real rates, so in 1/K of the time
 * they make 1/K of the lag; with the thresholds divided too, lag / lagThreshold, the only lag figure KEDA and the
 * HPA act on, is at every moment what it is on a cluster at K times that moment. The pod start (default 10 s,
 * a warm node) is cluster time too and is divided by the speedup; the real group join comes on top of it and is
 * reported. Kafka's own times (join, rebalance, a 1 s batch) do not shrink, which is why a high speedup makes
 * pods look slower in cluster seconds.
 */
public final class BurstScenario implements LocalAutoscaler.Scenario {
    private static final Logger LOG = LoggerFactory.getLogger(BurstScenario.class);
    public static final int RATE = 2000;
    public static final int GOAL_READY = 20;
    public static final long GOAL_SECONDS = 60;
    /** The scaling goal's "warm node" pod: image cached, JVM start and group join in about 10 s. */
    public static final Duration DEFAULT_POD_START = Duration.ofSeconds(10);
    /** Cluster time the load stays on after 20 pods are ready, so that later scale-ups (the peak) show. */
    static final long HOLD_MILLIS = 60_000;
    /** Cluster time after which the spike (or the drain) gives up, as the goal's burst profile (2000 x 600 s). */
    static final long TIMEOUT_MILLIS = 600_000;
    /** The spike starts at a KEDA poll at least this long (real time) after the run's start. */
    private static final long MIN_IDLE_MILLIS = 2_000;
    private static final long LAG_READ_INTERVAL_MILLIS = 250;

    private final double speedup;
    private final long spikeAt;
    private final long lagThreshold;
    private final int maxReplicas;
    private Phase phase = Phase.IDLE;
    private boolean started;
    private long spikeMillis = -1;
    private long firstReadyMillis = -1;
    private long goalReadyMillis = -1;
    private long holdStart = -1;
    private long stopMillis = -1;
    private long drainedMillis = -1;
    private long lastLagRead = -LAG_READ_INTERVAL_MILLIS;
    private long lastLag = -1;
    private int peakReplicas;
    private List<Duration> startupTimes = List.of();
    private final List<Arrivals> arrivals = new ArrayList<>();

    /** Messages the broker had acknowledged to the producer by {@code atMillis} of the run's clock. */
    public record Arrivals(long atMillis, long total) {
    }

    private enum Phase { IDLE, SPIKE, HOLD, DRAIN, DONE }

    /**
     * The spec a burst at speedup {@code k} runs: times and lag thresholds of {@code fileSpec} divided by k (see
     * the class comment). Rate-based settings are left alone: rates are real.
     */
    public static ScaledObjectSpec localSpec(ScaledObjectSpec fileSpec, double k) {
        ScaledObjectSpec spec = fileSpec.withSpeedup(k);
        KafkaTriggerSpec t = spec.kafka();
        return spec.withKafka(new KafkaTriggerSpec(t.bootstrapServers(), t.consumerGroup(), t.topic(),
                Math.max(1, Math.round(t.lagThreshold() / k)), Math.round(t.activationLagThreshold() / k),
                t.offsetResetPolicy(), t.allowIdleConsumers(), t.excludePersistentLag(),
                t.scaleToZeroOnInvalidOffset(), t.limitToPartitionsWithLag(), t.ensureEvenDistributionOfPartitions(),
                t.partitionLimitation(), t.otherMetadata(), t.authenticationRef(), t.authenticationKind()));
    }

    /** The local --start-delay that stands for a pod start of {@code clusterPodStart} at speedup {@code k}. */
    public static Duration startDelay(Duration clusterPodStart, double k) {
        return Duration.ofNanos(Math.round(clusterPodStart.toNanos() / k));
    }

    /** @param localSpec the spec the run uses, from {@link #localSpec} */
    public BurstScenario(ScaledObjectSpec localSpec) {
        this.speedup = localSpec.speedup();
        long poll = localSpec.pollingIntervalMillis();
        // At a KEDA poll, as in a simulation whose spike starts on a poll: that poll still sees no lag.
        this.spikeAt = Math.max(poll, (MIN_IDLE_MILLIS + poll - 1) / poll * poll);
        this.lagThreshold = localSpec.kafka().lagThreshold();
        this.maxReplicas = localSpec.maxReplicaCount();
    }

    @Override
    public boolean step(long now, LocalRun.RunContext ctx, ScalingStatus status) {
        arrivals.add(new Arrivals(now, ctx.producer().acknowledged()));
        int replicas = ctx.pool().replicas();
        int ready = ctx.pool().readyReplicas();
        peakReplicas = Math.max(peakReplicas, replicas);
        if (spikeMillis >= 0) {
            if (ready >= 1 && firstReadyMillis < 0) {
                firstReadyMillis = now;
                LOG.info("Scenario burst: first pod ready {}", figures().progress());
            }
            if (ready >= GOAL_READY && goalReadyMillis < 0) {
                goalReadyMillis = now;
                LOG.info("Scenario burst: {} pods ready: {}", GOAL_READY, figures().progress());
            }
        }
        switch (phase) {
            case IDLE -> {
                if (!started) {
                    started = true;
                    ctx.producer().setRate(0);
                    LOG.info("Scenario burst: idle until t={}s, then {} msg/s", spikeAt / 1000.0, RATE);
                }
                if (now >= spikeAt) {
                    ctx.producer().setRate(RATE);
                    spikeMillis = now;
                    phase = Phase.SPIKE;
                    LOG.info("Scenario burst: spike, 0 -> {} msg/s (./deploy-producer.sh {})", RATE, RATE);
                }
            }
            case SPIKE -> {
                boolean atMax = replicas >= maxReplicas && ready >= replicas;
                if (goalReadyMillis >= 0 || atMax) {
                    holdStart = now;
                    phase = Phase.HOLD;
                } else if (clusterMillis(now - spikeMillis) > TIMEOUT_MILLIS) {
                    LOG.warn("Scenario burst: {} pods were not ready within {} s", GOAL_READY, TIMEOUT_MILLIS / 1000);
                    stopProducer(ctx, now);
                }
            }
            case HOLD -> {
                if (clusterMillis(now - holdStart) >= HOLD_MILLIS) {
                    stopProducer(ctx, now);
                }
            }
            case DRAIN -> {
                if (now - lastLagRead >= LAG_READ_INTERVAL_MILLIS) {
                    lastLagRead = now;
                    lastLag = totalLag(ctx);
                }
                boolean drained = lastLag >= 0 && lastLag <= lagThreshold;
                if (drained || clusterMillis(now - stopMillis) > TIMEOUT_MILLIS) {
                    drainedMillis = drained ? now : -1;
                    startupTimes = ctx.pool().startupTimes();
                    phase = Phase.DONE;
                    LOG.info("{}", figures().summary());
                    return false;
                }
            }
            case DONE -> {
                return false;
            }
        }
        return true;
    }

    private void stopProducer(LocalRun.RunContext ctx, long now) {
        ctx.producer().setRate(0);
        stopMillis = now;
        phase = Phase.DRAIN;
        LOG.info("Scenario burst: producer stopped (./deploy-producer.sh 0); waiting for the lag to drain");
    }

    private static long totalLag(LocalRun.RunContext ctx) {
        try {
            return GroupLagReader.totalLag(ctx.lag().read());
        } catch (Exception e) {
            LOG.warn("Scenario burst: cannot read the lag: {}", e.toString());
            return -1;
        }
    }

    private long clusterMillis(long localMillis) {
        return Math.round(localMillis * speedup);
    }

    @Override
    public String describe(long now) {
        return switch (phase) {
            case IDLE -> String.format(java.util.Locale.ROOT, "burst: idle, %d msg/s from t=%.1fs", RATE,
                    spikeAt / 1000.0);
            case SPIKE, HOLD -> "burst: " + figures().progress() + " (goal: " + GOAL_READY + " ready within "
                    + GOAL_SECONDS + " s)";
            case DRAIN -> "burst: producer stopped, draining (lag " + lastLag + ", done at <= " + lagThreshold
                    + "); " + figures().progress();
            case DONE -> figures().summary();
        };
    }

    /** The figures so far; complete once {@link #finished()}. */
    public BurstFigures figures() {
        return new BurstFigures(speedup, RATE, GOAL_READY, GOAL_SECONDS, spikeMillis, firstReadyMillis,
                goalReadyMillis, peakReplicas, stopMillis, drainedMillis, medianSeconds(startupTimes));
    }

    /**
     * The load the broker received: the producer's acknowledged messages at every tick of the run (about ten
     * a second; the scenario ends within its timeouts). A simulation of this run takes its load from here rather than from the target rate, so that a
     * producer that falls behind for a moment on a busy machine does not count against the scaling model.
     */
    public List<Arrivals> arrivals() {
        return List.copyOf(arrivals);
    }

    /** Every pod's time from creation to ready during the run (real time), known once finished. */
    public List<Duration> startupTimes() {
        return startupTimes;
    }

    /** True once the spike, the hold and the drain have run (the lag drained or the drain timed out). */
    public boolean finished() {
        return phase == Phase.DONE;
    }

    /** The median of {@code times} in seconds, -1 when empty. */
    public static double medianSeconds(List<Duration> times) {
        if (times.isEmpty()) {
            return -1;
        }
        List<Duration> sorted = new ArrayList<>(times);
        sorted.sort(null);
        int n = sorted.size();
        long nanos = n % 2 == 1 ? sorted.get(n / 2).toNanos()
                : (sorted.get(n / 2 - 1).toNanos() + sorted.get(n / 2).toNanos()) / 2;
        return nanos / 1e9;
    }
}
