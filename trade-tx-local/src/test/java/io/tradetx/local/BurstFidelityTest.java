package io.tradetx.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.protocol.GroupProtocol;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.consumer.testing.TestConsumers;
import io.tradetx.local.run.LocalRun;
import io.tradetx.local.scale.BurstFigures;
import io.tradetx.local.scale.BurstScenario;
import io.tradetx.local.scale.LocalAutoscaler;
import io.tradetx.local.sim.RunReplay;
import io.tradetx.scaling.report.HtmlReport;
import io.tradetx.scaling.sim.LoadProfile;
import io.tradetx.scaling.sim.SimulationInput;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import io.tradetx.testkit.SharedBroker;
import io.tradetx.testkit.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The burst as {@code ./trade-tx local --scenario burst --speedup 10} runs it (0 -> 2000 msg/s on 24 partitions,
 * pods of 100 msg/s starting in 10 s of cluster time, whatever ScaledObject k8s/ holds now) against the simulator
 * on the same spec and the load the broker received, with the pod start the run measured: every scale-out within
 * one polling interval, the peak within one replica, and the first and the 20th pod ready within one polling
 * interval of the simulation. Whether the ScaledObject reaches 20 ready pods within 60 s is printed, not asserted:
 * that is the ScaledObject's goal; this test checks the simulator that judges it. The comparison (table, SVG
 * chart, simulation report) is left in target/fidelity/.
 */
@ExtendWith(SharedBroker.class)
@Tag("runs-alone") // a timing bound: see the root pom
class BurstFidelityTest {
    static final double SPEEDUP = 10;
    static final int PARTITIONS = 24;
    /** BATCH_SIZE 100 per BATCH_PROCESSING_TIME 1 s, as the local consumers run. */
    static final double POD_CAPACITY = 100;
    /** A moved partition waits for its old owner's batch (1 s) and the second cooperative rebalance. */
    static final double PAUSE_SECONDS = 1.0;

