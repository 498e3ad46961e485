package io.tradetx.scaling.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The one chart writer: lines per second or as steps, inline or standalone, with axes and a legend. */
class SvgChartTest {
    private static final Pattern POINTS = Pattern.compile("points=\"([^\"]*)\"");

    @Test
    void inlineChartHasNoNamespaceAndStandaloneIsAFileWithBackground() {
        SvgChart chart = SvgChart.titled("Lag <total>", "messages")
                .add(SvgChart.Series.perSecond("lag", "#d62728", new double[] {0, 10, 20}));
        String inline = chart.inline();
        assertTrue(inline.startsWith("<svg width=\"900\""), inline);
        assertFalse(inline.contains("http://"), "no network resources in an HTML report");
        assertTrue(inline.contains("Lag &lt;total&gt;"), "title escaped");
        String file = chart.standalone();
        assertTrue(file.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), file);
        assertTrue(file.contains("<rect width=\"900\" height=\"270\" fill=\"white\"/>"));
        assertTrue(file.endsWith("</svg>\n"));
    }

    @Test
    void perSecondLinesKeepEachBucketsPeakWhenLongerThanTheWidthAllows() {
        double[] values = new double[3600 * 2];
        values[4001] = 1000; // one peak inside a bucket
        String svg = SvgChart.titled("t", "y").add(SvgChart.Series.perSecond("v", "#000", values)).inline();
        List<String> points = points(svg).get(0);
        assertEquals(1800, points.size());
        assertTrue(points.stream().anyMatch(p -> p.endsWith(",40.0")), "the peak reaches the top of the plot: " + svg);
    }

    @Test
    void stepsGoAlongThenUpAndCarryTheirStyleAndLegend() {
        String svg = SvgChart.titled("replicas", "replicas").wholeNumbers().until(10)
                .add(SvgChart.Series.steps("real (peak 3)", "#1f77b4", new double[] {0, 2, 5, 10},
                        new double[] {0, 1, 3, 3}).drawn(3, 0.6, null))
                .add(SvgChart.Series.steps("simulated", "#ff7f0e", new double[] {0, 4}, new double[] {0, 2})
                        .drawn(1.5, 1, "5,3"))
                .xLabel("seconds of the run").standalone();
        List<String> real = points(svg).get(0);
        // (0,0) then at x=2: along at 0, up to 1; at x=5 along at 1, up to 3; the last point ends the line.
        assertEquals(6, real.size(), real.toString());
        assertEquals(real.get(1).split(",")[0], real.get(2).split(",")[0], "a vertical step: " + real);
        assertTrue(svg.contains("stroke-width=\"3\" stroke-opacity=\"0.6\""), svg);
        assertTrue(svg.contains("stroke-width=\"1.5\" stroke-dasharray=\"5,3\""), svg);
        assertTrue(svg.contains(">real (peak 3)</text>") && svg.contains(">simulated</text>"), "legend");
        assertTrue(svg.contains(">seconds of the run</text>"));
        // Whole-number ticks 0..4 (peak 3 + 1, rounded up to even).
        for (int v = 0; v <= 4; v++) {
            assertTrue(svg.contains("text-anchor=\"end\">" + v + "</text>"), "tick " + v);
        }
        assertFalse(svg.contains("text-anchor=\"end\">5</text>"));
    }

    @Test
    void niceCeilingsAndLabels() {
        assertEquals(1, SvgChart.niceCeiling(0));
        assertEquals(250, SvgChart.niceCeiling(201));
        assertEquals(1000, SvgChart.niceCeiling(501));
        assertEquals("2.5k", SvgChart.label(2500));
        assertEquals("1M", SvgChart.label(1_000_000));
    }

    private static List<List<String>> points(String svg) {
        Matcher m = POINTS.matcher(svg);
        return m.results().map(r -> List.of(r.group(1).split(" "))).toList();
    }
}
