package io.tradetx.local.sim;

import io.tradetx.local.scale.LocalAutoscaler;
import java.util.List;
import java.util.Locale;

/** An SVG step chart of replicas over time: the real local run against its simulation. */
public final class ComparisonChart {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 320;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 45;

    private ComparisonChart() {
    }

    public static String svg(RunReplay.Comparison c, String title) {
        double k = c.speedup();
        double[] sim = c.simulatedReplicas();
        double end = Math.max(sim.length / k, c.realSamples().isEmpty() ? 0
                : c.realSamples().get(c.realSamples().size() - 1).atMillis() / 1000.0);
        int yMax = (int) Math.max(2, Math.ceil((Math.max(c.realPeak(), c.simPeak()) + 1) / 2.0) * 2);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                LEFT, esc(title)));
        for (int v = 0; v <= yMax; v += yMax <= 12 ? 1 : 2) {
            double y = TOP + plotH - plotH * (double) v / yMax;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%d</text>%n",
                    LEFT, y, LEFT + plotW, y, LEFT - 6, y + 4, v));
        }
        int step = end <= 60 ? 5 : end <= 180 ? 15 : end <= 600 ? 30 : 60;
        for (int t = 0; t <= end; t += step) {
            double x = LEFT + plotW * t / end;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eeeeee\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%ds</text>%n",
                    x, TOP, x, TOP + plotH, x, TOP + plotH + 16, t));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">"
                + "seconds of the local run (speedup %.0f: 1 s here = %.0f s on a cluster)</text>%n",
                LEFT + plotW / 2, HEIGHT - 8, k, k));
        s.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" font-size=\"11\" transform=\"rotate(-90 14 %d)\" "
                + "text-anchor=\"middle\">replicas</text>%n", TOP + plotH / 2, TOP + plotH / 2));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#888\"/>%n", LEFT, TOP, plotW, plotH));
        // Simulated: one value per slowed-down second, i.e. per 1/k s of the run.
        StringBuilder simPts = new StringBuilder();
        double prevY = -1;
        for (int i = 0; i < sim.length; i++) {
            double x = LEFT + plotW * (i / k) / end;
            double y = TOP + plotH - plotH * sim[i] / yMax;
            if (prevY >= 0 && y != prevY) {
                simPts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, prevY));
            }
            if (prevY < 0 || y != prevY || i == sim.length - 1) {
                simPts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            prevY = y;
        }
        StringBuilder realPts = new StringBuilder();
        prevY = TOP + plotH;
        realPts.append(String.format(Locale.ROOT, "%d,%.1f ", LEFT, prevY));
        List<LocalAutoscaler.ReplicaSample> samples = c.realSamples();
        for (LocalAutoscaler.ReplicaSample r : samples) {
            double x = LEFT + plotW * (r.atMillis() / 1000.0) / end;
            double y = TOP + plotH - plotH * (double) r.replicas() / yMax;
            realPts.append(String.format(Locale.ROOT, "%.1f,%.1f %.1f,%.1f ", x, prevY, x, y));
            prevY = y;
        }
        realPts.append(String.format(Locale.ROOT, "%d,%.1f", LEFT + plotW, prevY));
        s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"3\" "
                + "stroke-opacity=\"0.6\" points=\"%s\"/>%n", realPts.toString().trim()));
        s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"#ff7f0e\" stroke-width=\"1.5\" "
                + "stroke-dasharray=\"5,3\" points=\"%s\"/>%n", simPts.toString().trim()));
        int lx = LEFT + plotW - 330;
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"26\" width=\"14\" height=\"3\" fill=\"#1f77b4\"/>"
                + "<text x=\"%d\" y=\"32\" font-size=\"12\">real (local broker, peak %d)</text>%n", lx, lx + 18,
                c.realPeak()));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"26\" width=\"14\" height=\"3\" fill=\"#ff7f0e\"/>"
                + "<text x=\"%d\" y=\"32\" font-size=\"12\">simulated (peak %d)</text>%n", lx + 190, lx + 208,
                c.simPeak()));
        return s.append("</svg>\n").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
