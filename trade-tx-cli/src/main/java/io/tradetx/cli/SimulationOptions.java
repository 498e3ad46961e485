package io.tradetx.cli;

import io.tradetx.common.config.Env;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.local.scale.DeploySettings;
import io.tradetx.local.scale.LayeredSettings;
import io.tradetx.local.scale.ScaledObjectFile;
import io.tradetx.scaling.Placeholders;
import io.tradetx.scaling.nodes.NodeModel;
import io.tradetx.scaling.nodes.NodeSize;
import io.tradetx.scaling.nodes.PodRequests;
import io.tradetx.protocol.GroupProtocol;
import io.tradetx.scaling.sim.LoadProfile;
import io.tradetx.scaling.sim.PodProfile;
import io.tradetx.scaling.sim.PodProfileFile;
import io.tradetx.scaling.sim.PodStartBudget;
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

/** The options simulate and tune share: the ScaledObject, the load profile, the pod, the nodes, Prometheus. */
public final class SimulationOptions {
    public static final String DEFAULT_PROFILE = "10x60s,1000x300s,0x900s";
    /** The Deployment whose requests decide how many consumer pods fit on a node. */
    public static final String DEPLOYMENT_PATH = "k8s/consumer-deployment.yaml";
    static final String DEPLOYMENT_NAME = "trade-tx-consumer";

    @Option(names = "--scaled-object", description = "The ScaledObject to simulate (default k8s/scaledobject.yaml;"
            + " ${VAR} placeholders filled from .env.example, then .env, then the environment, then --set).")
    Path scaledObject;

