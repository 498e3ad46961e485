package io.tradetx.local.scale;

import io.tradetx.local.run.LocalRun;
import io.tradetx.scaling.ScalingStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed README's Steps 3-5 on a laptop: 10 msg/s until one replica runs, a 1000 msg/s spike until
 * the group has scaled out to at least ten replicas and held them, then the producer stops and the
 * run ends once KEDA has scaled the consumers to zero.
 */
public final class SeedDemoScenario implements LocalAutoscaler.Scenario {
    private static final Logger LOG = LoggerFactory.getLogger(SeedDemoScenario.class);
    static final int LOW_RATE = 10;
    static final int SPIKE_RATE = 1000;
    static final int SCALE_OUT_GOAL = 10;

    private final long lowMillis;
    private final long holdMillis;
    private final long spikeTimeoutMillis;
    private Phase phase = Phase.LOW;
    private long phaseStart;
    private boolean started;
    private boolean reachedGoal;

    private enum Phase { LOW, SPIKE, HOLD, STOPPED, DONE }

    /** Phase lengths follow the seed's minutes divided by the speedup, with real-time floors for Kafka. */
    public SeedDemoScenario(double speedup) {
        this.lowMillis = Math.max(10_000, (long) (120_000 / speedup));
        this.holdMillis = Math.max(15_000, (long) (120_000 / speedup));
        this.spikeTimeoutMillis = 240_000;
    }

    @Override
    public boolean step(long now, LocalRun.RunContext ctx, ScalingStatus status) {
        switch (phase) {
            case LOW -> {
                if (!started) {
                    started = true;
                    phaseStart = now;
                    ctx.producer().setRate(LOW_RATE);
                    LOG.info("Scenario seed-demo, step 3: low load, {} msg/s (./deploy-producer.sh {})", LOW_RATE,
                            LOW_RATE);
                }
                if (now - phaseStart >= lowMillis && ctx.pool().replicas() >= 1) {
                    next(Phase.SPIKE, now);
                    ctx.producer().setRate(SPIKE_RATE);
                    LOG.info("Scenario seed-demo, step 4: demand spike, {} msg/s (./deploy-producer.sh {})",
                            SPIKE_RATE, SPIKE_RATE);
                }
            }
            case SPIKE -> {
                if (ctx.pool().replicas() >= SCALE_OUT_GOAL) {
                    LOG.info("Scenario seed-demo: scaled out to {} replicas", ctx.pool().replicas());
                    reachedGoal = true;
                    next(Phase.HOLD, now);
                } else if (now - phaseStart > spikeTimeoutMillis) {
                    LOG.warn("Scenario seed-demo: did not reach {} replicas within {} s; stopping the producer",
                            SCALE_OUT_GOAL, spikeTimeoutMillis / 1000);
                    stopProducer(ctx, now);
                }
            }
            case HOLD -> {
                if (now - phaseStart >= holdMillis) {
                    stopProducer(ctx, now);
                }
            }
            case STOPPED -> {
                if (ctx.pool().replicas() == 0) {
                    LOG.info("Scenario seed-demo: lag drained, cooldown passed, KEDA scaled the consumers to 0");
                    next(Phase.DONE, now);
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
        LOG.info("Scenario seed-demo, step 5: producer stopped (kubectl delete deployment trade-tx-producer)");
        next(Phase.STOPPED, now);
    }

    private void next(Phase p, long now) {
        phase = p;
        phaseStart = now;
    }

    @Override
    public String describe(long now) {
        return switch (phase) {
            case LOW -> "seed-demo, step 3: low load, " + LOW_RATE + " msg/s";
            case SPIKE -> "seed-demo, step 4: demand spike, " + SPIKE_RATE + " msg/s, until " + SCALE_OUT_GOAL
                    + " replicas";
            case HOLD -> "seed-demo: scaled out to " + SCALE_OUT_GOAL + " replicas, holding the spike";
            case STOPPED -> "seed-demo, step 5: producer stopped; waiting for KEDA to scale to 0";
            case DONE -> "seed-demo: done";
        };
    }

    /** True if the spike scaled the group out to the goal before the producer stopped. */
    public boolean reachedScaleOutGoal() {
        return reachedGoal;
    }

    /** True once KEDA has scaled the consumers to zero after the spike. */
    public boolean finished() {
        return phase == Phase.DONE;
    }
}
