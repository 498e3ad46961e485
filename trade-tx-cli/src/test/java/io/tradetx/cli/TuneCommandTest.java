package io.tradetx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.local.TestSpecs;
import io.tradetx.scaling.spec.ScaledObjectParser;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import io.tradetx.scaling.spec.ScalingRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trade-tx tune}: a small search from the seed's HEAD ScaledObject, and --compare. */
class TuneCommandTest {
    static final Path SEED_HEAD = Path.of("..", "examples", "seed-head-scaledobject.yaml");

    /**
     * The seed's HEAD (lagThreshold 10000, 60 s scale-up window, Min of Pods 10 / Percent 500 per 60 s) lets
     * messages wait about 3 minutes on the seed's spike; of 8 candidates only lagThreshold 1000 with no
     * scale-up window and Percent 900 per 15 s keeps the p99 age within 90 s, so it must win.
     */
    @Test
    void smallSearchPicksTheFastScaleUp(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("best.yaml");
        Cli.Result r = Cli.run("tune", "--scaled-object", SEED_HEAD.toString(), "--profile", "10x60s,1000x300s,0x900s",
                "--capacity", "100", "--start-delay", "30s", "--ramp-up", "60s", "--protocol", "cooperative",
                "--sla-p99-age", "90s", "--lag-thresholds", "10000,1000", "--scale-up-windows", "60,0",
                "--scale-up-policy", "Min:Pods=10/60,Percent=500/60", "--scale-up-policy", "Max:Percent=900/15",
                "--keep", "polling-intervals,scale-down-windows,scale-down-policy,cooldown-periods,min-replicas,"
                        + "rate-thresholds", "--top", "8",
                "--out", out.toString());
        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out()).contains("8 configurations simulated", "SLA: p99 message age <= 90 s", "Best ScaledObject");
        assertThat(r.out().lines().filter(l -> l.matches("\\d+\\s+trade-tx-consumer-scaler\\s.*"))).hasSize(8);
        assertThat(r.out().lines().filter(l -> l.contains(" met "))).hasSize(1);

        ScaledObjectSpec best = ScaledObjectParser.parse(Files.readString(out));
        ScaledObjectSpec seed = ScaledObjectParser.parse(Files.readString(SEED_HEAD));
        assertThat(best.kafka().lagThreshold()).isEqualTo(1000);
        ScalingRules up = best.behavior().scaleUp();
        assertThat(up.stabilizationWindowMillis()).isZero();
        assertThat(up.describe()).contains("Max of Percent 900%/15s");
        assertThat(best.behavior().scaleDown()).isEqualTo(seed.behavior().scaleDown());
        assertThat(best.pollingIntervalMillis()).isEqualTo(seed.pollingIntervalMillis());
        assertThat(Files.readString(out)).contains("saslTokenProvider: \"aws_msk_iam\"");
    }

    /**
     * A small search against the burst and cost goals: the report draws the Pareto frontier, and when no
     * configuration can meet the goals the lower bound says what limits it.
     */
    @Test
    void reportChartFrontierAndLowerBound(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("tune.html");
        Path svg = dir.resolve("pareto.svg");
        Cli.Result r = Cli.run("tune", "--scaled-object", TestSpecs.writeK8s(dir.resolve("so.yaml")).toString(),
                "--profile", "10x60s,1000x300s,0x300s", "--capacity", "100", "--start-delay", "10s", "--ramp-up", "2s",
                "--protocol", "cooperative", "--sla-p99-age", "5s", "--max-reversals", "1",
                "--no-costlier-than", SEED_HEAD.toString(), "--burst-profile", "0x30s,2000x120s", "--ready", "20/60s",
                "--lag-thresholds", "1000,2000", "--rate-thresholds", "0,90", "--keep",
                "polling-intervals,scale-up-windows,scale-down-windows,scale-up-policy,scale-down-policy,"
                        + "cooldown-periods,min-replicas,headrooms",
                "--frontier", "--report", html.toString(), "--chart", svg.toString(), "--out",
                dir.resolve("best.yaml").toString());
        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out()).contains("costs", "4 configurations simulated", "READY20", "RATE_THR",
                "Pareto frontier", "Lower bound", "dominated by: pod start and ramp-up",
                "No configuration met the goals; the closest ScaledObject written to");
        String report = Files.readString(html);
        assertThat(report).contains("<svg", "Pareto frontier", "Lower bound").doesNotContainPattern("(?i)https?://");
        assertThat(Files.readString(svg)).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
                .contains("SLA 5 s", "chosen (");
    }

    @Test
    void compareShowsEachScaledObjectOnTheSameProfile(@TempDir Path dir) throws Exception {
        Path k8s = TestSpecs.writeK8s(dir.resolve("scaledobject.yaml"));
        Cli.Result r = Cli.run("tune", "--compare", k8s.toString(), SEED_HEAD.toString(), "--capacity", "100",
                "--protocol", "cooperative");
        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out()).containsPattern("1\\s+scaledobject\\s").containsPattern("2\\s+seed-head-scaledobject\\s");
    }

    /** tune reads the ScaledObject's settings as local does: the shell's LAG_THRESHOLD over the files, --set over it. */
    @Test
    void theShellAndSetChangeTheScaledObjectAsTheyChangeLocal(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("best.yaml");
        String[] args = {"tune", "--profile", "10x60s", "--capacity", "100", "--protocol", "cooperative",
            "--keep", "lag-thresholds,polling-intervals,scale-up-windows,scale-down-windows,scale-up-policy,"
                    + "scale-down-policy,cooldown-periods,min-replicas,headrooms,rate-thresholds",
            "--out", out.toString()};
        Cli.Result shell = Cli.run(Map.of("LAG_THRESHOLD", "4321"), args);
        assertThat(shell.exitCode()).as(shell.out()).isZero();
        assertThat(ScaledObjectParser.parse(Files.readString(out)).kafka().lagThreshold()).isEqualTo(4321);

        String[] withSet = Arrays.copyOf(args, args.length + 2);
        withSet[args.length] = "--set";
        withSet[args.length + 1] = "LAG_THRESHOLD=1234";
        Cli.Result set = Cli.run(Map.of("LAG_THRESHOLD", "4321"), withSet);
        assertThat(set.exitCode()).as(set.out()).isZero();
        assertThat(ScaledObjectParser.parse(Files.readString(out)).kafka().lagThreshold()).isEqualTo(1234);
    }
}