    @Option(names = "--set", description = "Override a deploy setting (the last layer), e.g. --set LAG_THRESHOLD=2000"
            + " or --set BATCH_SIZE=500.")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** The shell environment, the third settings layer; {@link TradeTxCli#commandLine(Map)} gives tests their own. */
    Map<String, String> environment = System.getenv();

    @Option(names = "--profile", defaultValue = DEFAULT_PROFILE,
            description = "Load: RATExDURATION segments, ramps as FROM-TOxDURATION (default ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--partitions", defaultValue = "" + KafkaSettings.DEFAULT_TOPIC_PARTITIONS,
            parameterConsumer = RangeCheck.class, description = "Topic partitions (default ${DEFAULT-VALUE}).")
    @Range(min = KafkaSettings.MIN_TOPIC_PARTITIONS, max = KafkaSettings.MAX_TOPIC_PARTITIONS)
    int partitions;

    @Option(names = "--pod-profile", description = "A pod profile file written by `trade-tx profile`.")
    Path podProfile;

    @Option(names = "--capacity", parameterConsumer = RangeCheck.class, description = "Messages/s one pod processes (default: the pod profile's, else"
            + " BATCH_SIZE / (BATCH_PROCESSING_TIME + BATCH_SIZE x MESSAGE_PROCESSING_TIME) from the environment).")
    @Range(min = 0, minExclusive = true)
    Double capacity;

    @Option(names = "--start-delay", description = "Time from a pod bound to a node to joining the group (default:"
            + " the pod profile's, else --image-pull + --jvm-start + --group-join).")
    Duration startDelay;

    @Option(names = "--image-pull", description = "Pod start budget: sandbox and image pull on a warm node"
            + " (default 4s, an estimate for the consumer image from ECR in-region).")
    Duration imagePull;

    @Option(names = "--jvm-start", description = "Pod start budget: JVM and app start (default 1s: bench cold_start_ms).")
    Duration jvmStart;

    @Option(names = "--group-join", description = "Pod start budget: joining the consumer group (default 1.7s:"
            + " measured by `trade-tx profile`).")
    Duration groupJoin;

    @Option(names = "--ramp-up", description = "Time a joined pod takes to reach full speed (default: the pod"
            + " profile's, else 0.45s as `trade-tx profile` measured).")
    Duration rampUp;

    @Option(names = "--rebalance-pause", description = "How long a moved partition pauses when the group changes,"
            + " for the chosen protocol (default: the pod profile's, else the measured one).")
    Duration rebalancePause;

    @Option(names = "--node-size", description = "Node VCPUS/MEMORY, e.g. 4/8Gi (default 4/8Gi); with the consumer"
            + " Deployment's requests it gives the pods per node.")
    String nodeSize;

    @Option(names = "--node-launch", defaultValue = "0s", parameterConsumer = RangeCheck.class, description = "From a pending pod to a Ready node: 0s ="
            + " warm nodes, a node with room is always there (default); EKS Auto Mode needs about 45s (cold nodes).")
    @Range(min = 0)
    Duration nodeLaunch;

    @Option(names = "--consolidate-after", defaultValue = "30s", parameterConsumer = RangeCheck.class, description = "How long an empty node stays"
            + " (default ${DEFAULT-VALUE}: EKS Auto Mode's general-purpose NodePool).")
    @Range(min = 0)
    Duration consolidateAfter;

    @Option(names = "--headroom", defaultValue = "0", parameterConsumer = RangeCheck.class, description = "Placeholder pods keeping warm room for consumer"
            + " pods (k8s/optional/overprovisioning.yaml; default ${DEFAULT-VALUE}).")
    @Range(min = 0)
    int headroom;

    @Option(names = "--scrape-interval", parameterConsumer = RangeCheck.class, description = "Prometheus scrape interval of the messages-in counter, for a"
            + " prometheus trigger (default 30s: the msk-jmx job in infra-tf/helm.tf).")
    @Range(min = 0, minExclusive = true)
    Duration scrapeInterval;

    @Option(names = "--scrape-offset", parameterConsumer = RangeCheck.class, description = "When the first scrape happens (default: half the interval + 1s,"
            + " off the grids of KEDA polls and HPA syncs).")
    @Range(min = 0)
    Duration scrapeOffset;

    @Option(names = "--protocol", converter = GroupProtocolConverter.class, description = "Group protocol: eager,"
            + " cooperative (classic) or consumer (default from GROUP_PROTOCOL).")
    GroupProtocol protocol;

    @Option(names = "--initial-replicas", defaultValue = "0", parameterConsumer = RangeCheck.class,
            description = "Running pods at t=0 (default ${DEFAULT-VALUE}).")
    @Range(min = 0)
    int initialReplicas;

    /** Loads the ScaledObject: the given file or the default one, placeholders from {@link #settings()}. */
    ScaledObjectSpec spec() throws IOException {
        return withScrape(loadSpec(scaledObject));
    }

    /** The layers, once read ({@link #settings()}). */
    private LayeredSettings layered;

    /**
     * The deploy settings as {@code ./trade-tx local} reads them: .env.example, then .env, then the environment, then
     * --set; a later layer wins.
     */
    LayeredSettings settings() throws IOException {
        // Read once per command: the spec, every --compare file, the pod and the Deployment's requests all use it.
        if (layered == null) {
            layered = LayeredSettings.load(DeploySettings.repoRoot(), environment).withOptions(overrides);
        }
        return layered;
    }

    /** The consumer's environment as a local run builds it: the environment with the layers' consumer settings on top. */
    Env consumerEnv() throws IOException {
        return new Env(settings().consumerEnvironment(environment));
    }

    /** The spec with this run's Prometheus scrape timing for its prometheus trigger, if it has one. */
    ScaledObjectSpec withScrape(ScaledObjectSpec s) {
        if (s.rate() == null || scrapeInterval == null && scrapeOffset == null) {
            return s;
        }
        long interval = scrapeInterval == null ? s.rate().scrapeIntervalMillis() : scrapeInterval.toMillis();
        long offset = scrapeOffset == null ? interval / 2 + 1000 : scrapeOffset.toMillis();
        return s.withRate(s.rate().withScrape(interval, offset));
    }

    /** The ScaledObject in {@code file} (null: the default one), its placeholders filled from {@link #settings()}. */
    ScaledObjectSpec loadSpec(Path file) throws IOException {
        Path f = file != null ? file : DeploySettings.repoRoot().resolve(ScaledObjectFile.DEFAULT_PATH);
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("no ScaledObject at " + f + " (use --scaled-object FILE)");
        }
        try {
            return ScaledObjectFile.load(f, settings().values());
        } catch (ScaledObjectParseException e) {
            throw new IllegalArgumentException("invalid ScaledObject " + f + ":\n  " + String.join("\n  ", e.problems()),
                    e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use ScaledObject " + f + ": " + e.getMessage(), e);
        }
    }

    /** The pod start budget from the options (defaults: {@link PodStartBudget#DEFAULT}). */
    PodStartBudget budget() {
        PodStartBudget d = PodStartBudget.DEFAULT;
        return new PodStartBudget(seconds(imagePull, d.imagePullSeconds()), seconds(jvmStart, d.jvmStartSeconds()),
                seconds(groupJoin, d.groupJoinSeconds()));
    }

    private static double seconds(Duration d, double dflt) {
        return d == null ? dflt : d.toMillis() / 1000.0;
    }

    /**
     * The pod: a profile file (if any), else the measured defaults with the start budget and the capacity from the
     * environment; then the explicit options.
     */
    PodProfile pod(Env env) throws IOException {
        PodProfile p;
        if (podProfile != null) {
            if (imagePull != null || jvmStart != null || groupJoin != null) {
                throw new IllegalArgumentException("--image-pull, --jvm-start and --group-join make the start delay; a"
                        + " --pod-profile file has its own (use --start-delay to override it)");
            }
            p = PodProfileFile.read(podProfile);
        } else {
            ConsumerSettings c = ConsumerSettings.fromEnv(env);
            double batchSeconds = c.batchProcessingTime().toNanos() / 1e9
                    + c.batchSize() * (c.messageProcessingTime().toNanos() / 1e9);
            p = batchSeconds > 0 ? PodProfile.DEFAULT.withCapacity(c.batchSize() / batchSeconds) : PodProfile.DEFAULT;
            p = p.withTimings(budget().totalSeconds(), p.rampUpSeconds());
        }
        if (capacity != null) {
            p = p.withCapacity(capacity);
        }
        if (startDelay != null || rampUp != null) {
            p = p.withTimings(startDelay == null ? p.startDelaySeconds() : startDelay.toMillis() / 1000.0,
                    rampUp == null ? p.rampUpSeconds() : rampUp.toMillis() / 1000.0);
        }
        return p;
    }

    /** The pause option applied to the chosen protocol. */
    private PodProfile withPause(PodProfile p, GroupProtocol protocol) {
        if (rebalancePause == null) {
            return p;
        }
        double s = rebalancePause.toMillis() / 1000.0;
        return switch (protocol) {
            case EAGER -> p.withPauses(s, p.pauseCooperativeSeconds(), p.pauseConsumerSeconds());
            case CLASSIC -> p.withPauses(p.pauseEagerSeconds(), s, p.pauseConsumerSeconds());
            case CONSUMER -> p.withPauses(p.pauseEagerSeconds(), p.pauseCooperativeSeconds(), s);
        };
    }

    /** The consumer Deployment's requests from k8s/consumer-deployment.yaml, filled from the deploy settings. */
    PodRequests requests() throws IOException {
        Path f = DeploySettings.repoRoot().resolve(DEPLOYMENT_PATH);
        if (!Files.isRegularFile(f)) {
            return PodRequests.CONSUMER;
        }
        // Its ${CONSUMER_CPU_REQUEST} and ${CONSUMER_MEMORY} come from the same layers as the ScaledObject's values.
        return PodRequests.fromDeploymentYaml(Placeholders.fill(Files.readString(f), settings().values()),
                DEPLOYMENT_NAME);
    }

    /** The node model from the options and the Deployment's requests. */
    NodeModel nodes() throws IOException {
        NodeSize size = nodeSize == null ? NodeSize.DEFAULT : NodeSize.parse(nodeSize);
        return new NodeModel(size.podsPerNode(requests()), nodeLaunch.toMillis() / 1000.0,
                consolidateAfter.toMillis() / 1000.0, headroom, NodeModel.DEFAULT_PREEMPTION_SECONDS);
    }

    /** The node size in use, for reports. */
    NodeSize nodeSize() {
        return nodeSize == null ? NodeSize.DEFAULT : NodeSize.parse(nodeSize);
    }

    GroupProtocol protocol(Env env) {
        if (protocol != null) {
            return protocol;
        }
        return ConsumerSettings.fromEnv(env).groupProtocol();
    }

    /** Everything but the spec; the caller sets the spec. */
    SimulationInput input(ScaledObjectSpec spec, Env env) throws IOException {
        GroupProtocol p = protocol(env);
        return new SimulationInput(spec, LoadProfile.parse(profile), partitions, withPause(pod(env), p), p,
                initialReplicas, nodes());
    }
}
