package io.tradetx.local.tenant;

import io.tradetx.consumer.pool.ConsumerPool;
import io.tradetx.local.run.LocalRun;
import io.tradetx.producer.TradeProducer;
import io.tradetx.scaling.spec.ScaledObjectSpec;

/**
 * One tenant while a run is up: its producer (its producer login), its consumer pods (its consumer login), its
 * KEDA twin (its keda-reader login) and the ages of the messages its pods stored.
 */
public final class RunningTenant {
    private final TenantPlan plan;
    private final LocalRun.RunContext context;
    private final LocalRun.Scaling scaling;
    private final MessageAges ages;

    RunningTenant(TenantPlan plan, LocalRun.RunContext context, LocalRun.Scaling scaling, MessageAges ages) {
        this.plan = plan;
        this.context = context;
        this.scaling = scaling;
        this.ages = ages;
    }

    public String name() {
        return plan.name();
    }

    /** Its namespace: the tag of its meters. */
    public String namespace() {
        return plan.tenant().namespace();
    }

    public TradeProducer producer() {
        return context.producer();
    }

    public ConsumerPool pool() {
        return context.pool();
    }

    public MessageAges ages() {
        return ages;
    }

    /** Its ScaledObject at the run's speedup; null with fixed consumers. */
    public ScaledObjectSpec spec() {
        return plan.spec();
    }

    public LocalRun.RunContext context() {
        return context;
    }

    LocalRun.Scaling scaling() {
        return scaling;
    }
}
