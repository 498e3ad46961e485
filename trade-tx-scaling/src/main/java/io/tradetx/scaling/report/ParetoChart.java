package io.tradetx.scaling.report;

import io.tradetx.scaling.tune.TuneCandidate;
import java.util.List;
import java.util.Locale;

/**
 * Draws the tuner's candidates as an SVG scatter plot of cost (pod-minutes) against p99 message age: every
 * configuration, those meeting the goals, the Pareto frontier, the SLA line, the chosen one and named references.
 */
public final class ParetoChart {

    /** A configuration to point out by name, e.g. the seed's HEAD ScaledObject. */
    public record Reference(String name, double cost, long p99AgeSeconds) {
    }

    private static final int WIDTH = 900;
    private static final int HEIGHT = 420;
    private static final int LEFT = 70;
    private static final int RIGHT = 30;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    private ParetoChart() {
    }

    /**
     * The chart; points above the y range are drawn on its top edge as triangles.
     *
     * @param standalone true for an .svg file (with the SVG namespace), false to embed it in HTML
     */
    public static String render(List<TuneCandidate> all, List<TuneCandidate> frontier, double slaSeconds,
                                TuneCandidate chosen, List<Reference> references, boolean standalone) {
        // Zoom on the frontier: costs up to 1.6 x its most expensive point, ages up to 4 x the SLA; anything
        // beyond is drawn on the edge.
        double xHigh = 0;
        double xLow = Double.MAX_VALUE;
        double yTop = slaSeconds * 2;
        for (TuneCandidate c : frontier) {
            yTop = Math.max(yTop, c.summary().p99AgeSeconds());
            xHigh = Math.max(xHigh, c.cost() * 1.6);
        }
        for (TuneCandidate c : all) {
            xLow = Math.min(xLow, c.cost());
            xHigh = frontier.isEmpty() ? Math.max(xHigh, c.cost()) : xHigh;
        }
        for (Reference r : references) {
            xHigh = Math.max(xHigh, r.cost());
            xLow = Math.min(xLow, r.cost());
        }
        xLow = xLow == Double.MAX_VALUE ? 0 : xLow * 0.9;
        double step = SvgChart.niceCeiling(Math.max(1e-9, xHigh - xLow) / 5);
        double xMin = Math.floor(xLow / step) * step;
        int xTicks = (int) Math.ceil((xHigh - xMin) / step - 1e-9);
        double xScaleMax = xMin + xTicks * step;
        double yMax = SvgChart.niceCeiling(Math.min(yTop, slaSeconds * 4));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg %swidth=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Pareto frontier\">%n",
                standalone ? "xmlns=\"http://www.w3.org/2000/svg\" " : "", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\" "
                + "font-family=\"sans-serif\">Cost vs p99 message age: %d configurations, Pareto frontier in blue</text>%n",
                LEFT, all.size()));
        for (int i = 0; i <= 5; i++) {
            double y = TOP + plotH - plotH * i / 5.0;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" font-family=\"sans-serif\">%s s</text>%n",
                    LEFT, y, LEFT + plotW, y, LEFT - 6, y + 4, SvgChart.label(yMax * i / 5)));
        }
        for (int i = 0; i <= xTicks; i++) {
            double x = LEFT + plotW * i / (double) xTicks;
            double xValue = xMin + step * i;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" font-family=\"sans-serif\">%s</text>%n",
                    x, TOP, x, TOP + plotH, x, TOP + plotH + 16, SvgChart.label(xValue)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" "
                + "font-family=\"sans-serif\">pod-minutes (placeholder pods included)</text>%n", LEFT + plotW / 2,
                HEIGHT - 10));
        s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" font-size=\"12\" transform=\"rotate(-90 16 %d)\" "
                + "text-anchor=\"middle\" font-family=\"sans-serif\">p99 message age</text>%n", TOP + plotH / 2,
                TOP + plotH / 2));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#888\"/>%n", LEFT, TOP, plotW, plotH));
        double slaY = TOP + plotH - plotH * Math.min(1, slaSeconds / yMax);
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#d62728\" "
                + "stroke-dasharray=\"6 4\"/><text x=\"%d\" y=\"%.1f\" font-size=\"11\" fill=\"#d62728\" "
                + "text-anchor=\"end\" font-family=\"sans-serif\">SLA %.0f s</text>%n", LEFT, slaY, LEFT + plotW, slaY,
                LEFT + plotW - 4, slaY - 4, slaSeconds));
        for (boolean met : new boolean[] {false, true}) {
            for (TuneCandidate c : all) {
                if (c.slaMet() == met) {
                    s.append(point(c.cost(), c.summary().p99AgeSeconds(), xMin, xScaleMax, yMax, plotW, plotH,
                            met ? "#2ca02c" : "#bbbbbb", met ? 2.5 : 2));
                }
            }
        }
        StringBuilder line = new StringBuilder();
        for (TuneCandidate c : frontier) {
            double[] xy = xy(c.cost(), c.summary().p99AgeSeconds(), xMin, xScaleMax, yMax, plotW, plotH);
            line.append(String.format(Locale.ROOT, "%.1f,%.1f ", xy[0], xy[1]));
        }
        s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" "
                + "points=\"%s\"/>%n", line.toString().trim()));
        for (TuneCandidate c : frontier) {
            s.append(point(c.cost(), c.summary().p99AgeSeconds(), xMin, xScaleMax, yMax, plotW, plotH, "#1f77b4",
                    3.5));
        }
        for (Reference r : references) {
            double[] xy = xy(r.cost(), r.p99AgeSeconds(), xMin, xScaleMax, yMax, plotW, plotH);
            s.append(String.format(Locale.ROOT, "<path d=\"M %.1f %.1f l 6 6 l -6 6 l -6 -6 z\" fill=\"#ff7f0e\"/>"
                    + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" font-family=\"sans-serif\">%s (%.1f, %d s)</text>%n",
                    xy[0], xy[1] - 6, xy[0] + 9, xy[1] + 16, SvgChart.esc(r.name()), r.cost(), r.p99AgeSeconds()));
        }
        if (chosen != null) {
            double[] xy = xy(chosen.cost(), chosen.summary().p99AgeSeconds(), xMin, xScaleMax, yMax, plotW, plotH);
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"7\" fill=\"none\" stroke=\"#d62728\" "
                    + "stroke-width=\"2\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#d62728\" "
                    + "font-family=\"sans-serif\">chosen (%.1f, %d s)</text>%n", xy[0], xy[1], xy[0] + 10, xy[1] + 20,
                    chosen.cost(), chosen.summary().p99AgeSeconds()));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#666\" "
                + "font-family=\"sans-serif\">grey: misses a goal; green: meets every goal; blue: not beaten on both "
                + "cost and p99 age</text>%n", LEFT + 6, TOP + plotH - 8));
        return s.append("</svg>\n").toString();
    }

    private static double[] xy(double cost, long p99, double xMin, double xMax, double yMax, int plotW, int plotH) {
        double x = LEFT + plotW * Math.max(0, Math.min(1, (cost - xMin) / (xMax - xMin)));
        double y = TOP + plotH - plotH * Math.min(1, p99 / yMax);
        return new double[] {x, y};
    }

    private static String point(double cost, long p99, double xMin, double xMax, double yMax, int plotW, int plotH,
                                String color, double r) {
        double[] xy = xy(cost, p99, xMin, xMax, yMax, plotW, plotH);
        if (p99 > yMax || cost > xMax) {
            return String.format(Locale.ROOT, "<path d=\"M %.1f %.1f l 3 5 l -6 0 z\" fill=\"%s\"/>%n", xy[0], xy[1],
                    color);
        }
        return String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>%n", xy[0], xy[1], r,
                color);
    }
}
