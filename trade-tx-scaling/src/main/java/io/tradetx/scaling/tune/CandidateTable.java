package io.tradetx.scaling.tune;

import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Formats candidates as an aligned text table, one row per configuration. */
final class CandidateTable {

    private static final List<String> HEADER = List.of("#", "NAME", "SLA", "P99_AGE", "MAX_AGE", "POD_MIN", "FLAPS",
            "PEAK", "LAG_THR", "POLL", "SCALE_UP", "SCALE_DOWN");

    private CandidateTable() {
    }

    static String format(List<TuneCandidate> candidates, int limit) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (int i = 0; i < Math.min(limit, candidates.size()); i++) {
            TuneCandidate c = candidates.get(i);
            ScaledObjectSpec s = c.spec();
            rows.add(List.of(Integer.toString(i + 1), s.name(), c.slaMet() ? "met" : "MISSED",
                    c.summary().p99AgeSeconds() + "s", c.summary().maxAgeSeconds() + "s",
                    String.format(Locale.ROOT, "%.1f", c.summary().podMinutes()),
                    Integer.toString(c.summary().reversals()), Integer.toString(c.summary().peakReplicas()),
                    Long.toString(s.kafka().lagThreshold()), seconds(s.pollingIntervalMillis()),
                    s.behavior() == null ? "legacy" : s.behavior().scaleUp().describe(),
                    s.behavior() == null ? "legacy" : s.behavior().scaleDown().describe()));
        }
        int[] widths = new int[HEADER.size()];
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
