package io.tradetx.scaling.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Draws one line chart over time (seconds on the x axis) as SVG, with axes, ticks and a legend; no
 * scripts. Lines are either one value per second or steps between (time, value) points; the chart is
 * inline (for an HTML report) or a standalone .svg file.
 */
public final class SvgChart {

    /**
     * One line: legend name, colour, points (x in seconds), drawn straight or as steps, with a stroke
     * width, opacity and an optional SVG dash pattern.
     */
    public record Series(String name, String color, double[] x, double[] y, boolean steps, double width,
                         double opacity, String dash) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException(name + ": " + x.length + " x values for " + y.length + " y values");
            }
        }

        /** One value per second, joined by straight lines. */
        public static Series perSecond(String name, String color, double[] values) {
            double[] x = new double[values.length];
            Arrays.setAll(x, i -> i);
            return new Series(name, color, x, values, false, 1.5, 1, null);
        }

        /** A value that holds from each x until the next (replica counts). */
        public static Series steps(String name, String color, double[] x, double[] y) {
            return new Series(name, color, x, y, true, 1.5, 1, null);
        }

        public Series drawn(double strokeWidth, double strokeOpacity, String dashArray) {
            return new Series(name, color, x, y, steps, strokeWidth, strokeOpacity, dashArray);
        }
    }

    private static final int WIDTH = 900;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 45;
    /** Enough points for a smooth line at this width; longer straight series keep each bucket's maximum. */
    private static final int MAX_POINTS = 1800;

    private final String title;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private String xLabel;
    private int height = 270;
    private boolean wholeNumbers;
    private double xMax = -1;

    private SvgChart(String title, String yLabel) {
        this.title = title;
        this.yLabel = yLabel;
    }

    public static SvgChart titled(String title, String yLabel) {
        return new SvgChart(title, yLabel);
    }

    public SvgChart add(Series s) {
        series.add(s);
        return this;
    }

    /** A caption under the time axis. */
    public SvgChart xLabel(String caption) {
        this.xLabel = caption;
        return this;
    }

    public SvgChart height(int pixels) {
        this.height = pixels;
        return this;
    }

    /** Counts (replicas): y ticks at every whole number (every second one above 12). */
    public SvgChart wholeNumbers() {
        this.wholeNumbers = true;
        return this;
    }

    /** The end of the time axis in seconds (default: the last point of any series). */
    public SvgChart until(double seconds) {
        this.xMax = seconds;
        return this;
    }

    /** The chart as an element of an HTML page. */
    public String inline() {
        return render(false);
    }

    /** The chart as an .svg file: its own namespace, font and white background. */
    public String standalone() {
        return render(true);
    }

    private String render(boolean standalone) {
        double end = xMax >= 0 ? xMax : series.stream().mapToDouble(s -> s.x().length == 0 ? 0 : s.x()[s.x().length - 1])
                .max().orElse(0);
        double max = series.stream().flatMapToDouble(s -> Arrays.stream(s.y())).max().orElse(0);
        double yMax = wholeNumbers ? Math.max(2, Math.ceil((max + 1) / 2.0) * 2) : niceCeiling(max);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = height - TOP - BOTTOM;
        Frame f = new Frame(end, yMax, plotW, plotH);
        StringBuilder svg = new StringBuilder();
        if (standalone) {
            svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                    + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" role=\"img\" aria-label=\"%s\">%n",
                    WIDTH, height, WIDTH, height, esc(title)));
            svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        } else {
            svg.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
                    + "aria-label=\"%s\">%n", WIDTH, height, WIDTH, height, esc(title)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                LEFT, esc(title)));
        List<Double> yTicks = new ArrayList<>();
        if (wholeNumbers) {
            for (int v = 0; v <= yMax; v += yMax <= 12 ? 1 : 2) {
                yTicks.add((double) v);
            }
        } else {
            for (int i = 0; i <= 4; i++) {
                yTicks.add(yMax * i / 4);
            }
        }
        for (double v : yTicks) {
            double y = f.y(v);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>%n",
                    LEFT, y, LEFT + plotW, y, LEFT - 6, y + 4, label(v)));
        }
        int step = timeStep(end);
        for (int t = 0; t <= end; t += step) {
            double x = f.x(t);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n",
                    x, TOP, x, TOP + plotH, x, TOP + plotH + 16, t % 60 == 0 ? t / 60 + "m" : t + "s"));
        }
        if (xLabel != null) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n",
                    LEFT + plotW / 2, height - 8, esc(xLabel)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" font-size=\"11\" transform=\"rotate(-90 14 %d)\" "
                + "text-anchor=\"middle\">%s</text>%n", TOP + plotH / 2, TOP + plotH / 2, esc(yLabel)));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#888\"/>%n", LEFT, TOP, plotW, plotH));
        int legendX = LEFT;
        for (Series s : series) {
            svg.append(polyline(s, f));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"26\" width=\"12\" height=\"3\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"32\" font-size=\"12\">%s</text>%n", legendX, s.color(), legendX + 16,
                    esc(s.name())));
            legendX += 30 + 7 * s.name().length();
        }
        return svg.append("</svg>\n").toString();
    }

    /** Maps seconds and values to pixels. */
    private record Frame(double end, double yMax, int plotW, int plotH) {
        double x(double seconds) {
            return LEFT + (end <= 0 ? 0 : plotW * Math.min(seconds, end) / end);
        }

        double y(double value) {
            return TOP + plotH - (yMax == 0 ? 0 : plotH * value / yMax);
        }
    }

    private static String polyline(Series s, Frame f) {
        StringBuilder points = new StringBuilder();
        double[] xs = s.x();
        double[] ys = s.y();
        if (s.steps()) {
            double prevY = Double.NaN;
            for (int i = 0; i < xs.length; i++) {
                double x = f.x(xs[i]);
                double y = f.y(ys[i]);
                if (!Double.isNaN(prevY) && y != prevY) {
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, prevY)); // along, then up or down
                }
                if (Double.isNaN(prevY) || y != prevY || i == xs.length - 1) {
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                }
                prevY = y;
            }
        } else {
            int bucket = Math.max(1, (int) Math.ceil(xs.length / (double) MAX_POINTS));
            for (int i = 0; i < xs.length; i += bucket) {
                double m = ys[i];
                for (int j = i; j < Math.min(ys.length, i + bucket); j++) {
                    m = Math.max(m, ys[j]);
                }
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", f.x(xs[i]), f.y(m)));
            }
        }
        return String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s%s points=\"%s\"/>%n",
                s.color(), trim(s.width()),
                s.opacity() < 1 ? String.format(Locale.ROOT, " stroke-opacity=\"%s\"", trim(s.opacity())) : "",
                s.dash() != null ? " stroke-dasharray=\"" + esc(s.dash()) + "\"" : "", points.toString().trim());
    }

    /** At most about 12 time ticks, at round numbers of seconds or minutes. */
    private static int timeStep(double end) {
        int[] steps = {5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400};
        for (int s : steps) {
            if (end / s <= 12) {
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
