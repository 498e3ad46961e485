package io.tradetx.scaling.tune;

import io.tradetx.scaling.sim.LoadProfile;
import java.util.Locale;

/**
 * What a configuration must achieve: a p99 message age on the main load profile, at most so many direction
 * reversals and pod-minutes there, and optionally, on a burst profile, so many pods ready within so long of the
 * spike.
 *
 * @param maxCost             pod-minutes (placeholders included) the main profile may cost, e.g. what the seed's
 *                            ScaledObject costs; infinite for no limit
 * @param burst               the burst profile, or null for no readiness goal
 * @param readyPods           pods that must be in the group ...
 * @param readyWithinSeconds  ... this long after the burst's spike starts
 * @param delaysSeconds       every goal must hold for the profiles as given and started this much later (e.g. 7 s:
 *                            off the 15 s HPA sync grid), so that a configuration is not tuned to one alignment of
 *                            the load with the syncs and polls; empty or {0} for the profiles as given
 */
public record TuneGoals(double slaP99AgeSeconds, int maxReversals, LoadProfile burst, int readyPods,
                        double readyWithinSeconds, java.util.List<Integer> delaysSeconds, double maxCost) {

    /** Delays the tuner checks by default: the profile as given and 7 s later. */
    public static final java.util.List<Integer> DEFAULT_DELAYS = java.util.List.of(0, 7);

    public TuneGoals {
        delaysSeconds = delaysSeconds.isEmpty() ? java.util.List.of(0) : java.util.List.copyOf(delaysSeconds);
        if (!(slaP99AgeSeconds > 0) || maxReversals < 0 || burst != null && (readyPods < 1 || !(readyWithinSeconds > 0))
                || delaysSeconds.stream().anyMatch(d -> d < 0) || !(maxCost > 0)) {
            throw new IllegalArgumentException("invalid goals: " + this);
        }
    }

    /** Goals on the profiles as given only. */
    public TuneGoals(double slaP99AgeSeconds, int maxReversals, LoadProfile burst, int readyPods,
                     double readyWithinSeconds) {
        this(slaP99AgeSeconds, maxReversals, burst, readyPods, readyWithinSeconds, java.util.List.of(0),
                Double.POSITIVE_INFINITY);
    }

    /** Only the p99 age, flapping allowed, on the profile as given. */
    public static TuneGoals p99(double seconds) {
        return new TuneGoals(seconds, Integer.MAX_VALUE, null, 0, 0);
    }

    /** The same goals with other delays. */
    public TuneGoals withDelays(java.util.List<Integer> delays) {
        return new TuneGoals(slaP99AgeSeconds, maxReversals, burst, readyPods, readyWithinSeconds, delays, maxCost);
    }

    /** The same goals with a cost limit. */
    public TuneGoals withMaxCost(double podMinutes) {
        return new TuneGoals(slaP99AgeSeconds, maxReversals, burst, readyPods, readyWithinSeconds, delaysSeconds,
                podMinutes);
    }

    /** The same goals without a p99 age limit (for the goals besides it). */
    TuneGoals withoutAgeLimit() {
        return new TuneGoals(Double.MAX_VALUE, maxReversals, burst, readyPods, readyWithinSeconds, delaysSeconds,
                maxCost);
    }

    /** One line, e.g. {@code p99 message age <= 45 s, <= 1 reversals, 20 pods ready within 60 s of the burst}. */
    public String describe() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "p99 message age <= %d s", (long) slaP99AgeSeconds));
        if (maxReversals != Integer.MAX_VALUE) {
            b.append(", <= ").append(maxReversals).append(" direction reversals");
        }
        if (maxCost != Double.POSITIVE_INFINITY) {
            b.append(String.format(Locale.ROOT, ", <= %.1f pod-minutes", maxCost));
        }
        if (burst != null) {
            b.append(String.format(Locale.ROOT, ", %d pods ready within %d s of the spike of %s", readyPods,
                    (long) readyWithinSeconds, burst));
        }
        if (delaysSeconds.size() > 1) {
            b.append("; worst of the load started ").append(delaysSeconds).append(" s later");
        }
        return b.toString();
    }
}
