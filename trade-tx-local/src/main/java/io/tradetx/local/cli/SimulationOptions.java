package io.tradetx.local.cli;

import io.tradetx.common.config.Env;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.local.scale.DeploySettings;
import io.tradetx.local.scale.ScaledObjectFile;
import io.tradetx.scaling.sim.GroupProtocol;
import io.tradetx.scaling.sim.LoadProfile;
import io.tradetx.scaling.sim.PodProfile;
import io.tradetx.scaling.sim.PodProfileFile;
import io.tradetx.scaling.sim.SimulationInput;
import io.tradetx.scaling.spec.ScaledObjectParseException;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options simulate and tune share: the ScaledObject, the load profile and the pod profile. */
public final class SimulationOptions {
    public static final String DEFAULT_PROFILE = "10x60s,1000x300s,0x900s";

    @Option(names = "--scaled-object", description = "The ScaledObject to simulate (default k8s/scaledobject.yaml;"
            + " ${VAR} placeholders filled from .env.example and .env).")
    Path scaledObject;

    @Option(names = "--set", description = "Override a deploy setting used in the ScaledObject, e.g. --set LAG_THRESHOLD=2000.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--profile", defaultValue = DEFAULT_PROFILE,
            description = "Load: RATExDURATION segments, ramps as FROM-TOxDURATION (default ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--partitions", defaultValue = "24", description = "Topic partitions (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--pod-profile", description = "A pod profile file written by `trade-tx profile`.")
    Path podProfile;

    @Option(names = "--capacity", description = "Messages/s one pod processes (default: the pod profile's, else"
            + " BATCH_SIZE / (BATCH_PROCESSING_TIME + BATCH_SIZE x MESSAGE_PROCESSING_TIME) from the environment).")
    Double capacity;

    @Option(names = "--start-delay", description = "Time from pod creation to joining the group (default: the pod"
            + " profile's, else 30s).")
    Duration startDelay;

    @Option(names = "--ramp-up", description = "Time a joined pod takes to reach full speed (default: the pod"
            + " profile's, else 60s).")
    Duration rampUp;

    @Option(names = "--protocol", description = "Group protocol: eager, cooperative or consumer (default from"
            + " GROUP_PROTOCOL: classic = cooperative).")
    String protocol;

    @Option(names = "--initial-replicas", defaultValue = "0",
            description = "Running pods at t=0 (default ${DEFAULT-VALUE}).")
    int initialReplicas;

    /** Loads the ScaledObject: the given file or the default one, placeholders from the deploy settings. */
    ScaledObjectSpec spec() throws IOException {
        return loadSpec(scaledObject, overrides);
    }

    static ScaledObjectSpec loadSpec(Path file, Map<String, String> overrides) throws IOException {
        Path root = DeploySettings.repoRoot();
        Path f = file != null ? file : root.resolve(ScaledObjectFile.DEFAULT_PATH);
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("no ScaledObject at " + f + " (use --scaled-object FILE)");
        }
        try {
            return ScaledObjectFile.load(f, root, overrides);
        } catch (ScaledObjectParseException e) {
            throw new IllegalArgumentException("invalid ScaledObject " + f + ":\n  " + String.join("\n  ", e.problems()),
                    e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use ScaledObject " + f + ": " + e.getMessage(), e);
        }
    }

    /** The pod profile: file (if any), then the explicit options; capacity from the environment otherwise. */
    PodProfile pod(Env env) throws IOException {
        PodProfile p;
        if (podProfile != null) {
            p = PodProfileFile.read(podProfile);
        } else {
            ConsumerSettings c = ConsumerSettings.fromEnv(env);
            double batchSeconds = c.batchProcessingTime().toNanos() / 1e9
                    + c.batchSize() * (c.messageProcessingTime().toNanos() / 1e9);
            p = batchSeconds > 0 ? PodProfile.DEFAULT.withCapacity(c.batchSize() / batchSeconds) : PodProfile.DEFAULT;
        }
        if (capacity != null) {
            if (!(capacity > 0)) {
                throw new IllegalArgumentException("--capacity must be > 0");
            }
            p = p.withCapacity(capacity);
        }
        if (startDelay != null || rampUp != null) {
            p = p.withTimings(startDelay == null ? p.startDelaySeconds() : startDelay.toMillis() / 1000.0,
                    rampUp == null ? p.rampUpSeconds() : rampUp.toMillis() / 1000.0);
        }
        return p;
    }

    GroupProtocol protocol(Env env) {
        if (protocol != null) {
            return GroupProtocol.parse(protocol);
        }
        return fromClient(ConsumerSettings.fromEnv(env).groupProtocol());
    }

    /** The simulator's protocol for a consumer's GROUP_PROTOCOL setting (classic uses cooperative-sticky). */
    public static GroupProtocol fromClient(io.tradetx.common.kafka.GroupProtocol p) {
        return switch (p) {
            case CLASSIC -> GroupProtocol.COOPERATIVE;
            case CONSUMER -> GroupProtocol.CONSUMER;
            case EAGER -> GroupProtocol.EAGER;
        };
    }

    /** Everything but the spec; the caller sets the spec. */
    SimulationInput input(ScaledObjectSpec spec, Env env) throws IOException {
        if (partitions < 1 || partitions > 10_000) {
            throw new IllegalArgumentException("--partitions must be from 1 to 10000");
        }
        if (initialReplicas < 0) {
            throw new IllegalArgumentException("--initial-replicas must be >= 0");
        }
        return new SimulationInput(spec, LoadProfile.parse(profile), partitions, pod(env), protocol(env),
                initialReplicas);
    }
}
