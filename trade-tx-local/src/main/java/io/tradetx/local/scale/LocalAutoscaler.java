package io.tradetx.local.scale;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.tradetx.common.kafka.GroupLagReader;
import io.tradetx.consumer.pool.ConsumerPool;
import io.tradetx.local.run.LocalRun;
import io.tradetx.local.view.ScalingDisplay;
import io.tradetx.scaling.ClusterView;
import io.tradetx.scaling.HpaStatusLine;
import io.tradetx.scaling.ScalingController;
import io.tradetx.scaling.ScalingEvent;
import io.tradetx.scaling.ScalingStatus;
import io.tradetx.scaling.model.PartitionOffsets;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the local consumer pool with the KEDA + HPA model: every polling interval and HPA sync it
 * reads the group's real lag from the broker, lets the model decide, and scales the pool; it prints a
 * {@code kubectl get hpa} row per HPA sync and exposes the autoscaler's state as metrics.
 */
public final class LocalAutoscaler implements LocalRun.Scaling {
    private static final Logger LOG = LoggerFactory.getLogger(LocalAutoscaler.class);
    /** Live-view rows come at most this often, so a high speedup does not flood the terminal. */
    private static final long MIN_ROW_INTERVAL_MS = 1000;

    private final ScalingController controller;
    private final Scenario scenario;
    /** Tags of the autoscaler's meters: a local tenant's namespace, or none. */
    private final Tags tags;
    private final List<ScalingEvent> events = new CopyOnWriteArrayList<>();
    private LocalRun.RunContext ctx;
    private ClusterView view;
    private long lastSync = -1;
    private long lastRow = -MIN_ROW_INTERVAL_MS;
    private int peakReplicas;
    private final List<RateChange> rateChanges = new CopyOnWriteArrayList<>();
    private final List<ReplicaSample> replicaSamples = new CopyOnWriteArrayList<>();
    private int lastRate = -1;
    private int lastReplicas = -1;
    private int lastReady = -1;
    private volatile long lastTickMillis;

    /** The producer's target rate changed to {@code rate} msg/s at {@code atMillis} of the run's clock. */
    public record RateChange(long atMillis, int rate) {
    }

    /** The pool's pods (the Deployment's replicas) and how many had joined the group, from {@code atMillis} on. */
    public record ReplicaSample(long atMillis, int replicas, int ready) {
    }

    /** A script of producer rates over time, e.g. the seed demo; null for a free run. */
    public interface Scenario {
        /** Sets the producer rate for this moment; returns false when the scenario is over. */
        boolean step(long elapsedMillis, LocalRun.RunContext ctx, ScalingStatus status);

        /** One line on where the scenario is, for the live view; null for none. */
        default String describe(long elapsedMillis) {
            return null;
        }
    }

    public LocalAutoscaler(ScaledObjectSpec spec, Scenario scenario) {
        this(spec, scenario, Tags.empty());
    }

    /** An autoscaler whose meters carry {@code tags}: one per local tenant in one registry. */
    public LocalAutoscaler(ScaledObjectSpec spec, Scenario scenario, Tags tags) {
        this.controller = new ScalingController(spec);
        this.scenario = scenario;
        this.tags = tags;
    }

    @Override
    public void start(LocalRun.RunContext context) {
        ctx = context;
        ConsumerPool pool = context.pool();
        view = new ClusterView() {
            @Override
            public List<PartitionOffsets> offsets() {
                try {
                    List<PartitionOffsets> out = new ArrayList<>();
                    for (GroupLagReader.PartitionLag l : context.lag().read()) {
                        out.add(new PartitionOffsets(l.partition(), l.committed(), l.logEnd()));
                    }
                    return out;
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot read the group's lag: " + e, e);
                }
            }

            @Override
            public int replicas() {
                return pool.replicas();
            }

            @Override
            public void scaleTo(int replicas) {
                pool.scaleTo(replicas);
            }
        };
        Gauge.builder("trade.tx.local.replicas.desired", controller, c -> c.status().desiredReplicas()).tags(tags)
                .description("Replicas the HPA/KEDA model wants").register(context.registry());
        Gauge.builder("trade.tx.local.replicas.current", pool, ConsumerPool::replicas).tags(tags)
                .description("Local consumer pods (the Deployment's replicas)").register(context.registry());
        Gauge.builder("trade.tx.local.replicas.ready", pool, ConsumerPool::readyReplicas).tags(tags)
                .description("Local consumer pods that have joined the group").register(context.registry());
        Gauge.builder("trade.tx.local.scaler.metric.value", controller, c -> Math.max(0, c.status().metricValue()))
                .tags(tags).description("The kafka scaler's metric as the HPA sees it (capped total lag)")
                .register(context.registry());
        Gauge.builder("trade.tx.local.scaler.total.lag", controller, c -> c.status().totalLag()).tags(tags)
                .description("Total lag of the group at the last scaler call").register(context.registry());
        Gauge.builder("trade.tx.local.active", controller, c -> c.status().active() ? 1 : 0).tags(tags)
                .description("1 while the scaler is active (lag above activationLagThreshold)")
                .register(context.registry());
        ScaledObjectSpec spec = controller.spec();
        LOG.info("Autoscaling with ScaledObject {}: lagThreshold {}, pollingInterval {} ms, cooldownPeriod {} ms, "
                + "HPA sync {} ms, replicas {}..{}", spec.name(), spec.kafka().lagThreshold(),
                spec.pollingIntervalMillis(), spec.cooldownPeriodMillis(), spec.hpaSyncPeriodMillis(),
                spec.minReplicaCount(), spec.maxReplicaCount());
    }

