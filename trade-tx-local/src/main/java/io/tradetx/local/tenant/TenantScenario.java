package io.tradetx.local.tenant;

import java.util.List;

/** A script of producer rates across the tenants of a run, e.g. one tenant's burst next to another's steady load. */
public interface TenantScenario {
    /** Called once with every tenant running, before the first step. */
    void start(List<RunningTenant> tenants);

    /** Called about every 100 ms on the run's main thread; returns false when the scenario is over. */
    boolean step(long elapsedMillis);

    /** One line on where the scenario is, for the live view. */
    String describe(long elapsedMillis);
}