    @Test
    void simulatorPredictsTheBurst() throws Exception {
        ScaledObjectSpec cluster = TestSpecs.k8s();
        ScaledObjectSpec local = BurstScenario.localSpec(cluster, SPEEDUP);
        KafkaSettings kafka = TestKafka.topic(TestKafka.unique("burst"), PARTITIONS);
        ConsumerSettings consumer = TestConsumers.settings(kafka, kafka.topic() + "-group", 100, Duration.ofMillis(100),
                Duration.ofSeconds(1), GroupProtocol.CLASSIC);
        BurstScenario burst = new BurstScenario(local);
        LocalAutoscaler autoscaler = new LocalAutoscaler(local, burst);
        LocalRun.Options options = new LocalRun.Options(0, PARTITIONS, Duration.ofMinutes(4),
                kafka.bootstrapServers(), -1, BurstScenario.startDelay(BurstScenario.DEFAULT_POD_START, SPEEDUP),
                null);

        assertThat(new LocalRun().run(options, consumer, autoscaler)).isZero();
        assertThat(burst.finished()).as("the burst ran to its end (spike, hold, drain)").isTrue();
        BurstFigures real = burst.figures();
        assertThat(real.secondsToFirstReady()).as(real.summary()).isPositive();

        double podStart = BurstScenario.medianSeconds(burst.startupTimes());
        long end = autoscaler.lastTickMillis();
        RunReplay.Comparison c = RunReplay.compare(autoscaler, local, simulation(cluster,
                RunReplay.arrivalLoad(burst.arrivals(), end, SPEEDUP), podStart));
        // What `./trade-tx simulate` says for the profile as typed (the target rates), for the record.
        RunReplay.Comparison typed = RunReplay.compare(autoscaler, local, simulation(cluster,
                RunReplay.targetLoad(autoscaler.rateChanges(), end, SPEEDUP), podStart));

        long spike = real.spikeMillis();
        double poll = local.pollingIntervalMillis() / 1000.0;
        double[] firstReady = {c.realSecondsUntilReady(1, spike), c.simSecondsUntilReady(1, spike)};
        double[] goalReady = {c.realSecondsUntilReady(BurstScenario.GOAL_READY, spike),
            c.simSecondsUntilReady(BurstScenario.GOAL_READY, spike)};
        String report = c.table()
                + line("first pod ready", firstReady, spike, poll + ownStart(burst, 1, podStart))
                + line(BurstScenario.GOAL_READY + " pods ready", goalReady, spike,
                        poll + ownStart(burst, BurstScenario.GOAL_READY, podStart))
                + String.format(Locale.ROOT, "pod start (creation to ready, median of %d pods): %.2f s = %.0f s of"
                        + " cluster time; each, in the order they became ready: %s%n", burst.startupTimes().size(),
                        podStart, podStart * SPEEDUP, burst.startupTimes().stream()
                                .map(d -> String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0)).toList())
                + String.format(Locale.ROOT, "simulate on the typed profile %s: peak %d, %d ready %s%n",
                        typed.simulation().input().load(), typed.simPeak(), BurstScenario.GOAL_READY,
                        after(typed.simSecondsUntilReady(BurstScenario.GOAL_READY, spike), spike))
                + arrivalsAfterSpike(c, spike)
                + real.summary() + "\n";
        Path dir = Path.of("target", "fidelity");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("burst-comparison.txt"), report);
        Files.writeString(dir.resolve("burst.svg"), c.chart(
                "burst 0 -> 2000 msg/s at speedup 10 (cluster time): replicas, real local run vs simulation"));
        HtmlReport.write(dir.resolve("burst-simulation.html"), c.simulation());
        System.out.println(report);

        assertThat(Math.abs(c.realPeak() - c.simPeak())).as(report).isLessThanOrEqualTo(1);
        assertThat(c.real()).as(report).isNotEmpty();
        assertThat(c.simulated().size()).as(report).isEqualTo(c.real().size());
        for (int i = 0; i < c.real().size(); i++) {
            assertThat(c.gap(i)).as("scale-out step %d\n%s", i + 1, report).isLessThanOrEqualTo(poll);
        }
        assertReadyAlike("first pod ready", firstReady, poll + ownStart(burst, 1, podStart), report);
        assertReadyAlike(BurstScenario.GOAL_READY + " pods ready", goalReady,
                poll + ownStart(burst, BurstScenario.GOAL_READY, podStart), report);
    }

    /**
     * How far the n-th pod to become ready took longer or shorter than the median: the simulator gives every pod
     * the median start, so a readiness time may differ by this on top of its scale step's gap.
     */
    private static double ownStart(BurstScenario burst, int n, double median) {
        return n <= burst.startupTimes().size()
                ? Math.abs(burst.startupTimes().get(n - 1).toNanos() / 1e9 - median) : 0;
    }

    private static SimulationInput simulation(ScaledObjectSpec cluster, LoadProfile load, double podStart) {
        return RunReplay.clusterTimeInput(cluster, load, SPEEDUP, PARTITIONS, POD_CAPACITY, podStart, PAUSE_SECONDS,
                GroupProtocol.CLASSIC);
    }

    private static void assertReadyAlike(String what, double[] realAndSim, double tolerance, String report) {
        assertThat(realAndSim[0] < 0).as(what + ": reached in the real run and the simulation alike\n" + report)
                .isEqualTo(realAndSim[1] < 0);
        if (realAndSim[0] >= 0) {
            assertThat(Math.abs(realAndSim[0] - realAndSim[1])).as(what + "\n" + report)
                    .isLessThanOrEqualTo(tolerance);
        }
    }

    /** The simulated arrivals of the first 20 cluster seconds of the spike: whether the producer kept up. */
    private static String arrivalsAfterSpike(RunReplay.Comparison c, long spikeMillis) {
        int from = (int) (spikeMillis * SPEEDUP / 1000);
        return "arrivals per cluster second from the spike on (target " + BurstScenario.RATE + "): "
                + c.simulation().timeline().stream().skip(from).limit(20).map(r -> Long.toString(r.rateIn())).toList()
                + "\n";
    }

    private static String line(String what, double[] realAndSim, long spikeMillis, double tolerance) {
        return String.format(Locale.ROOT, "%s after the spike: real %s, simulated %s (allowed gap %.2f s: one"
                + " polling interval + this pod's start - median)%n", what, after(realAndSim[0], spikeMillis),
                after(realAndSim[1], spikeMillis), tolerance);
    }

    /** Seconds after the spike on the run's clock and in cluster time. */
    private static String after(double atSeconds, long spikeMillis) {
        if (atSeconds < 0) {
            return "never";
        }
        double s = atSeconds - spikeMillis / 1000.0;
        return String.format(Locale.ROOT, "+%.2f s (cluster +%.0f s)", s, s * SPEEDUP);
    }
}
