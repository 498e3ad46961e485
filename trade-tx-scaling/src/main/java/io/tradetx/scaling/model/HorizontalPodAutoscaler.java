package io.tradetx.scaling.model;

import io.tradetx.scaling.spec.HpaBehavior;
import io.tradetx.scaling.spec.PolicyType;
import io.tradetx.scaling.spec.ScalingPolicy;
import io.tradetx.scaling.spec.ScalingRules;
import io.tradetx.scaling.spec.SelectPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kubernetes HPA for External AverageValue metrics (one per KEDA trigger): a proposal per metric with the
 * tolerance, the largest proposal wins (computeReplicasForMetrics), then the legacy path (no behavior) or the
 * behavior path with stabilization windows and rate policies over recorded scale events.
 */
public final class HorizontalPodAutoscaler {

    /** The controller's default tolerance; the per-direction field is feature-gated and ignored. */
    public static final double TOLERANCE = 0.1;

    private final int minReplicas;
    private final int maxReplicas;
    private final long targetAverageValue;
    private final HpaBehavior behavior;
    private final long legacyWindowMillis;
    private final long keepMillis;

    /** Unnormalised proposals, oldest first: {time, replicas}. */
    private final List<long[]> recommendations = new ArrayList<>();
    /** Scale events, oldest first: {time, replica change (positive)}. */
    private final List<long[]> upEvents = new ArrayList<>();
    private final List<long[]> downEvents = new ArrayList<>();

    /**
     * @param behavior           null for KEDA's default of no behavior (the legacy path)
     * @param legacyWindowMillis the controller's downscale stabilisation (300 s unless sped up)
     */
    public HorizontalPodAutoscaler(int minReplicas, int maxReplicas, long targetAverageValue, HpaBehavior behavior,
                                   long legacyWindowMillis) {
        this.minReplicas = minReplicas;
        this.maxReplicas = maxReplicas;
        this.targetAverageValue = targetAverageValue;
        this.behavior = behavior;
        this.legacyWindowMillis = legacyWindowMillis;
        long keep = legacyWindowMillis;
        if (behavior != null) {
            keep = Math.max(behavior.scaleUp().stabilizationWindowMillis(),
                    behavior.scaleDown().stabilizationWindowMillis());
            for (ScalingPolicy p : behavior.scaleUp().policies()) {
                keep = Math.max(keep, p.periodMillis());
            }
            for (ScalingPolicy p : behavior.scaleDown().policies()) {
                keep = Math.max(keep, p.periodMillis());
            }
        }
        this.keepMillis = keep;
    }

    /**
     * One sync at {@code now} with the single metric of the constructor's target.
     *
     * @param specReplicas   the Deployment's spec replicas (the HPA's current replicas)
     * @param statusReplicas the Deployment's existing pods, ready or not
     * @param metricValue    the External metric (capped total lag)
     */
    public HpaResult sync(long now, int specReplicas, int statusReplicas, long metricValue) {
        return sync(now, specReplicas, statusReplicas,
                List.of(new ExternalMetric("lag", metricValue * 1000, targetAverageValue * 1000)));
    }

    /**
     * One sync at {@code now} with every metric of the HPA (KEDA's triggers in order). Each metric proposes replicas
     * on its own, with the tolerance against the existing pods; the largest proposal is normalised.
     */
    public HpaResult sync(long now, int specReplicas, int statusReplicas, List<ExternalMetric> metrics) {
        forgetOlderThan(now - keepMillis - 1);
        HpaResult result;
        if (specReplicas == 0 && minReplicas != 0) {
            return new HpaResult(0, -1, -1, true, "scaling disabled at 0 replicas", List.of());
        } else if (specReplicas > maxReplicas) {
            result = new HpaResult(maxReplicas, -1, -1, false, "above maxReplicas", List.of());
        } else if (specReplicas < minReplicas) {
            result = new HpaResult(minReplicas, -1, -1, false, "below minReplicas", List.of());
        } else {
            if (metrics.isEmpty()) {
                throw new IllegalArgumentException("the HPA needs at least one metric");
            }
            int proposal = 0;
            List<HpaResult.MetricProposal> each = new java.util.ArrayList<>();
            for (ExternalMetric m : metrics) {
                int p = proposal(m.usageMilli(), m.targetMilli(), statusReplicas);
                long average = statusReplicas == 0 ? -1 : (long) Math.ceil((double) m.usageMilli() / statusReplicas);
                each.add(new HpaResult.MetricProposal(m.name(), p, average, m.targetMilli()));
                // computeReplicasForMetrics: a later metric replaces the proposal only when strictly larger.
                if (proposal == 0 || p > proposal) {
                    proposal = p;
                }
            }
            int desired = behavior == null
                    ? normalizeLegacy(now, specReplicas, proposal)
                    : normalizeWithBehavior(now, specReplicas, proposal);
            result = new HpaResult(desired, proposal, each.get(0).averageMilli(), false, reason(each), each);
        }
        if (behavior != null && result.desired() != specReplicas) {
            List<long[]> events = result.desired() > specReplicas ? upEvents : downEvents;
            events.add(new long[] {now, Math.abs(result.desired() - specReplicas)});
        }
        return result;
    }

