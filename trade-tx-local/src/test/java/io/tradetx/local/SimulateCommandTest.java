package io.tradetx.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.scaling.sim.TimelineCsv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trade-tx simulate} end to end: the project's ScaledObject on the seed's load, summary, CSV and report. */
class SimulateCommandTest {

    @Test
    void simulatesTheSeedLoadAndWritesCsvAndReport(@TempDir Path dir) throws Exception {
        Path so = TestSpecs.writeK8s(dir.resolve("scaledobject.yaml"));
        Path csv = dir.resolve("timeline.csv");
        Path html = dir.resolve("report.html");
        Cli.Result r = Cli.run("simulate", "--scaled-object", so.toString(), "--profile", "10x60s,1000x300s,0x900s",
                "--partitions", "24", "--capacity", "100", "--start-delay", "30s", "--ramp-up", "60s",
                "--protocol", "cooperative", "--csv", csv.toString(), "--report", html.toString());
        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out()).contains("peak replicas", "max total lag", "message age max/p99", "drain after spike",
                "pod-minutes", "direction reversals", "KEDA: scaled 0 -> 1", "HPA: scaled 1 -> ");

        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("t_seconds,rate_in,rate_processed,lag_total,replicas_desired,replicas_ready,active");
        assertThat(lines.get(0)).isEqualTo(TimelineCsv.HEADER);
        assertThat(lines).hasSize(1 + 60 + 300 + 900);
        assertThat(lines.get(1)).startsWith("0,");
        assertThat(lines.get(lines.size() - 1)).startsWith("1259,");

        String report = Files.readString(html);
        assertThat(Pattern.compile("<svg").matcher(report).results().count()).isEqualTo(3);
        assertThat(report).doesNotContainPattern("(?i)https?://");
        assertThat(report).contains("trade-tx-consumer-scaler");
    }

    @Test
    void rejectsABadProfileAndAMissingScaledObject(@TempDir Path dir) throws Exception {
        Path so = TestSpecs.writeK8s(dir.resolve("scaledobject.yaml"));
        Cli.Result bad = Cli.run("simulate", "--scaled-object", so.toString(), "--profile", "10/60s");
        assertThat(bad.exitCode()).isNotZero();
        Cli.Result missing = Cli.run("simulate", "--scaled-object", dir.resolve("nope.yaml").toString());
        assertThat(missing.exitCode()).isNotZero();
    }
}
