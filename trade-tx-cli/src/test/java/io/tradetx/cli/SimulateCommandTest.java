package io.tradetx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.local.TestSpecs;
import io.tradetx.local.scale.DeploySettings;
import io.tradetx.scaling.sim.TimelineCsv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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

    /**
     * The pod start budget and cold nodes: 10 s pods on nodes that take 45 s, with the project's ScaledObject and
     * its ingest-rate trigger; the summary shows node-minutes and when 20 pods were ready after the spike.
     */
    @Test
    void podStartBudgetAndColdNodes(@TempDir Path dir) throws Exception {
        Path so = TestSpecs.writeK8s(dir.resolve("scaledobject.yaml"));
        Cli.Result warm = Cli.run("simulate", "--scaled-object", so.toString(), "--profile", "0x30s,2000x300s",
                "--capacity", "100", "--image-pull", "8s", "--jvm-start", "1s", "--group-join", "1s", "--ramp-up", "2s",
                "--protocol", "cooperative");
        assertThat(warm.exitCode()).as(warm.out()).isZero();
        assertThat(warm.out()).contains("start delay 10 s", "ingest rate [60.0 s window, 30.0 s scrapes] / 90 msg/s",
                "15 pods per node, warm nodes", "node-minutes");
        Cli.Result cold = Cli.run("simulate", "--scaled-object", so.toString(), "--profile", "0x30s,2000x300s",
                "--capacity", "100", "--start-delay", "10s", "--ramp-up", "2s", "--protocol", "cooperative",
                "--node-launch", "45s", "--node-size", "2/4Gi");
        assertThat(cold.exitCode()).as(cold.out()).isZero();
        assertThat(cold.out()).contains("6 pods per node, node launch 45 s");
        long warmReady = readySeconds(warm.out());
        long coldReady = readySeconds(cold.out());
        assertThat(coldReady).as(cold.out()).isGreaterThanOrEqualTo(warmReady + 45);
        Cli.Result clash = Cli.run("simulate", "--scaled-object", so.toString(), "--pod-profile",
                dir.resolve("p.properties").toString(), "--image-pull", "3s");
        assertThat(clash.exitCode()).isNotZero();
    }

    private static long readySeconds(String out) {
        java.util.regex.Matcher m = Pattern.compile("20 pods ready\\s+after (\\d+) s").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Long.parseLong(m.group(1));
    }

    /**
     * simulate reads the settings as {@code local} does: .env.example, .env, then the shell's environment, then --set.
     * A shell LAG_THRESHOLD changes the project's ScaledObject and a shell BATCH_SIZE the pod's capacity; --set wins.
     */
    @Test
    void theShellAndSetChangeTheSimulationAsTheyChangeLocal() throws Exception {
        String fromFiles = DeploySettings.load(DeploySettings.repoRoot()).get("LAG_THRESHOLD");
        assertThat(fromFiles).isNotEqualTo("4321");
        String[] args = {"simulate", "--profile", "10x60s", "--protocol", "cooperative", "--start-delay", "10s"};
        Cli.Result files = Cli.run(Map.of(), args);
        assertThat(files.exitCode()).as(files.out()).isZero();
        assertThat(files.out()).contains("lagThreshold " + fromFiles + ",");

        Cli.Result shell = Cli.run(Map.of("LAG_THRESHOLD", "4321", "BATCH_SIZE", "50", "BATCH_PROCESSING_TIME", "1",
                "MESSAGE_PROCESSING_TIME", "0"), args);
        assertThat(shell.exitCode()).as(shell.out()).isZero();
        assertThat(shell.out()).contains("lagThreshold 4321,", "Pod 50.0 msg/s");

        String[] withSet = Arrays.copyOf(args, args.length + 4);
        System.arraycopy(new String[] {"--set", "LAG_THRESHOLD=1234", "--set", "BATCH_SIZE=20"}, 0, withSet,
                args.length, 4);
        Cli.Result set = Cli.run(Map.of("LAG_THRESHOLD", "4321", "BATCH_SIZE", "50", "BATCH_PROCESSING_TIME", "1",
                "MESSAGE_PROCESSING_TIME", "0"), withSet);
        assertThat(set.exitCode()).as(set.out()).isZero();
        assertThat(set.out()).as("--set is the last layer").contains("lagThreshold 1234,", "Pod 20.0 msg/s");
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
