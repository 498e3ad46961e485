package io.tradetx.scaling.sim;

import java.util.List;
import java.util.Locale;

/**
 * What a simulation run cost and how well it kept up.
 *
 * @param maxAgeSeconds  the longest time a message spent in Kafka (whole seconds; messages left at the end
 *                       count with their age at the end)
 * @param p99AgeSeconds  the 99th percentile of that time over all messages
 * @param spikeEndSecond the end of the (first) highest-rate segment of the load profile
 * @param drainSeconds   seconds from spikeEndSecond until the total lag is first &lt;= lagThreshold, or -1 if
 *                       it never is before the profile ends
 * @param podMinutes     the sum over seconds of existing pods (ready or not), divided by 60
 * @param reversals      changes of direction of the Deployment's replicas (up then down or down then up)
 * @param nodeMinutes    the sum over seconds of nodes under the Deployment (launching or Ready), divided by 60
 * @param peakNodes      the most nodes at once
 * @param nodeLaunches   nodes launched during the run
 * @param spikeStartSecond the start of the (first) highest-rate segment
 * @param readySeconds   element k-1: seconds from spikeStartSecond until at least k pods were in the group at once
 *                       (-1 when never), for k up to the most pods ready at once after the spike's start
 */
public record SimulationSummary(int peakReplicas, long maxLag, long maxAgeSeconds, long p99AgeSeconds,
                                int spikeEndSecond, long drainSeconds, double podMinutes, int reversals,
                                int scaleChanges, long messagesIn, long messagesProcessed, double nodeMinutes,
                                int peakNodes, int nodeLaunches, int spikeStartSecond, List<Integer> readySeconds) {

    /** The seed's headline: "sub-minute scaling from 0 to 20+ consumer pods". */
    public static final int HEADLINE_PODS = 20;

    public SimulationSummary {
        readySeconds = List.copyOf(readySeconds);
    }

    /** Seconds from the spike's start until at least {@code pods} pods were ready, or -1 when never. */
    public long secondsUntilReady(int pods) {
        return pods < 1 || pods > readySeconds.size() ? -1 : readySeconds.get(pods - 1);
    }

    static SimulationSummary of(List<TimelineRow> rows, List<Integer> podsPerSecond, AgeHistogram ages,
                                int spikeStart, int spikeEnd, long lagThreshold, int nodeLaunches) {
        int peak = 0;
        long maxLag = 0;
        long in = 0;
        long processed = 0;
        long podSeconds = 0;
        int reversals = 0;
        int changes = 0;
        int lastDirection = 0;
        int previous = -1;
        long drain = -1;
        long nodeSeconds = 0;
        int peakNodes = 0;
        List<Integer> ready = new java.util.ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            TimelineRow r = rows.get(i);
            nodeSeconds += r.nodes();
            peakNodes = Math.max(peakNodes, r.nodes());
            if (r.tSeconds() >= spikeStart) {
                while (ready.size() < r.replicasReady()) {
                    ready.add(r.tSeconds() - spikeStart);
                }
            }
            peak = Math.max(peak, r.replicasDesired());
            maxLag = Math.max(maxLag, r.lagTotal());
            in += r.rateIn();
            processed += r.rateProcessed();
            podSeconds += podsPerSecond.get(i);
            if (previous >= 0 && r.replicasDesired() != previous) {
                changes++;
                int direction = Integer.signum(r.replicasDesired() - previous);
                if (lastDirection != 0 && direction != lastDirection) {
                    reversals++;
                }
                lastDirection = direction;
            }
            previous = r.replicasDesired();
            if (drain < 0 && r.tSeconds() >= spikeEnd && r.lagTotal() <= lagThreshold) {
                drain = r.tSeconds() - spikeEnd;
            }
        }
        return new SimulationSummary(peak, maxLag, ages.max(), ages.quantile(0.99), spikeEnd, drain,
                podSeconds / 60.0, reversals, changes, in, processed, nodeSeconds / 60.0, peakNodes, nodeLaunches,
                spikeStart, ready);
    }

    /** A short human-readable summary, one metric per line. */
    public String text() {
        return String.format(Locale.ROOT, """
                peak replicas        %d
                max total lag        %d
                message age max/p99  %d s / %d s
                drain after spike    %s (from t=%d s until lag <= lagThreshold)
                %-20s %s (from the spike at t=%d s)
                pod-minutes          %.1f
                node-minutes         %.1f (peak %d nodes, %d launched)
                scale changes        %d (%d direction reversals)
                messages in/processed %d / %d
                """, peakReplicas, maxLag, maxAgeSeconds, p99AgeSeconds,
                drainSeconds < 0 ? "never" : drainSeconds + " s", spikeEndSecond,
                HEADLINE_PODS + " pods ready", readyText(HEADLINE_PODS), spikeStartSecond, podMinutes, nodeMinutes,
                peakNodes, nodeLaunches, scaleChanges, reversals, messagesIn, messagesProcessed);
    }

    /** E.g. {@code after 41 s}, or {@code never (at most 11 at once)}. */
    public String readyText(int pods) {
        long s = secondsUntilReady(pods);
        return s < 0 ? "never (at most " + readySeconds.size() + " at once)" : "after " + s + " s";
    }
}
