package io.tradetx.scaling.tune;

import io.tradetx.scaling.spec.PrometheusTriggerSpec;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Formats candidates as an aligned text table, one row per configuration. */
final class CandidateTable {

    private CandidateTable() {
    }

    static String format(List<TuneCandidate> candidates, int limit, TuneGoals goals) {
        List<String> header = new ArrayList<>(List.of("#", "NAME", "SLA", "MISS", "P99_AGE", "MAX_AGE"));
        if (goals.burst() != null) {
            header.add("READY" + goals.readyPods());
        }
        header.addAll(List.of("POD_MIN", "NODE_MIN", "FLAPS", "PEAK", "LAG_THR", "RATE_THR", "MIN", "POLL",
                "COOLDOWN", "HEADROOM", "SCALE_UP", "SCALE_DOWN"));
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        for (int i = 0; i < Math.min(limit, candidates.size()); i++) {
            TuneCandidate c = candidates.get(i);
            ScaledObjectSpec s = c.spec();
            List<String> row = new ArrayList<>(List.of(Integer.toString(i + 1), s.name(), c.slaMet() ? "met" : "MISSED",
                    c.slaMet() ? "-" : String.format(Locale.ROOT, "+%.0f%%", c.shortfall() * 100),
                    c.summary().p99AgeSeconds() + "s", c.summary().maxAgeSeconds() + "s"));
            if (goals.burst() != null) {
                long ready = c.burstReadySeconds(goals.readyPods());
                row.add(ready < 0 ? "never" : ready + "s");
            }
            row.addAll(List.of(String.format(Locale.ROOT, "%.1f", c.cost()),
                    String.format(Locale.ROOT, "%.1f", c.summary().nodeMinutes()),
                    Integer.toString(c.summary().reversals()), Integer.toString(c.summary().peakReplicas()),
                    Long.toString(s.kafka().lagThreshold()),
                    s.rate() == null ? "-" : PrometheusTriggerSpec.number(s.rate().threshold()),
                    Integer.toString(s.minReplicaCount()), seconds(s.pollingIntervalMillis()),
                    seconds(s.cooldownPeriodMillis()), Integer.toString(c.headroom()),
                    s.behavior() == null ? "legacy" : s.behavior().scaleUp().describe(),
                    s.behavior() == null ? "legacy" : s.behavior().scaleDown().describe()));
            rows.add(row);
        }
        int[] widths = new int[header.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                b.append(row.get(i));
                if (i < row.size() - 1) {
                    b.append(" ".repeat(widths[i] - row.get(i).length() + 2));
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis / 1000.0 + "s";
    }
}
