package io.tradetx.scaling;

import java.util.List;

/** Formats a {@link ScalingStatus} exactly like a row of {@code kubectl get hpa}. */
public final class HpaStatusLine {

    /** The columns of {@code kubectl get hpa}. */
    public static final List<String> HEADER =
            List.of("NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE");

    /** kubectl's tabwriter pads each column with 3 spaces. */
    private static final int PADDING = 3;
    /** A live view keeps TARGETS at least this wide so lines stay aligned as the value grows. */
    private static final int LIVE_TARGETS_WIDTH = 20;

    private HpaStatusLine() {
    }

    /**
     * The TARGETS cell, e.g. {@code 3580813m/5k (avg)} or {@code <unknown>/5k (avg)}; with several metrics kubectl
     * joins them with ", " (two at most, then "+ N more...").
     */
    public static String targets(ScalingStatus s) {
        StringBuilder b = new StringBuilder();
        List<ScalingStatus.Target> targets = s.targets();
        for (int i = 0; i < Math.min(2, targets.size()); i++) {
            ScalingStatus.Target t = targets.get(i);
            String current = t.averageMilli() < 0 ? "<unknown>" : Quantities.formatMilli(t.averageMilli());
            b.append(i == 0 ? "" : ", ").append(current).append('/').append(Quantities.formatMilli(t.targetMilli()))
                    .append(" (avg)");
        }
        if (targets.size() > 2) {
            b.append(" + ").append(targets.size() - 2).append(" more...");
        }
        return b.toString();
    }

    /** The cells of one row at {@code nowMillis}. */
    public static List<String> cells(ScalingStatus s, long nowMillis) {
        return List.of(s.hpaName(), s.reference(), targets(s), Integer.toString(s.minReplicas()),
                Integer.toString(s.maxReplicas()), Integer.toString(s.currentReplicas()),
                HumanDuration.format(nowMillis - s.createdAtMillis()));
    }

    /** Header plus one row, aligned as kubectl aligns them. */
    public static String format(ScalingStatus s, long nowMillis) {
        return table(List.of(HEADER, cells(s, nowMillis)));
    }

    /** Rows aligned like kubectl: each column as wide as its widest cell plus 3 spaces, the last unpadded. */
    public static String table(List<List<String>> rows) {
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            out.append(row(row, widths)).append('\n');
        }
        return out.toString();
    }

    /** The header for a live view of {@code s}, one {@link #liveRow} per HPA sync below it. */
    public static String liveHeader(ScalingStatus s) {
        return row(HEADER, liveWidths(s));
    }

    /** One row for a live view, aligned with {@link #liveHeader}. */
    public static String liveRow(ScalingStatus s, long nowMillis) {
        return row(cells(s, nowMillis), liveWidths(s));
    }

    private static int[] liveWidths(ScalingStatus s) {
        int[] widths = new int[HEADER.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = HEADER.get(i).length();
        }
        widths[0] = Math.max(widths[0], s.hpaName().length());
        widths[1] = Math.max(widths[1], s.reference().length());
        widths[2] = Math.max(LIVE_TARGETS_WIDTH, targets(s).length());
        return widths;
    }

    private static String row(List<String> cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            b.append(cells.get(i));
            if (i < cells.size() - 1) {
                b.append(" ".repeat(Math.max(0, widths[i] - cells.get(i).length()) + PADDING));
            }
        }
        return b.toString();
    }
}
