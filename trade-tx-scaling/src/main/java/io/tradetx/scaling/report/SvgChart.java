package io.tradetx.scaling.report;

import java.util.List;
import java.util.Locale;

/** Draws one time-series line chart as inline SVG, with axes, ticks and a legend; no scripts. */
final class SvgChart {

    /** One line: its legend name, colour, and one value per second. */
    record Series(String name, String color, double[] values) {
    }

    private static final int WIDTH = 900;
    private static final int HEIGHT = 260;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final int BOTTOM = 40;
    /** Enough points for a smooth line at this width; longer series keep each bucket's maximum. */
    private static final int MAX_POINTS = 1800;

    private SvgChart() {
    }

    static String render(String title, String yLabel, List<Series> series) {
        int n = series.stream().mapToInt(s -> s.values().length).max().orElse(0);
        double max = 0;
        for (Series s : series) {
            for (double v : s.values()) {
                max = Math.max(max, v);
            }
        }
        double yMax = niceCeiling(max);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT, esc(title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                LEFT, esc(title)));
        for (int i = 0; i <= 4; i++) {
            double v = yMax * i / 4;
            double y = TOP + plotH - plotH * i / 4.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>%n",
                    LEFT, y, LEFT + plotW, y, LEFT - 6, y + 4, label(v)));
        }
        int step = timeStep(n);
        for (int t = 0; t <= n; t += step) {
            double x = LEFT + (n <= 1 ? 0 : plotW * (double) t / (n - 1));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n",
                    x, TOP, x, TOP + plotH, x, TOP + plotH + 16, t % 60 == 0 ? t / 60 + "m" : t + "s"));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" font-size=\"11\" transform=\"rotate(-90 14 %d)\" "
                + "text-anchor=\"middle\">%s</text>%n", TOP + plotH / 2, TOP + plotH / 2, esc(yLabel)));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#888\"/>%n", LEFT, TOP, plotW, plotH));
        int legendX = LEFT + 260;
        for (Series s : series) {
            svg.append(polyline(s, n, yMax, plotW, plotH));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"9\" width=\"12\" height=\"3\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"15\" font-size=\"12\">%s</text>%n", legendX, s.color(), legendX + 16,
                    esc(s.name())));
            legendX += 30 + 7 * s.name().length();
        }
        return svg.append("</svg>\n").toString();
    }

    private static String polyline(Series s, int n, double yMax, int plotW, int plotH) {
        double[] v = s.values();
        int bucket = Math.max(1, (int) Math.ceil(v.length / (double) MAX_POINTS));
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < v.length; i += bucket) {
            double m = v[i];
            for (int j = i; j < Math.min(v.length, i + bucket); j++) {
                m = Math.max(m, v[j]);
            }
            double x = LEFT + (n <= 1 ? 0 : plotW * (double) i / (n - 1));
            double y = TOP + plotH - (yMax == 0 ? 0 : plotH * m / yMax);
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        return String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n",
                s.color(), points.toString().trim());
    }

    private static int timeStep(int n) {
        int[] steps = {10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400};
        for (int s : steps) {
            if (n / s <= 12) {
                return s;
            }
        }
        return 28800;
    }

    static double niceCeiling(double max) {
        if (max <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
        for (double f : new double[] {1, 2, 2.5, 5, 10}) {
            if (f * magnitude >= max) {
                return f * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String label(double v) {
        if (v >= 1_000_000) {
            return trim(v / 1_000_000) + "M";
        }
        if (v >= 1000) {
            return trim(v / 1000) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
