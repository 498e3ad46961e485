package io.tradetx.scaling.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tradetx.scaling.Resources;
import io.tradetx.scaling.sim.LoadProfile;
import io.tradetx.scaling.sim.SimulationInput;
import io.tradetx.scaling.sim.SimulationResult;
import io.tradetx.scaling.sim.Simulator;
import io.tradetx.scaling.spec.ScaledObjectParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    @Test
    void reportIsSelfContainedWithThreeSvgCharts(@TempDir Path dir) throws Exception {
        SimulationResult r = Simulator.run(SimulationInput.of(
                ScaledObjectParser.parse(Resources.read("seed-head-scaledobject.yaml")),
                LoadProfile.parse("10x60s,1000x300s,0x900s")));
        Path file = dir.resolve("report.html");
        HtmlReport.write(file, r);
        String html = Files.readString(file);
        assertEquals(3, Pattern.compile("<svg[ >]").matcher(html).results().count());
        assertEquals(3, Pattern.compile("</svg>").matcher(html).results().count());
        assertFalse(Pattern.compile("https?://").matcher(html).find(), "no network resources");
        assertFalse(html.contains("<script"), "no scripts");
        assertTrue(html.contains("<polyline"));
        assertTrue(html.contains("peak replicas"));
        assertTrue(html.startsWith("<!DOCTYPE html>"));
    }
}
