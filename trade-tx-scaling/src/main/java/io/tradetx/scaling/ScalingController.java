package io.tradetx.scaling;

import io.tradetx.scaling.model.HorizontalPodAutoscaler;
import io.tradetx.scaling.model.HpaResult;
import io.tradetx.scaling.model.KafkaLagScaler;
import io.tradetx.scaling.model.KedaDecision;
import io.tradetx.scaling.model.KedaScaleLoop;
import io.tradetx.scaling.model.LagReading;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * KEDA plus the HPA for one ScaledObject, driven by the caller's time: runs the KEDA poll and the HPA sync
 * whenever they are due and applies their decisions to a {@link ClusterView}. Shared by the local runner
 * and the simulator.
 */
public final class ScalingController {

    private final ScaledObjectSpec spec;
    private final long hpaSyncMillis;
    private final long startMillis;
    private final KafkaLagScaler scaler;
    private final KedaScaleLoop keda;
    private final HorizontalPodAutoscaler hpa;
    private long nextPoll;
    private long nextSync;
    private boolean active;
    private int desired;
    private int current;
    private long metricValue = -1;
    private long averageMilli = -1;
    private long totalLag;

    /** A controller started at time 0 with the spec's HPA sync period (15 s divided by its speedup). */
    public ScalingController(ScaledObjectSpec spec) {
        this(spec, spec.hpaSyncPeriodMillis(), 0);
    }

    /**
     * @param hpaSyncPeriodMillis the HPA controller's sync period (not divided by the spec's speedup here)
     * @param startMillis         when the ScaledObject is created: the first KEDA poll and HPA sync happen then
     */
    public ScalingController(ScaledObjectSpec spec, long hpaSyncPeriodMillis, long startMillis) {
        if (hpaSyncPeriodMillis <= 0 || spec.pollingIntervalMillis() <= 0) {
            throw new IllegalArgumentException("sync period and pollingInterval must be > 0");
        }
        this.spec = spec;
        this.hpaSyncMillis = hpaSyncPeriodMillis;
        this.startMillis = startMillis;
        this.scaler = new KafkaLagScaler(spec.kafka());
        this.keda = new KedaScaleLoop(spec.minReplicaCount(), spec.cooldownPeriodMillis(),
                spec.initialCooldownPeriodMillis(), startMillis);
        this.hpa = new HorizontalPodAutoscaler(spec.hpaMinReplicas(), spec.maxReplicaCount(),
                spec.kafka().lagThreshold(), spec.behavior(), spec.hpaLegacyDownscaleWindowMillis());
        this.nextPoll = startMillis;
        this.nextSync = startMillis;
    }

    /**
     * Runs the KEDA poll, then the HPA sync, if due at {@code nowMillis} (each at most once per call; missed
     * cycles are skipped, not replayed). Call it at least as often as the shorter of the two periods.
     */
    public List<ScalingEvent> tick(long nowMillis, ClusterView view) {
        List<ScalingEvent> events = new ArrayList<>();
        if (nowMillis >= nextPoll) {
            poll(nowMillis, view, events);
            nextPoll = advance(nextPoll, spec.pollingIntervalMillis(), nowMillis);
        }
        if (nowMillis >= nextSync) {
            sync(nowMillis, view, events);
            nextSync = advance(nextSync, hpaSyncMillis, nowMillis);
        }
        current = view.replicas();
        return events;
    }

    private static long advance(long next, long period, long now) {
        while (next <= now) {
            next += period;
        }
        return next;
    }

    private void poll(long now, ClusterView view, List<ScalingEvent> events) {
        LagReading reading = scaler.read(view.offsets());
        totalLag = reading.totalLagWithPersistent();
        int replicas = view.replicas();
        if (reading.active() != active) {
            active = reading.active();
            events.add(new ScalingEvent(now, active ? ScalingEvent.Type.ACTIVATED : ScalingEvent.Type.DEACTIVATED,
                    replicas, replicas, "lag " + reading.totalLagWithPersistent() + " vs activationLagThreshold "
                    + spec.kafka().activationLagThreshold()));
        }
        KedaDecision decision = keda.poll(now, reading.active(), replicas);
        if (decision.scales() && decision.scaleTo() != replicas) {
            view.scaleTo(decision.scaleTo());
            desired = decision.scaleTo();
            events.add(new ScalingEvent(now, decision.scaleTo() == 0 ? ScalingEvent.Type.KEDA_SCALED_TO_ZERO
                    : ScalingEvent.Type.KEDA_SCALED_UP, replicas, decision.scaleTo(), decision.reason()));
        }
    }

    private void sync(long now, ClusterView view, List<ScalingEvent> events) {
        int replicas = view.replicas();
        LagReading reading = null;
        if (replicas > 0) {
            // KEDA's metrics server calls the scaler afresh for every HPA query.
            reading = scaler.read(view.offsets());
            totalLag = reading.totalLagWithPersistent();
        }
        HpaResult result = hpa.sync(now, replicas, view.podCount(), reading == null ? 0 : reading.metricValue());
        if (result.scalingDisabled()) {
            metricValue = -1;
            averageMilli = -1;
            desired = 0;
            return;
        }
        if (result.proposal() >= 0) {
            metricValue = reading.metricValue();
            averageMilli = result.averageMilli();
        }
        desired = result.desired();
        if (result.desired() != replicas) {
            view.scaleTo(result.desired());
            events.add(new ScalingEvent(now, ScalingEvent.Type.HPA_SCALED, replicas, result.desired(),
                    result.reason()));
        }
    }

    /** The state after the last tick, for a status line or metrics. */
    public ScalingStatus status() {
        return new ScalingStatus("keda-hpa-" + spec.name(), spec.scaleTargetKind() + "/" + spec.scaleTargetName(),
                spec.hpaMinReplicas(), spec.maxReplicaCount(), current, desired, metricValue, averageMilli,
                spec.kafka().lagThreshold(), active, totalLag, startMillis);
    }

    /** The spec this controller runs. */
    public ScaledObjectSpec spec() {
        return spec;
    }

    /** When the next KEDA poll is due. */
    public long nextPollMillis() {
        return nextPoll;
    }

    /** When the next HPA sync is due. */
    public long nextSyncMillis() {
        return nextSync;
    }
}
