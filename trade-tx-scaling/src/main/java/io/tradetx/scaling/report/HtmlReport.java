package io.tradetx.scaling.report;

import io.tradetx.scaling.ScalingEvent;
import io.tradetx.scaling.sim.SimulationInput;
import io.tradetx.scaling.sim.SimulationResult;
import io.tradetx.scaling.sim.TimelineRow;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes a self-contained HTML report of a simulation: settings, summary, three SVG charts and the events. */
public final class HtmlReport {

    private static final int MAX_EVENTS = 500;

    private HtmlReport() {
    }

    public static void write(Path file, SimulationResult result) throws IOException {
        Files.writeString(file, render(result), StandardCharsets.UTF_8);
    }

    /** The report's HTML: no scripts, no external resources. */
    public static String render(SimulationResult result) {
        List<TimelineRow> rows = result.timeline();
        SimulationInput in = result.input();
        ScaledObjectSpec spec = in.spec();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
        h.append("<title>Scaling simulation: ").append(SvgChart.esc(spec.name())).append("</title>\n");
        h.append("<style>body{font-family:sans-serif;margin:20px;max-width:960px}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
                + "pre{background:#f6f6f6;padding:8px}</style>\n</head><body>\n");
        h.append("<h1>Scaling simulation: ").append(SvgChart.esc(spec.name())).append("</h1>\n");
        h.append("<table>\n");
        row(h, "load profile", in.load().toString());
        row(h, "partitions", Integer.toString(in.partitions()));
        row(h, "group protocol", in.protocol().rebalance());
        row(h, "pod", String.format(Locale.ROOT, "%.0f msg/s, start %.1f s, ramp-up %.2f s, rebalance pause %.1f s",
                in.pod().capacityMsgsPerSec(), in.pod().startDelaySeconds(), in.pod().rampUpSeconds(),
                in.pod().pauseSeconds(in.protocol())));
        row(h, "lagThreshold", Long.toString(spec.kafka().lagThreshold()));
        row(h, "pollingInterval / cooldown", spec.pollingIntervalMillis() / 1000.0 + " s / "
                + spec.cooldownPeriodMillis() / 1000.0 + " s");
        row(h, "replicas", spec.minReplicaCount() + " to " + spec.maxReplicaCount());
        row(h, "HPA behavior", spec.behavior() == null ? "none (legacy rules)" : spec.behavior().describe());
        row(h, "rate trigger", spec.rate() == null ? "none (lag alone)" : spec.rate().describe());
        row(h, "nodes", in.nodes().describe());
        h.append("</table>\n<h2>Summary</h2>\n<pre>").append(SvgChart.esc(result.summary().text())).append("</pre>\n");

        h.append("<h2>Charts</h2>\n");
        h.append(SvgChart.titled("Load vs processing rate", "msg/s")
                .add(SvgChart.Series.perSecond("produced", "#1f77b4", values(rows, r -> r.rateIn())))
                .add(SvgChart.Series.perSecond("processed", "#2ca02c", values(rows, r -> r.rateProcessed())))
                .inline());
        h.append(SvgChart.titled("Total lag", "messages")
                .add(SvgChart.Series.perSecond("lag", "#d62728", values(rows, r -> r.lagTotal())))
                .add(SvgChart.Series.perSecond("lagThreshold", "#999999",
                        values(rows, r -> spec.kafka().lagThreshold())))
                .inline());
        h.append(SvgChart.titled("Replicas and nodes", "pods / nodes")
                .add(SvgChart.Series.perSecond("desired", "#ff7f0e", values(rows, r -> r.replicasDesired())))
                .add(SvgChart.Series.perSecond("ready", "#9467bd", values(rows, r -> r.replicasReady())))
                .add(SvgChart.Series.perSecond("nodes", "#8c564b", values(rows, r -> r.nodes())))
                .inline());

        h.append("<h2>Autoscaler events</h2>\n<pre>");
        List<ScalingEvent> events = result.events();
        events.stream().limit(MAX_EVENTS).forEach(e -> h.append(SvgChart.esc(e.toString())).append('\n'));
        if (events.size() > MAX_EVENTS) {
            h.append("... ").append(events.size() - MAX_EVENTS).append(" more\n");
        }
        h.append("</pre>\n</body></html>\n");
        return h.toString();
    }

    private static void row(StringBuilder h, String key, String value) {
        h.append("<tr><th>").append(SvgChart.esc(key)).append("</th><td>").append(SvgChart.esc(value))
                .append("</td></tr>\n");
    }

    private static double[] values(List<TimelineRow> rows, java.util.function.ToDoubleFunction<TimelineRow> f) {
        return rows.stream().mapToDouble(f).toArray();
    }
}
