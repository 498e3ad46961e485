package io.tradetx.scaling.sim;

/**
 * One tenant of a shared-node simulation: its name, its own ScaledObject, load, topic, pod and group protocol
 * (a {@link SimulationInput}, whose node model is replaced by the shared one) and the consumer pods its
 * namespace's ResourceQuota admits.
 *
 * @param podQuota consumer pods the tenant may have at once; {@link #NO_QUOTA} for no cap
 */
public record TenantInput(String name, SimulationInput input, int podQuota) {

    public static final int NO_QUOTA = Integer.MAX_VALUE;

    public TenantInput {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a tenant needs a name");
        }
        if (podQuota < 1) {
            throw new IllegalArgumentException("tenant " + name + ": a quota must admit at least 1 pod");
        }
        if (input.initialReplicas() > podQuota) {
            throw new IllegalArgumentException("tenant " + name + ": " + input.initialReplicas()
                    + " initial replicas exceed its quota of " + podQuota + " pods");
        }
    }

    /** A tenant without a quota cap. */
    public TenantInput(String name, SimulationInput input) {
        this(name, input, NO_QUOTA);
    }

    public boolean capped() {
        return podQuota != NO_QUOTA;
    }
}