    @Override
    public boolean tick(long elapsedMillis) {
        for (long at : dueCycles(elapsedMillis)) {
            for (ScalingEvent e : controller.tick(at, view)) {
                events.add(e);
                LOG.info("{}", e);
            }
        }
        peakReplicas = Math.max(peakReplicas, ctx.pool().replicas());
        record(elapsedMillis);
        ScalingStatus status = controller.status();
        long syncAt = controller.nextSyncMillis();
        if (syncAt != lastSync && elapsedMillis - lastRow >= MIN_ROW_INTERVAL_MS) {
            if (lastSync < 0) {
                LOG.info("{}   {}", HpaStatusLine.liveHeader(status), "PRODUCER   LAG   READY");
            }
            lastRow = elapsedMillis;
            LOG.info("{}   {}   {}   {}", HpaStatusLine.liveRow(status, elapsedMillis),
                    ctx.producer().rate() + " msg/s", status.totalLag(), ctx.pool().readyReplicas());
        }
        lastSync = syncAt;
        boolean goOn = scenario == null || scenario.step(elapsedMillis, ctx, status);
        record(elapsedMillis);
        return goOn;
    }

    @Override
    public ScalingDisplay display(long elapsedMillis, int maxEvents) {
        ScalingStatus status = controller.status();
        ScaledObjectSpec spec = controller.spec();
        String description = String.format(Locale.ROOT, "ScaledObject %s at speedup %s: lagThreshold %d, "
                + "pollingInterval %.2f s, HPA sync %.2f s, replicas %d..%d", spec.name(),
                spec.speedup() == Math.rint(spec.speedup()) ? Long.toString((long) spec.speedup())
                        : Double.toString(spec.speedup()), spec.kafka().lagThreshold(),
                spec.pollingIntervalMillis() / 1000.0, spec.hpaSyncPeriodMillis() / 1000.0, spec.minReplicaCount(),
                spec.maxReplicaCount());
        List<ScalingEvent> all = List.copyOf(events);
        List<String> latest = all.subList(Math.max(0, all.size() - maxEvents), all.size()).stream()
                .map(ScalingEvent::toString).toList();
        return new ScalingDisplay(description, List.of(HpaStatusLine.liveHeader(status),
                HpaStatusLine.liveRow(status, elapsedMillis)), latest,
                scenario == null ? null : scenario.describe(elapsedMillis));
    }

    /**
     * The next KEDA poll, HPA sync or Prometheus scrape: the run's loop wakes for it, so the lag (or the topic's
     * log-end offsets) is read when the cycle is due. A scrape only run at the next poll or sync would sample the
     * counter later than its timestamp says and skew the rate the trigger sees.
     */
    @Override
    public long nextDueMillis() {
        return Math.min(controller.nextScrapeMillis(),
                Math.min(controller.nextPollMillis(), controller.nextSyncMillis()));
    }

    /**
     * The scheduled times of the KEDA poll, the HPA sync and the Prometheus scrape that are due by {@code now},
     * earliest first (the latest of each; missed cycles stay skipped). The model runs each at its scheduled time,
     * as the simulator does: the run's loop wakes for it but may be a few milliseconds late (more on a busy
     * machine), and a cycle stamped late would now and then move a scale event across the edge of the HPA's policy
     * period or stabilization window (whole multiples of the sync period), delaying the next step by a sync. The
     * lag is read when the cycle runs.
     */
    private long[] dueCycles(long now) {
        ScaledObjectSpec spec = controller.spec();
        TreeSet<Long> due = new TreeSet<>();
        for (long at : new long[] {latestDue(controller.nextPollMillis(), spec.pollingIntervalMillis(), now),
                latestDue(controller.nextSyncMillis(), spec.hpaSyncPeriodMillis(), now),
                spec.rate() == null ? -1
                        : latestDue(controller.nextScrapeMillis(), spec.rate().scrapeIntervalMillis(), now)}) {
            if (at >= 0) {
                due.add(at);
            }
        }
        return due.stream().mapToLong(Long::longValue).toArray();
    }

    private static long latestDue(long next, long period, long now) {
        return next > now ? -1 : next + (now - next) / period * period;
    }

    /** Records the producer's rate and the pool's size when they changed, for a replay in the simulator. */
    private void record(long elapsedMillis) {
        lastTickMillis = elapsedMillis;
        int rate = ctx.producer().rate();
        if (rate != lastRate) {
            lastRate = rate;
            rateChanges.add(new RateChange(elapsedMillis, rate));
        }
        int replicas = ctx.pool().replicas();
        int ready = ctx.pool().readyReplicas();
        if (replicas != lastReplicas || ready != lastReady) {
            lastReplicas = replicas;
            lastReady = ready;
            replicaSamples.add(new ReplicaSample(elapsedMillis, replicas, ready));
        }
    }

    /** The run's clock at the last tick: how long the autoscaled run lasted. */
    public long lastTickMillis() {
        return lastTickMillis;
    }

    /** Every change of the producer's target rate, in order (the first at the first tick). */
    public List<RateChange> rateChanges() {
        return List.copyOf(rateChanges);
    }

    /** Every change of the pool's replicas or ready pods, in order. */
    public List<ReplicaSample> replicaSamples() {
        return List.copyOf(replicaSamples);
    }

    public List<ScalingEvent> events() {
        return List.copyOf(events);
    }

    public int peakReplicas() {
        return peakReplicas;
    }

    public ScalingController controller() {
        return controller;
    }
}
