package io.tradetx.consumer;

import io.tradetx.common.config.Env;
import io.tradetx.common.kafka.GroupProtocol;
import io.tradetx.common.kafka.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** Every consumer setting, read once from the environment and validated. */
public record ConsumerSettings(
        KafkaSettings kafka,
        String consumerGroup,
        int batchSize,
        Duration batchTimeout,
        Duration batchProcessingTime,
        Duration messageProcessingTime,
        int metricsPort,
        GroupProtocol groupProtocol,
        String deadLetterTopic,
        SinkType sink,
        Path ledgerFile,
        JdbcSettings jdbc) {

    public static final String DEFAULT_GROUP = "trade-tx-consumer";
    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final double DEFAULT_BATCH_TIMEOUT_SECONDS = 0.1;
    public static final double DEFAULT_BATCH_PROCESSING_SECONDS = 1;
    public static final double DEFAULT_MESSAGE_PROCESSING_SECONDS = 0;
    public static final int DEFAULT_METRICS_PORT = 8000;
    public static final String DEAD_LETTER_SUFFIX = ".dlq";
    /** SIGTERM must finish within Kubernetes' grace period; the manifests give 45 s. */
    public static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(30);

    /**
     * Where processed batches go: the seed's simulated DB write, that write plus a ledger file, or a
     * real PostgreSQL table (then the simulated processing times do not apply).
     */
    public enum SinkType {
        SIMULATED,
        LEDGER,
        POSTGRES
    }

    /** The PostgreSQL sink's connection; the password is never logged. */
    public record JdbcSettings(String url, String user, String password, String table) {
        public String describe() {
            return "jdbc_url=" + url + (user == null ? "" : ", jdbc_user=" + user)
                    + (password == null ? "" : ", jdbc_password=<redacted>") + ", table=" + table;
        }
    }

    public static final String DEFAULT_SINK_TABLE = "trades";

    /** Settings without a database sink (tests and local runs). */
    public ConsumerSettings(KafkaSettings kafka, String consumerGroup, int batchSize, Duration batchTimeout,
                            Duration batchProcessingTime, Duration messageProcessingTime, int metricsPort,
                            GroupProtocol groupProtocol, String deadLetterTopic, SinkType sink, Path ledgerFile) {
        this(kafka, consumerGroup, batchSize, batchTimeout, batchProcessingTime, messageProcessingTime, metricsPort,
                groupProtocol, deadLetterTopic, sink, ledgerFile, null);
    }

    public static ConsumerSettings fromEnv(Env env) {
        KafkaSettings kafka = KafkaSettings.fromEnv(env);
        String group = env.string("CONSUMER_GROUP", DEFAULT_GROUP);
        env.check(group.length() <= 255 && !group.isBlank(), "CONSUMER_GROUP", group, "1-255 characters");
        int batchSize = env.integer("BATCH_SIZE", DEFAULT_BATCH_SIZE, 1, 100_000);
        double timeout = env.decimal("BATCH_TIMEOUT_SECONDS", DEFAULT_BATCH_TIMEOUT_SECONDS, 0.001, 3600);
        double batchTime = env.decimal("BATCH_PROCESSING_TIME", DEFAULT_BATCH_PROCESSING_SECONDS, 0, 25);
        double messageTime = env.decimal("MESSAGE_PROCESSING_TIME", DEFAULT_MESSAGE_PROCESSING_SECONDS, 0, 10);
        int port = env.integer("METRICS_PORT", DEFAULT_METRICS_PORT, 1, 65535);
        GroupProtocol protocol = env.choice("GROUP_PROTOCOL", GroupProtocol.CLASSIC, GroupProtocol.class);
        String dlq = env.string("DLQ_TOPIC", kafka.topic() + DEAD_LETTER_SUFFIX);
        if (env.raw("DLQ_TOPIC") != null) { // the derived default is valid whenever KAFKA_TOPIC is
            env.check(dlq.matches("[a-zA-Z0-9._-]{1,249}") && !dlq.equals(kafka.topic()), "DLQ_TOPIC", dlq,
                    "a Kafka topic name other than KAFKA_TOPIC");
        }
        SinkType sink = env.choice("SINK", SinkType.SIMULATED, SinkType.class);
        String ledger = env.raw("LEDGER_FILE");
        if (sink == SinkType.LEDGER && ledger == null) {
            env.problem("LEDGER_FILE", null, "a writable file path when SINK=ledger");
        }
        JdbcSettings jdbc = null;
        if (sink == SinkType.POSTGRES) {
            String url = env.required("SINK_JDBC_URL", "a jdbc:postgresql://host:port/database URL when SINK=postgres");
            if (url != null) {
                env.check(url.startsWith("jdbc:postgresql://"), "SINK_JDBC_URL", url,
                        "a jdbc:postgresql://host:port/database URL");
            }
            String table = env.string("SINK_TABLE", DEFAULT_SINK_TABLE);
            env.check(table.matches("[a-z_][a-z0-9_]{0,62}"), "SINK_TABLE", table,
                    "a lower-case SQL identifier (letters, digits, _)");
            jdbc = new JdbcSettings(url, env.raw("SINK_JDBC_USER"), env.raw("SINK_JDBC_PASSWORD"), table);
        }
        // One batch must fit in the 30 s drain on SIGTERM, or a scale-in would kill it mid-write.
        double worstBatch = batchTime + messageTime * batchSize;
        env.check(worstBatch <= 25, "MESSAGE_PROCESSING_TIME", String.valueOf(messageTime),
                "small enough that BATCH_PROCESSING_TIME + BATCH_SIZE x MESSAGE_PROCESSING_TIME <= 25 s"
                        + " (now " + String.format(Locale.ROOT, "%.1f", worstBatch) + " s)");
        env.validate();
        return new ConsumerSettings(kafka, group, batchSize, seconds(timeout), seconds(batchTime),
                seconds(messageTime), port, protocol, dlq, sink, ledger == null ? null : Path.of(ledger), jdbc);
    }

    public ConsumerSettings withKafka(KafkaSettings newKafka) {
        return new ConsumerSettings(newKafka, consumerGroup, batchSize, batchTimeout, batchProcessingTime,
                messageProcessingTime, metricsPort, groupProtocol, deadLetterTopic, sink, ledgerFile, jdbc);
    }

    public ConsumerSettings withGroupProtocol(GroupProtocol protocol) {
        return new ConsumerSettings(kafka, consumerGroup, batchSize, batchTimeout, batchProcessingTime,
                messageProcessingTime, metricsPort, protocol, deadLetterTopic, sink, ledgerFile, jdbc);
    }

    public ConsumerSettings withSink(SinkType newSink, Path newLedger) {
        return new ConsumerSettings(kafka, consumerGroup, batchSize, batchTimeout, batchProcessingTime,
                messageProcessingTime, metricsPort, groupProtocol, deadLetterTopic, newSink, newLedger, jdbc);
    }

    public String describe() {
        return kafka.describe() + ", group=" + consumerGroup + ", group_protocol="
                + groupProtocol.name().toLowerCase(Locale.ROOT) + ", batch_size=" + batchSize
                + ", batch_timeout_s=" + batchTimeout.toMillis() / 1000.0 + ", batch_processing_time_s="
                + batchProcessingTime.toMillis() / 1000.0 + ", message_processing_time_s="
                + messageProcessingTime.toNanos() / 1e9 + ", dlq_topic=" + deadLetterTopic + ", sink="
                + sink.name().toLowerCase(Locale.ROOT) + (ledgerFile == null ? "" : ", ledger_file=" + ledgerFile)
                + (jdbc == null ? "" : ", " + jdbc.describe());
    }

    static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }
}
