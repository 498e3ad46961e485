package io.tradetx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.local.TestSpecs;
import io.tradetx.scaling.sim.PodProfile;
import io.tradetx.scaling.sim.PodProfileFile;
import io.tradetx.testkit.SharedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trade-tx profile --quick} on the shared broker writes a pod profile that simulate reads. */
class ProfileCommandTest {

    @Test
    void quickProfileWritesAReadablePodProfile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("pod-profile.properties");
        Cli.Result r = Cli.run("profile", "--quick", "--bootstrap-servers", SharedBroker.bootstrapServers(),
                "--out", out.toString());
        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out()).contains("Steady capacity", "Pause eager", "Pause cooperative", "Pause consumer");

        // The environment's defaults: BATCH_SIZE 100, BATCH_PROCESSING_TIME 1 s, so about 100 msg/s.
        PodProfile p = PodProfileFile.read(out);
        assertThat(p.capacityMsgsPerSec()).isBetween(60.0, 105.0);
        assertThat(p.startDelaySeconds()).isBetween(0.0, 30.0);
        assertThat(p.rampUpSeconds()).isBetween(0.0, 10.0);
        assertThat(Files.readString(out)).contains("# measured by `trade-tx profile`", "moved partitions pause");

        Path so = TestSpecs.writeK8s(dir.resolve("scaledobject.yaml"));
        Cli.Result sim = Cli.run("simulate", "--scaled-object", so.toString(), "--pod-profile", out.toString(),
                "--profile", "10x60s,500x120s,0x300s");
        assertThat(sim.exitCode()).as(sim.out()).isZero();
        assertThat(sim.out()).contains("peak replicas");
    }
}
