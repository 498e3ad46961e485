package io.tradetx.scaling;

import io.tradetx.scaling.model.ExternalMetric;
import io.tradetx.scaling.model.HorizontalPodAutoscaler;
import io.tradetx.scaling.model.HpaResult;
import io.tradetx.scaling.model.KafkaLagScaler;
import io.tradetx.scaling.model.KedaDecision;
import io.tradetx.scaling.model.KedaScaleLoop;
import io.tradetx.scaling.model.LagReading;
import io.tradetx.scaling.model.PartitionOffsets;
import io.tradetx.scaling.model.PrometheusRateScaler;
import io.tradetx.scaling.model.RateReading;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * KEDA plus the HPA for one ScaledObject, driven by the caller's time: runs the KEDA poll and the HPA sync
 * whenever they are due and applies their decisions to a {@link ClusterView}. Shared by the local runner
 * and the simulator.
 *
 * <p>With a prometheus trigger on the ingest rate it also plays Prometheus: at each scrape it samples the sum of
 * the topic's log-end offsets from the same view (the broker's messages-in counter), and each scaler call
 * evaluates the rate over the scraped samples. KEDA is active when any trigger is (so it scales to zero only
 * when every trigger is inactive for the cooldown), and the HPA takes the largest of the triggers' proposals.
 */
public final class ScalingController {

    private final ScaledObjectSpec spec;
    private final long hpaSyncMillis;
    private final long startMillis;
    private final KafkaLagScaler scaler;
    private final PrometheusRateScaler rateScaler;
    private final KedaScaleLoop keda;
    private final HorizontalPodAutoscaler hpa;
    private long nextPoll;
    private long nextSync;
    private long nextScrape;
    private boolean active;
    private int desired;
    private int current;
    private long metricValue = -1;
    private long averageMilli = -1;
    private long totalLag;
    private boolean lagActive;
    private boolean rateActive;
    private double rateValue = -1;
    private long rateAverageMilli = -1;

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
        this.rateScaler = spec.rate() == null ? null : new PrometheusRateScaler(spec.rate());
        this.keda = new KedaScaleLoop(spec.minReplicaCount(), spec.cooldownPeriodMillis(),
                spec.initialCooldownPeriodMillis(), startMillis);
        this.hpa = new HorizontalPodAutoscaler(spec.hpaMinReplicas(), spec.maxReplicaCount(),
                spec.kafka().lagThreshold(), spec.behavior(), spec.hpaLegacyDownscaleWindowMillis());
        this.nextPoll = startMillis;
        this.nextSync = startMillis;
        this.nextScrape = spec.rate() == null ? Long.MAX_VALUE : startMillis + spec.rate().scrapeOffsetMillis();
    }

    /**
     * Runs the KEDA poll, then the HPA sync, then a Prometheus scrape, if due at {@code nowMillis} (each at most
     * once per call; missed cycles are skipped, not replayed). A scrape due at the same moment as a query comes
     * after it, as a query does not see a sample still being scraped. Call it at least as often as the shortest
     * of the periods.
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
        if (nowMillis >= nextScrape) {
            rateScaler.scrape(nowMillis, logEndOffsetSum(view.offsets()));
            nextScrape = advance(nextScrape, spec.rate().scrapeIntervalMillis(), nowMillis);
        }
        current = view.replicas();
        return events;
    }

    /** The topic's messages-in counter: every partition's log-end offset (the query counts the whole topic). */
    static long logEndOffsetSum(List<PartitionOffsets> offsets) {
        long sum = 0;
        for (PartitionOffsets p : offsets) {
            sum += p.logEnd();
        }
        return sum;
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
        lagActive = reading.active();
        boolean nowActive = lagActive;
        String why = "lag " + reading.totalLagWithPersistent() + " vs activationLagThreshold "
                + spec.kafka().activationLagThreshold();
        if (rateScaler != null) {
            RateReading rate = rateScaler.read(now);
            rateValue = rate.value();
            rateActive = rate.active();
            // KEDA's getScaledObjectState: the ScaledObject is active when any of its triggers is.
            nowActive |= rateActive;
            why += String.format(java.util.Locale.ROOT, ", ingest rate %.1f msg/s vs activationThreshold %s",
                    rate.value(), io.tradetx.scaling.spec.PrometheusTriggerSpec.number(spec.rate().activationThreshold()));
        }
        int replicas = view.replicas();
        if (nowActive != active) {
            active = nowActive;
            events.add(new ScalingEvent(now, active ? ScalingEvent.Type.ACTIVATED : ScalingEvent.Type.DEACTIVATED,
                    replicas, replicas, why));
        }
        KedaDecision decision = keda.poll(now, nowActive, replicas);
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
        List<ExternalMetric> metrics = new ArrayList<>();
        if (replicas > 0) {
            // KEDA's metrics server calls the scaler afresh for every HPA query, one query per metric.
            reading = scaler.read(view.offsets());
            totalLag = reading.totalLagWithPersistent();
            metrics.add(new ExternalMetric("lag", reading.metricValue() * 1000, spec.kafka().lagThreshold() * 1000));
            if (rateScaler != null) {
                RateReading rate = rateScaler.read(now);
                rateValue = rate.value();
                metrics.add(new ExternalMetric("rate", rate.valueMilli(),
                        PrometheusRateScaler.milli(spec.rate().threshold())));
            }
        } else {
            metrics.add(new ExternalMetric("lag", 0, spec.kafka().lagThreshold() * 1000));
        }
        HpaResult result = hpa.sync(now, replicas, view.podCount(), metrics);
        if (result.scalingDisabled()) {
            metricValue = -1;
            averageMilli = -1;
            rateAverageMilli = -1;
            desired = 0;
            return;
        }
        if (result.proposal() >= 0) {
            metricValue = reading.metricValue();
            averageMilli = result.averageMilli();
            rateAverageMilli = result.metrics().size() > 1 ? result.metrics().get(1).averageMilli() : -1;
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
        List<ScalingStatus.Target> targets = new ArrayList<>();
        targets.add(new ScalingStatus.Target("lag", averageMilli, spec.kafka().lagThreshold() * 1000));
        if (spec.rate() != null) {
            targets.add(new ScalingStatus.Target("rate", rateAverageMilli,
                    PrometheusRateScaler.milli(spec.rate().threshold())));
        }
        return new ScalingStatus("keda-hpa-" + spec.name(), spec.scaleTargetKind() + "/" + spec.scaleTargetName(),
                spec.hpaMinReplicas(), spec.maxReplicaCount(), current, desired, metricValue, averageMilli,
                spec.kafka().lagThreshold(), active, totalLag, startMillis, targets, rateValue);
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

    /** When the next Prometheus scrape is due; Long.MAX_VALUE without a rate trigger. */
    public long nextScrapeMillis() {
        return nextScrape;
    }
}
