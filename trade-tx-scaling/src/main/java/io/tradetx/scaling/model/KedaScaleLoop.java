package io.tradetx.scaling.model;

/**
 * KEDA's per-ScaledObject loop run every pollingInterval: 0 to N on activity, N to 0 after the cooldown.
 * Between 1 and N it only records the last active time; the HPA owns that range.
 */
public final class KedaScaleLoop {

    private final int minReplicaCount;
    private final long cooldownMillis;
    private final long initialCooldownMillis;
    private final long createdAtMillis;
    private Long lastActiveMillis;

    public KedaScaleLoop(int minReplicaCount, long cooldownMillis, long initialCooldownMillis, long createdAtMillis) {
        this.minReplicaCount = minReplicaCount;
        this.cooldownMillis = cooldownMillis;
        this.initialCooldownMillis = initialCooldownMillis;
        this.createdAtMillis = createdAtMillis;
    }

    /** One polling cycle at {@code now} with the scaler's activity and the Deployment's spec replicas. */
    public KedaDecision poll(long now, boolean active, int replicas) {
        if (active) {
            lastActiveMillis = now;
            if (replicas == 0) {
                return new KedaDecision(Math.max(minReplicaCount, 1), "active with 0 replicas");
            }
            return KedaDecision.NONE;
        }
        if (replicas > 0 && minReplicaCount == 0) {
            // Strictly after: "lastActive + cooldown before now" in Go's time.Before.
            boolean cooledDown = lastActiveMillis == null
                    ? createdAtMillis + initialCooldownMillis < now
                    : lastActiveMillis + cooldownMillis < now;
            if (cooledDown) {
                return new KedaDecision(0, "inactive for longer than the cooldown period");
            }
            return KedaDecision.NONE;
        }
        if (replicas < minReplicaCount) {
            // KEDA also restores minReplicaCount when inactive below it; the HPA ignores 0 replicas.
            return new KedaDecision(minReplicaCount, "below minReplicaCount");
        }
        return KedaDecision.NONE;
    }

    /** The last time the scaler was active, or null when never. */
    public Long lastActiveMillis() {
        return lastActiveMillis;
    }
}