    private static String reason(List<HpaResult.MetricProposal> each) {
        if (each.size() == 1) {
            return "metric proposes " + each.get(0).proposal();
        }
        StringBuilder b = new StringBuilder();
        for (HpaResult.MetricProposal m : each) {
            b.append(b.length() == 0 ? "" : ", ").append(m.name()).append(" proposes ").append(m.proposal());
        }
        return b.toString();
    }

    /** GetExternalPerPodMetricReplicas: keep the pod count inside the tolerance, else ceil(usage / target). */
    static int proposal(long usageMilli, long targetMilli, int statusReplicas) {
        double ratio = (double) usageMilli / ((double) targetMilli * statusReplicas);
        if (1.0 - TOLERANCE <= ratio && ratio <= 1.0 + TOLERANCE) {
            return statusReplicas;
        }
        return (int) Math.ceil((double) usageMilli / (double) targetMilli);
    }

    private int normalizeLegacy(long now, int current, int proposal) {
        long cutoff = now - legacyWindowMillis;
        int stabilized = proposal;
        for (long[] r : recommendations) {
            // Go: rec.timestamp.Before(cutoff) is dropped, so a sample exactly at the cutoff still counts.
            if (r[0] >= cutoff && r[1] > stabilized) {
                stabilized = (int) r[1];
            }
        }
        recommendations.add(new long[] {now, proposal});
        int upLimit = Math.max(2 * current, 4);
        int maxAllowed = Math.min(maxReplicas, upLimit);
        if (stabilized < minReplicas) {
            return minReplicas;
        }
        return Math.min(stabilized, maxAllowed);
    }

    private int normalizeWithBehavior(long now, int current, int proposal) {
        ScalingRules up = behavior.scaleUp();
        ScalingRules down = behavior.scaleDown();
        long upCutoff = now - up.stabilizationWindowMillis();
        long downCutoff = now - down.stabilizationWindowMillis();
        int upRec = proposal;
        int downRec = proposal;
        for (long[] r : recommendations) {
            // Go: rec.timestamp.After(cutoff), strictly.
            if (r[0] > upCutoff) {
                upRec = (int) Math.min(r[1], upRec);
            }
            if (r[0] > downCutoff) {
                downRec = (int) Math.max(r[1], downRec);
            }
        }
        int r = current;
        if (r < upRec) {
            r = upRec;
        }
        if (r > downRec) {
            r = downRec;
        }
        recommendations.add(new long[] {now, proposal});
        if (r > current) {
            int limit = Math.max(scaleUpLimit(now, current, up), current);
            return Math.min(r, Math.min(limit, maxReplicas));
        }
        if (r < current) {
            int limit = Math.min(scaleDownLimit(now, current, down), current);
            return Math.max(r, Math.max(limit, minReplicas));
        }
        return r;
    }

    private int scaleUpLimit(long now, int current, ScalingRules rules) {
        if (rules.selectPolicy() == SelectPolicy.DISABLED) {
            return current;
        }
        boolean max = rules.selectPolicy() == SelectPolicy.MAX;
        int result = max ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        for (ScalingPolicy p : rules.policies()) {
            int start = periodStart(now, current, p.periodMillis());
            int proposed = p.type() == PolicyType.PODS
                    ? start + p.value()
                    : (int) Math.ceil(start * (1 + p.value() / 100.0));
            result = max ? Math.max(result, proposed) : Math.min(result, proposed);
        }
        return result;
    }

    private int scaleDownLimit(long now, int current, ScalingRules rules) {
        if (rules.selectPolicy() == SelectPolicy.DISABLED) {
            return current;
        }
        boolean max = rules.selectPolicy() == SelectPolicy.MAX;
        int result = max ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        for (ScalingPolicy p : rules.policies()) {
            int start = periodStart(now, current, p.periodMillis());
            int proposed = p.type() == PolicyType.PODS
                    ? start - p.value()
                    : (int) (start * (1 - p.value() / 100.0));
            result = max ? Math.min(result, proposed) : Math.max(result, proposed);
        }
        return result;
    }

    /** Replicas at the start of the period: current minus the ups plus the downs strictly within it. */
    private int periodStart(long now, int current, long periodMillis) {
        long cutoff = now - periodMillis;
        int added = 0;
        int deleted = 0;
        for (long[] e : upEvents) {
            if (e[0] > cutoff) {
                added += (int) e[1];
            }
        }
        for (long[] e : downEvents) {
            if (e[0] > cutoff) {
                deleted += (int) e[1];
            }
        }
        return current - added + deleted;
    }

    private void forgetOlderThan(long t) {
        recommendations.removeIf(r -> r[0] < t);
        upEvents.removeIf(e -> e[0] < t);
        downEvents.removeIf(e -> e[0] < t);
    }

    public int minReplicas() {
        return minReplicas;
    }

    public int maxReplicas() {
        return maxReplicas;
    }
}
