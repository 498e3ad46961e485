package io.tradetx.scaling.spec;

import java.util.List;

/**
 * An immutable, validated ScaledObject with one kafka trigger and at most one prometheus trigger on the topic's
 * ingest rate; every time setting is in milliseconds.
 *
 * @param behavior the HPA behavior, or null when none is given (the HPA's legacy path then applies)
 * @param rate     the prometheus trigger on the ingest rate, or null when the kafka trigger is the only one
 * @param warnings fields that were accepted but have no effect (feature-gated), one sentence each
 * @param speedup  how much every time setting was divided by ({@link #withSpeedup}); 1 for a parsed file
 */
public record ScaledObjectSpec(String name, String namespace, String scaleTargetKind, String scaleTargetName,
                               long pollingIntervalMillis, long cooldownPeriodMillis,
                               long initialCooldownPeriodMillis, int minReplicaCount, int maxReplicaCount,
                               KafkaTriggerSpec kafka, HpaBehavior behavior, List<String> warnings,
                               double speedup, PrometheusTriggerSpec rate) {

    /** KEDA's defaults: pollingInterval 30 s, cooldownPeriod 300 s, initialCooldownPeriod 0, min 0, max 100. */
    public static final long DEFAULT_POLLING_INTERVAL_MILLIS = 30_000;
    public static final long DEFAULT_COOLDOWN_MILLIS = 300_000;
    public static final int DEFAULT_MAX_REPLICAS = 100;
    /** The HPA controller's --horizontal-pod-autoscaler-sync-period and downscale stabilisation defaults. */
    public static final long HPA_SYNC_PERIOD_MILLIS = 15_000;
    public static final long HPA_LEGACY_DOWNSCALE_WINDOW_MILLIS = 300_000;

    public ScaledObjectSpec {
        warnings = List.copyOf(warnings);
    }

    /** A spec with the kafka trigger only. */
    public ScaledObjectSpec(String name, String namespace, String scaleTargetKind, String scaleTargetName,
                            long pollingIntervalMillis, long cooldownPeriodMillis, long initialCooldownPeriodMillis,
                            int minReplicaCount, int maxReplicaCount, KafkaTriggerSpec kafka, HpaBehavior behavior,
                            List<String> warnings, double speedup) {
        this(name, namespace, scaleTargetKind, scaleTargetName, pollingIntervalMillis, cooldownPeriodMillis,
                initialCooldownPeriodMillis, minReplicaCount, maxReplicaCount, kafka, behavior, warnings, speedup, null);
    }

    /** HPA minReplicas as KEDA creates it: minReplicaCount if positive, else 1. */
    public int hpaMinReplicas() {
        return minReplicaCount > 0 ? minReplicaCount : 1;
    }

    /** The HPA sync period, divided by the speedup like every other time setting. */
    public long hpaSyncPeriodMillis() {
        return Math.round(HPA_SYNC_PERIOD_MILLIS / speedup);
    }

    /** The HPA's legacy (no behavior) downscale stabilisation window, divided by the speedup. */
    public long hpaLegacyDownscaleWindowMillis() {
        return Math.round(HPA_LEGACY_DOWNSCALE_WINDOW_MILLIS / speedup);
    }

    /** Divides every time setting by {@code k} (fractions of seconds kept as milliseconds). */
    public ScaledObjectSpec withSpeedup(double k) {
        if (!(k > 0)) {
            throw new IllegalArgumentException("speedup must be > 0, was " + k);
        }
        return new ScaledObjectSpec(name, namespace, scaleTargetKind, scaleTargetName,
                Math.round(pollingIntervalMillis / k), Math.round(cooldownPeriodMillis / k),
                Math.round(initialCooldownPeriodMillis / k), minReplicaCount, maxReplicaCount, kafka,
                behavior == null ? null : behavior.divided(k), warnings, speedup * k,
                rate == null ? null : rate.divided(k));
    }

    /**
     * The same ScaledObject on a clock {@code k} times slower on which every rate is {@code k} times lower (how a
     * one-second simulation replays a local run at speedup k): every time setting times k, the rate trigger's
     * thresholds (msg/s per pod) divided by k; lag thresholds are counts and stay.
     */
    public ScaledObjectSpec slowedDown(double k) {
        ScaledObjectSpec s = withSpeedup(1 / k);
        return s.rate == null ? s : s.withRate(s.rate.withRatesDivided(k));
    }

    /** The same spec with another trigger. */
    public ScaledObjectSpec withKafka(KafkaTriggerSpec k) {
        return new ScaledObjectSpec(name, namespace, scaleTargetKind, scaleTargetName, pollingIntervalMillis,
                cooldownPeriodMillis, initialCooldownPeriodMillis, minReplicaCount, maxReplicaCount, k, behavior,
                warnings, speedup, rate);
    }

    /** The same spec with another behavior (null for none). */
    public ScaledObjectSpec withBehavior(HpaBehavior b) {
        return new ScaledObjectSpec(name, namespace, scaleTargetKind, scaleTargetName, pollingIntervalMillis,
                cooldownPeriodMillis, initialCooldownPeriodMillis, minReplicaCount, maxReplicaCount, kafka, b,
                warnings, speedup, rate);
    }

    /** The same spec with another pollingInterval. */
    public ScaledObjectSpec withPollingIntervalMillis(long millis) {
        return new ScaledObjectSpec(name, namespace, scaleTargetKind, scaleTargetName, millis,
                cooldownPeriodMillis, initialCooldownPeriodMillis, minReplicaCount, maxReplicaCount, kafka, behavior,
                warnings, speedup, rate);
    }

    /** The same spec with another cooldownPeriod. */
    public ScaledObjectSpec withCooldownPeriodMillis(long millis) {
        return new ScaledObjectSpec(name, namespace, scaleTargetKind, scaleTargetName, pollingIntervalMillis, millis,
                initialCooldownPeriodMillis, minReplicaCount, maxReplicaCount, kafka, behavior, warnings, speedup, rate);
    }

    /** The same spec with another minReplicaCount. */
    public ScaledObjectSpec withMinReplicaCount(int min) {
        return new ScaledObjectSpec(name, namespace, scaleTargetKind, scaleTargetName, pollingIntervalMillis,
                cooldownPeriodMillis, initialCooldownPeriodMillis, min, maxReplicaCount, kafka, behavior,
                warnings, speedup, rate);
    }

    /** The same spec with another (or, for null, without the) prometheus ingest-rate trigger. */
    public ScaledObjectSpec withRate(PrometheusTriggerSpec r) {
        return new ScaledObjectSpec(name, namespace, scaleTargetKind, scaleTargetName, pollingIntervalMillis,
                cooldownPeriodMillis, initialCooldownPeriodMillis, minReplicaCount, maxReplicaCount, kafka, behavior,
                warnings, speedup, r);
    }

    /** The same spec with another name. */
    public ScaledObjectSpec withName(String newName) {
        return new ScaledObjectSpec(newName, namespace, scaleTargetKind, scaleTargetName, pollingIntervalMillis,
                cooldownPeriodMillis, initialCooldownPeriodMillis, minReplicaCount, maxReplicaCount, kafka, behavior,
                warnings, speedup, rate);
    }
}
