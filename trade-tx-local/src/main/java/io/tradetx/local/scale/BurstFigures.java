package io.tradetx.local.scale;

import java.util.Locale;

/**
 * What the burst scenario measured, and its one-line summary in cluster seconds (the run's seconds times the
 * speedup). Every time is on the run's clock in milliseconds; -1 means it did not happen.
 *
 * @param goalReady        pods that must be ready (20)
 * @param goalSeconds      within this many cluster seconds of the spike (60)
 * @param podStartSeconds  median time from a pod's creation to ready on the run's clock, -1 when none was ready
 */
public record BurstFigures(double speedup, int rate, int goalReady, long goalSeconds, long spikeMillis,
                           long firstReadyMillis, long goalReadyMillis, int peakReplicas, long stopMillis,
                           long drainedMillis, double podStartSeconds) {

    /** Cluster seconds from the spike until the first pod was ready, or -1. */
    public double secondsToFirstReady() {
        return sinceSpike(firstReadyMillis);
    }

    /** Cluster seconds from the spike until {@link #goalReady} pods were ready, or -1. */
    public double secondsToGoalReady() {
        return sinceSpike(goalReadyMillis);
    }

    /** Cluster seconds from the producer's stop until the lag was at most lagThreshold, or -1. */
    public double drainSeconds() {
        return drainedMillis < 0 || stopMillis < 0 ? -1 : (drainedMillis - stopMillis) * speedup / 1000.0;
    }

    /** True if {@link #goalReady} pods were ready within {@link #goalSeconds} of the spike. */
    public boolean goalMet() {
        double t = secondsToGoalReady();
        return t >= 0 && t <= goalSeconds;
    }

    private double sinceSpike(long atMillis) {
        return atMillis < 0 || spikeMillis < 0 ? -1 : (atMillis - spikeMillis) * speedup / 1000.0;
    }

    /** The figures so far in one line, e.g. for a live view while the scenario runs. */
    public String progress() {
        return String.format(Locale.ROOT, "0 -> %d msg/s at t=%.1fs; first pod ready %s, %d ready %s, peak %d",
                rate, spikeMillis / 1000.0, plus(secondsToFirstReady()), goalReady, plus(secondsToGoalReady()),
                peakReplicas);
    }

    /** The result line: when pods were ready relative to the spike, the peak, the drain, and the goal. */
    public String summary() {
        String clock = speedup == 1 ? "seconds" : String.format(Locale.ROOT, "cluster seconds = local x %s",
                number(speedup));
        String pod = podStartSeconds < 0 ? "no pod became ready" : String.format(Locale.ROOT,
                "a pod took %.0f s from creation to ready", podStartSeconds * speedup);
        return String.format(Locale.ROOT, "Scenario burst: 0 -> %d msg/s at t=%.1fs; first pod ready %s, %d pods ready"
                        + " %s, peak %d replicas, drained %s after the producer stopped; goal %d ready within %d s: %s"
                        + " (%s; %s)", rate, spikeMillis / 1000.0, plus(secondsToFirstReady()), goalReady,
                plus(secondsToGoalReady()), peakReplicas, drainSeconds() < 0 ? "not" : seconds(drainSeconds()),
                goalReady, goalSeconds, goalMet() ? "met" : "missed", clock, pod);
    }

    private static String plus(double seconds) {
        return seconds < 0 ? "never" : "+" + seconds(seconds);
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.0f s", s);
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
