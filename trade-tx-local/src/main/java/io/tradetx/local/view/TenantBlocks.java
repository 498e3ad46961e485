package io.tradetx.local.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders the live view of {@code ./trade-tx local --tenants}: a title, the {@code kubectl get hpa} header once, then
 * one block per tenant (its topic and group, its ScaledObject, its HPA row, pods, lag, rates and latest events),
 * the scenario, and the footer. Events get what room the terminal leaves, shared equally by the tenants.
 */
public final class TenantBlocks {

    private TenantBlocks() {
    }

    /**
     * The lines within {@code rows} (events shrink first); {@code footer} adds the feedback and typing hint lines.
     *
     * @param tenants  one name per status, in the same order
     * @param scenario the scenario's line, or null
     */
    public static List<String> render(List<String> tenants, List<LiveStatus> statuses, String scenario, int rows,
                                      boolean unicode, boolean footer) {
        int fixed = lines(tenants, statuses, scenario, 0, unicode, footer).size();
        int events = Math.max(0, Math.min(StatusBlock.EVENT_LINES, (rows - fixed) / Math.max(1, tenants.size())));
        return lines(tenants, statuses, scenario, events, unicode, footer);
    }

    private static List<String> lines(List<String> tenants, List<LiveStatus> statuses, String scenario,
                                      int eventLines, boolean unicode, boolean footer) {
        List<String> lines = new ArrayList<>();
        LiveStatus first = statuses.get(0);
        lines.add(String.format(Locale.ROOT, "trade-tx local --tenants %s   t=%.1fs   one broker: SASL/SCRAM logins,"
                + " ACLs from infra-tf/kafka-permissions.json", String.join(",", tenants), first.elapsedSeconds()));
        if (!first.scaling().hpaRows().isEmpty()) {
            lines.add(label("") + first.scaling().hpaRows().get(0));
        }
        for (int i = 0; i < tenants.size(); i++) {
            LiveStatus s = statuses.get(i);
            lines.add(String.format(Locale.ROOT, "%-11s%s (%d partitions), group %s", "TENANT " + tenants.get(i),
                    s.topic(), s.partitions(), s.group()));
            lines.add(label("") + s.scaling().description());
            if (s.scaling().hpaRows().size() > 1) {
                lines.add(label("") + s.scaling().hpaRows().get(1));
            }
            lines.add(label("PODS") + StatusBlock.pods(s.pods()));
            lines.add(label("LAG") + StatusBlock.lag(s.partitionLag(), s.lagProblem(), unicode));
            lines.add(label("RATES") + String.format(Locale.ROOT,
                    "producer target %d msg/s, sending %.0f msg/s; consumers processing %.0f msg/s", s.targetRate(),
                    s.producerRate(), s.consumerRate()));
            List<String> events = s.scaling().events();
            List<String> shown = events.subList(Math.max(0, events.size() - eventLines), events.size());
            for (int e = 0; e < eventLines; e++) {
                lines.add(label(e == 0 ? "EVENTS" : "") + (e < shown.size() ? shown.get(e) : ""));
            }
        }
        if (scenario != null) {
            lines.add(label("SCENARIO") + scenario);
        }
        if (footer) {
            lines.add(first.note() == null ? "" : first.note());
            lines.add("Type a tenant and a rate + Enter (e.g. " + tenants.get(0) + " 1000) to change its load; q + Enter"
                    + " or Ctrl-C to stop. Logs: " + first.logFile());
        }
        return lines;
    }

    private static String label(String name) {
        return StatusBlock.label(name);
    }

    /** The feedback line for a rate typed for a tenant at {@code elapsedMillis}. */
    public static String rateSet(String tenant, int rate, long elapsedMillis) {
        return String.format(Locale.ROOT, "t=%.1fs: tenant %s's producer rate set to %d msg/s"
                + " (./deploy-producer.sh --tenant %s %d)", elapsedMillis / 1000.0, tenant, rate, tenant, rate);
    }
}
