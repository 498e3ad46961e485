package io.tradetx.cli;

import io.tradetx.common.config.Env;
import io.tradetx.protocol.GroupProtocol;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.lab.profile.PodProfiler;
import io.tradetx.scaling.sim.PodProfileFile;
import io.tradetx.scaling.sim.PodStartBudget;
import io.tradetx.testkit.LocalKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trade-tx profile}: measure a consumer pod on a real broker and write the pod profile simulate/tune read. */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"Measure one consumer pod (with BATCH_SIZE, BATCH_PROCESSING_TIME, ... from the environment)"
                + " on a real broker: steady capacity on a backlog, time to join and ramp up, and the processing"
                + " pause of moved and unmoved partitions when a member joins, for each group protocol.",
            "Uses the local broker unless --bootstrap-servers is given (then KAFKA_AUTH etc. apply as for the apps);"
                + " creates its own topics named after KAFKA_TOPIC. Writes the pod profile for simulate/tune --pod-profile."})
public final class ProfileCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", description = "Measure on this broker instead of a local one.")
    String bootstrapServers;

    @Option(names = "--out", defaultValue = "pod-profile.properties",
            description = "The pod profile file to write (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--duration", parameterConsumer = RangeCheck.class,
            description = "How long the capacity run lasts (default 30s; 6s with --quick).")
    @Range(min = 2)
    Duration duration;

    @Option(names = "--quick", description = "Short runs on 6 partitions (about 30 s in all; less precise).")
    boolean quick;

    @Option(names = "--protocols", split = ",", converter = GroupProtocolConverter.class,
            description = "Group protocols to measure: eager, cooperative (classic), consumer (default all).")
    List<GroupProtocol> protocols;

    @Option(names = "--pod-start", description = "Time to add to the measured group join for what this run cannot"
            + " see: image pull on a warm node and JVM start on Kubernetes (default: the pod start budget's 4s + 1s,"
            + " see docs/scaling.md).")
    Duration podStart;

    @Override
    public Integer call() throws Exception {
        ConsumerSettings settings = ConsumerSettings.fromEnv(Env.system());
        double podStartSeconds = podStart == null
                ? PodStartBudget.DEFAULT.imagePullSeconds() + PodStartBudget.DEFAULT.jvmStartSeconds()
                : podStart.toMillis() / 1000.0;
        PodProfiler.Options options = quick ? PodProfiler.Options.quick(podStartSeconds)
                : PodProfiler.Options.full(podStartSeconds);
        if (duration != null) {
            options = options.withSteady(duration);
        }
        if (protocols != null) {
            options = new PodProfiler.Options(options.partitions(), options.steady(), options.warmup(),
                    options.settle(), List.copyOf(protocols), options.podStartSeconds());
        }
        LocalKafkaBroker broker = null;
        try {
            KafkaSettings kafka = settings.kafka();
            if (bootstrapServers == null) {
                System.out.println("Starting a local Kafka broker...");
                broker = LocalKafkaBroker.start();
                kafka = KafkaSettings.local(broker.bootstrapServers(), kafka.topic(), options.partitions());
            } else {
                kafka = new KafkaSettings(bootstrapServers, kafka.topic(), kafka.auth(), kafka.awsRegion(),
                        options.partitions(), kafka.topicReplicationFactor(), kafka.clientOverrides(),
                        kafka.saslCredentials());
            }
            String where = bootstrapServers == null ? "a local broker" : bootstrapServers;
            PodProfiler.Result result = new PodProfiler().run(kafka, settings, options);
            String text = result.comments(where, settings) + PodProfileFile.format(result.profile());
            Files.writeString(out, text, StandardCharsets.UTF_8);
            System.out.printf(Locale.ROOT, "Steady capacity   %.1f msg/s%n", result.capacity());
            System.out.printf(Locale.ROOT, "Join / ramp-up    %.2f s / %.2f s%n", result.joinSeconds(), result.rampUpSeconds());
            for (PodProfiler.Pause p : result.pauses()) {
                System.out.printf(Locale.ROOT, "Pause %-11s moved %.2f s (%d partitions), unmoved %.2f s (%d)%n",
                        p.protocol().rebalance(), p.movedSeconds(), p.movedPartitions(), p.unmovedSeconds(),
                        p.unmovedPartitions());
            }
            System.out.println("Pod profile written to " + out + " (use: ./trade-tx simulate --pod-profile " + out + ")");
            return 0;
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }
}
