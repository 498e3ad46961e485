package io.tradetx.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tradetx.common.config.Env;
import io.tradetx.common.config.Startup;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.lifecycle.Termination;
import io.tradetx.consumer.sink.Sinks;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.consumer.Replay;
import io.tradetx.consumer.sink.TradeSink;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trade-tx replay}: re-read the topic from a timestamp through the consumer's sink, in its own group. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        header = "Re-read the topic from a point in time through the same sink, in its own group.",
        description = {"Re-read the topic from a point in time through the same decode, dead-letter and sink path",
            "as the consumer (SINK, LEDGER_FILE, SINK_JDBC_URL, BATCH_SIZE, BATCH_PROCESSING_TIME, KAFKA_* from the environment),",
            "in a separate consumer group so the live group is untouched. Stops at the end offsets at start",
            "(or --to) and prints read/processed/dead_lettered/skipped_after_to.",
            "Only data still within the topic's retention can be replayed (log.retention.hours;",
            "on MSK set by Terraform, see docs/reliability.md)."})
public final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, description = "Start time, e.g. 2026-01-01T00:00:00Z or 2026-01-01 (UTC).")
    String from;

    @Option(names = "--to", description = "End time (inclusive); later records are skipped.")
    String to;

    @Option(names = "--bootstrap-servers", description = "Kafka to read from (default: KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--group", description = "Replay consumer group (default: trade-tx-replay-<epoch seconds>).")
    String group;

    @Option(names = "--republish-dead-letters",
            description = "Send invalid records to the dead-letter topic again (default: only count them).")
    boolean republishDeadLetters;

    @Override
    public Integer call() throws Exception {
        Instant fromTime;
        Instant toTime;
        try {
            fromTime = parseTime(from);
            toTime = to == null ? null : parseTime(to);
        } catch (DateTimeParseException e) {
            System.err.println("Invalid option: " + e.getParsedString()
                    + " is not a time such as 2026-01-01T00:00:00Z or 2026-01-01");
            return Startup.EXIT_INVALID_SETTINGS;
        }
        if (toTime != null && toTime.isBefore(fromTime)) {
            System.err.println("Invalid option: --to " + toTime + " is before --from " + fromTime);
            return Startup.EXIT_INVALID_SETTINGS;
        }
        ConsumerSettings settings = ConsumerSettings.fromEnv(Env.system());
        if (bootstrapServers != null) {
            KafkaSettings k = settings.kafka();
            settings = settings.withKafka(new KafkaSettings(bootstrapServers, k.topic(), k.auth(), k.awsRegion(),
                    k.topicPartitions(), k.topicReplicationFactor(), k.clientOverrides(), k.saslCredentials()));
        }
        String replayGroup = group != null ? group : Replay.defaultGroup();
        if (replayGroup.equals(settings.consumerGroup())) {
            System.err.println("Invalid option: --group must differ from the live group " + settings.consumerGroup());
            return Startup.EXIT_INVALID_SETTINGS;
        }
        AtomicBoolean stop = new AtomicBoolean();
        Termination.onSignal(() -> stop.set(true));
        try (TradeSink sink = Sinks.fromSettings(settings)) {
            Replay.Counts counts = Replay.run(settings, fromTime, toTime, replayGroup, sink, new SimpleMeterRegistry(),
                    republishDeadLetters, stop::get);
            System.out.println(counts.summary());
            return stop.get() ? 1 : 0;
        }
    }

    static Instant parseTime(String s) {
        String v = s.trim();
        if (v.length() == 10) {
            return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        return Instant.parse(v);
    }
}
