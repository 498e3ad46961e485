package io.tradetx.local.tenant;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the fairness scenario measured: each tenant's message age and pods before the burst tenant's burst and
 * while it scaled out and back, the burst tenant's peak and timing, and whether every other tenant stayed within
 * noise. Noise, defined: a p99 age within max(1 s, 25 % of the baseline p99) of the baseline, and the same number of
 * pods throughout both windows. Times are on the run's clock in milliseconds (-1: did not happen); ages are real
 * milliseconds (Kafka and the pods run in real time at any speedup).
 *
 * @param tenants the burst tenant first, then the others
 */
public record FairnessFigures(double speedup, List<TenantFigures> tenants, long burstStartMillis, long burstEndMillis,
                              int peakReplicas, long peakAtMillis, long backAtMillis) {

    /** The least difference of p99 ages that counts as more than noise. */
    public static final long MIN_NOISE_MILLIS = 1000;
    /** The share of the baseline p99 that still counts as noise, when larger than {@link #MIN_NOISE_MILLIS}. */
    public static final double NOISE_SHARE = 0.25;

    public FairnessFigures {
        tenants = List.copyOf(tenants);
    }

    /** One window's figures of one tenant: messages stored, their p99 and oldest age, and the pods' range. */
    public record Window(long messages, long p99Millis, long maxMillis, int minReplicas, int maxReplicas) {
        String pods() {
            return minReplicas == maxReplicas ? Integer.toString(minReplicas) : minReplicas + ".." + maxReplicas;
        }
    }

    /** One tenant: its load, and its figures before the burst and while the burst tenant scaled out and back. */
    public record TenantFigures(String tenant, String load, Window before, Window during) {
    }

    /** The most a p99 may move from {@code baselineP99Millis} and still be noise. */
    public static long noiseMillis(long baselineP99Millis) {
        return Math.max(MIN_NOISE_MILLIS, Math.round(NOISE_SHARE * baselineP99Millis));
    }

    public TenantFigures burstTenant() {
        return tenants.get(0);
    }

    public List<TenantFigures> others() {
        return tenants.subList(1, tenants.size());
    }

    /** Both windows stored messages and their p99 ages differ by at most the noise. */
    public static boolean ageWithinNoise(TenantFigures t) {
        return t.before().messages() > 0 && t.during().messages() > 0
                && Math.abs(t.during().p99Millis() - t.before().p99Millis()) <= noiseMillis(t.before().p99Millis());
    }

    /** One pod count throughout both windows. */
    public static boolean podsIdentical(TenantFigures t) {
        return t.before().minReplicas() == t.before().maxReplicas() && t.during().minReplicas() == t.during().maxReplicas()
                && t.before().maxReplicas() == t.during().maxReplicas();
    }

    /** The burst tenant had more pods at its peak than before, and came back to its pods before. */
    public boolean scaledOutAndBack() {
        return peakReplicas > burstTenant().before().maxReplicas() && backAtMillis >= 0;
    }

    /** Every other tenant stayed within noise on both counts. */
    public boolean isolated() {
        return !others().isEmpty() && others().stream().allMatch(t -> ageWithinNoise(t) && podsIdentical(t));
    }

    private double clusterSeconds(long from, long to) {
        return (to - from) * speedup / 1000.0;
    }

    /** One line per tenant, then the verdict. */
    public List<String> lines() {
        TenantFigures a = burstTenant();
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "Scenario fairness, tenant %s: %s; pods %s before, peak %d %s, %s; p99 message"
                + " age %s before, %s during (%s)", a.tenant(), a.load(), a.before().pods(), peakReplicas,
                peakAtMillis < 0 ? "" : String.format(Locale.ROOT, "+%.0f s after its burst began",
                        clusterSeconds(burstStartMillis, peakAtMillis)),
                backAtMillis < 0 ? "did not come back to " + a.before().pods() + " in time"
                        : String.format(Locale.ROOT, "back to %s +%.0f s after the burst ended", a.before().pods(),
                        clusterSeconds(burstEndMillis, backAtMillis)),
                seconds(a.before().p99Millis()), seconds(a.during().p99Millis()),
                speedup == 1 ? "times in seconds" : "times in cluster seconds = local x " + number(speedup)
                        + "; ages in real seconds"));
        for (TenantFigures t : others()) {
            long noise = noiseMillis(t.before().p99Millis());
            out.add(String.format(Locale.ROOT, "Scenario fairness, tenant %s: %s; p99 message age %s before, %s while %s"
                    + " scaled out and back (max %s / %s; %d / %d messages): %s (noise: max(1 s, 25 %%) = %s); pods %s"
                    + " before, %s during: %s", t.tenant(), t.load(), seconds(t.before().p99Millis()),
                    seconds(t.during().p99Millis()), a.tenant(), seconds(t.before().maxMillis()),
                    seconds(t.during().maxMillis()), t.before().messages(), t.during().messages(),
                    ageWithinNoise(t) ? "within noise" : "BEYOND NOISE", seconds(noise), t.before().pods(),
                    t.during().pods(), podsIdentical(t) ? "identical" : "CHANGED"));
        }
        String names = String.join(", ", others().stream().map(TenantFigures::tenant).toList());
        out.add("Scenario fairness: " + (isolated() ? "tenant " + names + " isolated from " + a.tenant()
                + "'s burst (p99 age within noise, pods identical)" : "tenant " + names + " NOT isolated from "
                + a.tenant() + "'s burst") + "; " + a.tenant() + (scaledOutAndBack() ? " scaled out and back"
                : " did NOT scale out and back"));
        return out;
    }

    private static String seconds(long millis) {
        return millis < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
