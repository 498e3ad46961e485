package io.tradetx.scaling.report;

import io.tradetx.scaling.sim.LowerBound;
import io.tradetx.scaling.tune.TuneResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a self-contained HTML report of a tune run: the goals, the Pareto chart, the ranking, the lower bound. */
public final class TuneReport {

    private TuneReport() {
    }

    /**
     * @param setup      what was simulated, a few lines
     * @param lowerBound the bound to show, or null
     * @param references configurations to point out in the chart
     */
    public static String render(TuneResult result, String setup, LowerBound lowerBound, int top,
                                List<ParetoChart.Reference> references) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Tune report</title>\n");
        h.append("<style>body{font-family:sans-serif;margin:20px;max-width:1200px}pre{background:#f6f6f6;padding:8px;"
                + "overflow-x:auto}</style>\n</head><body>\n<h1>Tune report</h1>\n");
        h.append("<p>Goals: ").append(SvgChart.esc(result.goals().describe())).append(". ")
                .append(result.candidates().size()).append(" configurations simulated; ")
                .append(result.candidates().stream().filter(c -> c.slaMet()).count()).append(" meet every goal.</p>\n");
        h.append("<pre>").append(SvgChart.esc(setup)).append("</pre>\n");
        h.append("<h2>Pareto frontier</h2>\n");
        h.append(ParetoChart.render(result.candidates(), result.paretoFrontier(), result.goals().slaP99AgeSeconds(),
                result.best(), references, false));
        h.append("<pre>").append(SvgChart.esc(result.frontierTable())).append("</pre>\n");
        if (lowerBound != null) {
            h.append("<h2>Lower bound</h2>\n<pre>")
                    .append(SvgChart.esc(lowerBound.text(result.goals().burst() != null && lowerBound.p99AgeSeconds()
                            <= result.goals().slaP99AgeSeconds()))).append("</pre>\n");
        }
        h.append("<h2>Ranking</h2>\n<pre>").append(SvgChart.esc(result.table(top))).append("</pre>\n");
        return h.append("</body></html>\n").toString();
    }

    public static void write(Path file, String html) throws IOException {
        Files.writeString(file, html, StandardCharsets.UTF_8);
    }
}
