package io.tradetx.scaling.tune;

import io.tradetx.scaling.sim.LoadProfile;
import java.util.Locale;

/**
 * What a configuration must achieve: a p99 message age on the main load profile, at most so many direction
 * reversals there, and optionally, on a burst profile, so many pods ready within so long of the spike.
 *
 * @param burst               the burst profile, or null for no readiness goal
 * @param readyPods           pods that must be in the group ...
 * @param readyWithinSeconds  ... this long after the burst's spike starts
 */
public record TuneGoals(double slaP99AgeSeconds, int maxReversals, LoadProfile burst, int readyPods,
                        double readyWithinSeconds) {

    public TuneGoals {
        if (!(slaP99AgeSeconds > 0) || maxReversals < 0 || burst != null && (readyPods < 1 || !(readyWithinSeconds > 0))) {
            throw new IllegalArgumentException("invalid goals: " + this);
        }
    }

    /** Only the p99 age, flapping allowed. */
    public static TuneGoals p99(double seconds) {
        return new TuneGoals(seconds, Integer.MAX_VALUE, null, 0, 0);
    }

    /** One line, e.g. {@code p99 message age <= 45 s, <= 1 reversals, 20 pods ready within 60 s of the burst}. */
    public String describe() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "p99 message age <= %d s", (long) slaP99AgeSeconds));
        if (maxReversals != Integer.MAX_VALUE) {
            b.append(", <= ").append(maxReversals).append(" direction reversals");
        }
        if (burst != null) {
            b.append(String.format(Locale.ROOT, ", %d pods ready within %d s of the spike of %s", readyPods,
                    (long) readyWithinSeconds, burst));
        }
        return b.toString();
    }
}
