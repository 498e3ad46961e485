package io.tradetx.consumer;

import io.tradetx.common.config.Env;
import io.tradetx.protocol.GroupProtocol;
import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerConfig;

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
        JdbcSettings jdbc,
        Limits limits) {

    public static final String DEFAULT_GROUP = "trade-tx-consumer";
    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final int MIN_BATCH_SIZE = 1;
    public static final int MAX_BATCH_SIZE = 100_000;
    public static final double MAX_BATCH_PROCESSING_SECONDS = 25;
    public static final int DEFAULT_SHUTDOWN_GRACE_PERIOD_SECONDS = 45;
    /** ShutdownBudget.MIN_GRACE_PERIOD in seconds (ShutdownBudgetTest keeps the two equal). */
    public static final int MIN_SHUTDOWN_GRACE_PERIOD_SECONDS = 25;
    public static final int MAX_SHUTDOWN_GRACE_PERIOD_SECONDS = 3600;
    public static final double DEFAULT_BATCH_TIMEOUT_SECONDS = 0.1;
    public static final double DEFAULT_BATCH_PROCESSING_SECONDS = 1;
    public static final double DEFAULT_MESSAGE_PROCESSING_SECONDS = 0;
    public static final int DEFAULT_METRICS_PORT = 8000;
    public static final String DEAD_LETTER_SUFFIX = ".dlq";
    /** Equal to the Deployment's terminationGracePeriodSeconds: SIGTERM must end the process within it. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE_PERIOD = Duration.ofSeconds(DEFAULT_SHUTDOWN_GRACE_PERIOD_SECONDS);
    public static final Duration DEFAULT_SINK_STALL = Duration.ofSeconds(60);
    /** A trade is well under 1 KiB; anything this large is not one and is dead-lettered undecoded. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024;
    /**
     * The largest MAX_RECORD_BYTES: a record this size plus the dead-letter headers (under 2 KiB) stays
     * below the 1 MiB the dead-letter producer and the topic's default max.message.bytes accept.
     */
    public static final int MAX_RECORD_BYTES_LIMIT = 1024 * 1024 - 8 * 1024;
    /** Share of the heap the fetched-but-unprocessed records may hold (the rest: Kafka's fetch buffers, the app). */
    public static final int HEAP_SHARE_FOR_BUFFER_PERCENT = 20;

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

    /**
     * What keeps a pod bounded and honest: the shutdown budget (SHUTDOWN_GRACE_PERIOD_SECONDS), how long
     * it may make no progress before it reports itself stalled and not ready (SINK_STALL_SECONDS), the
     * bytes of fetched records it may hold (MAX_BUFFER_BYTES), and the largest record it decodes
     * (MAX_RECORD_BYTES; larger ones go to the dead-letter topic undecoded, their value cut to 1 KiB).
     */
    public record Limits(Duration shutdownGracePeriod, Duration sinkStall, int maxBufferBytes, int maxRecordBytes) {
        public static Limits defaults() {
            return new Limits(DEFAULT_SHUTDOWN_GRACE_PERIOD, DEFAULT_SINK_STALL,
                    defaultMaxBufferBytes(DEFAULT_MAX_RECORD_BYTES), DEFAULT_MAX_RECORD_BYTES);
        }

        public ShutdownBudget shutdownBudget() {
            return new ShutdownBudget(shutdownGracePeriod);
        }

        String describe() {
            return "shutdown_grace_period_s=" + shutdownGracePeriod.toSeconds() + ", sink_stall_s="
                    + sinkStall.toSeconds() + ", max_buffer_bytes=" + maxBufferBytes + ", max_record_bytes="
                    + maxRecordBytes;
        }
    }

    public static final int MAX_BUFFER_BYTES_LIMIT = 1024 * 1024 * 1024;

    /**
     * HEAP_SHARE_FOR_BUFFER_PERCENT of the heap, but room for at least two records of the largest size,
     * and at most MAX_BUFFER_BYTES_LIMIT.
     */
    static int defaultMaxBufferBytes(int maxRecordBytes) {
        long share = Runtime.getRuntime().maxMemory() / 100 * HEAP_SHARE_FOR_BUFFER_PERCENT;
        return (int) Math.min(MAX_BUFFER_BYTES_LIMIT, Math.max(share, 2L * maxRecordBytes + 1024 * 1024));
    }

    public static final String DEFAULT_SINK_TABLE = "trades";

    /** Settings without a database sink (tests and local runs). */
    public ConsumerSettings(KafkaSettings kafka, String consumerGroup, int batchSize, Duration batchTimeout,
                            Duration batchProcessingTime, Duration messageProcessingTime, int metricsPort,
                            GroupProtocol groupProtocol, String deadLetterTopic, SinkType sink, Path ledgerFile) {
        this(kafka, consumerGroup, batchSize, batchTimeout, batchProcessingTime, messageProcessingTime, metricsPort,
                groupProtocol, deadLetterTopic, sink, ledgerFile, null);
    }

    /** Settings with the default limits. */
    public ConsumerSettings(KafkaSettings kafka, String consumerGroup, int batchSize, Duration batchTimeout,
                            Duration batchProcessingTime, Duration messageProcessingTime, int metricsPort,
                            GroupProtocol groupProtocol, String deadLetterTopic, SinkType sink, Path ledgerFile,
                            JdbcSettings jdbc) {
        this(kafka, consumerGroup, batchSize, batchTimeout, batchProcessingTime, messageProcessingTime, metricsPort,
                groupProtocol, deadLetterTopic, sink, ledgerFile, jdbc, Limits.defaults());
    }

    public static ConsumerSettings fromEnv(Env env) {
        KafkaSettings kafka = KafkaSettings.fromEnv(env);
        String group = env.string("CONSUMER_GROUP", DEFAULT_GROUP);
        env.check(group.length() <= 255 && !group.isBlank(), "CONSUMER_GROUP", group, "1-255 characters");
        int batchSize = env.integer("BATCH_SIZE", DEFAULT_BATCH_SIZE, MIN_BATCH_SIZE, MAX_BATCH_SIZE);
        double timeout = env.decimal("BATCH_TIMEOUT_SECONDS", DEFAULT_BATCH_TIMEOUT_SECONDS, 0.001, 3600);
        double batchTime = env.decimal("BATCH_PROCESSING_TIME", DEFAULT_BATCH_PROCESSING_SECONDS, 0,
                MAX_BATCH_PROCESSING_SECONDS);
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
        int grace = env.integer("SHUTDOWN_GRACE_PERIOD_SECONDS", (int) DEFAULT_SHUTDOWN_GRACE_PERIOD.toSeconds(),
                MIN_SHUTDOWN_GRACE_PERIOD_SECONDS, MAX_SHUTDOWN_GRACE_PERIOD_SECONDS);
        int stall = env.integer("SINK_STALL_SECONDS", (int) DEFAULT_SINK_STALL.toSeconds(), 1, 86_400);
        int maxRecord = env.integer("MAX_RECORD_BYTES", DEFAULT_MAX_RECORD_BYTES, 1024, MAX_RECORD_BYTES_LIMIT);
        int maxBuffer = env.integer("MAX_BUFFER_BYTES", defaultMaxBufferBytes(maxRecord), 1024 * 1024,
                MAX_BUFFER_BYTES_LIMIT);
        env.check(maxBuffer >= 2L * maxRecord, "MAX_BUFFER_BYTES", String.valueOf(maxBuffer),
                "at least twice MAX_RECORD_BYTES (" + 2L * maxRecord + "), so one batch in flight and one waiting fit");
        // One batch must fit in the drain on SIGTERM, or a scale-in would kill it mid-write.
        Limits limits = new Limits(Duration.ofSeconds(grace), Duration.ofSeconds(stall), maxBuffer, maxRecord);
        long drain = limits.shutdownBudget().drain().toSeconds();
        double worstBatch = batchTime + messageTime * batchSize;
        env.check(worstBatch <= drain, "MESSAGE_PROCESSING_TIME", String.valueOf(messageTime),
                "small enough that BATCH_PROCESSING_TIME + BATCH_SIZE x MESSAGE_PROCESSING_TIME <= " + drain + " s"
                        + " (now " + String.format(Locale.ROOT, "%.1f", worstBatch) + " s)");
        env.validate();
        return new ConsumerSettings(kafka, group, batchSize, seconds(timeout), seconds(batchTime),
                seconds(messageTime), port, protocol, dlq, sink, ledger == null ? null : Path.of(ledger), jdbc, limits);
    }

    public ShutdownBudget shutdownBudget() {
        return limits.shutdownBudget();
    }

    /**
     * The consumer's max.poll.interval.ms as the client will use it (KafkaClientProperties' value or a
     * KAFKA_CLIENT_MAX_POLL_INTERVAL_MS override): the revoke wait is derived from it.
     */
    public Duration maxPollInterval() {
        String ms = KafkaClientProperties.consumer(kafka, "settings", consumerGroup, groupProtocol, batchSize)
                .getProperty(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
        return Duration.ofMillis(Long.parseLong(ms));
    }

    public ConsumerSettings withLimits(Limits newLimits) {
        return new ConsumerSettings(kafka, consumerGroup, batchSize, batchTimeout, batchProcessingTime,
                messageProcessingTime, metricsPort, groupProtocol, deadLetterTopic, sink, ledgerFile, jdbc, newLimits);
    }

    public ConsumerSettings withKafka(KafkaSettings newKafka) {
        return new ConsumerSettings(newKafka, consumerGroup, batchSize, batchTimeout, batchProcessingTime,
                messageProcessingTime, metricsPort, groupProtocol, deadLetterTopic, sink, ledgerFile, jdbc, limits);
    }

    public ConsumerSettings withGroupProtocol(GroupProtocol protocol) {
        return new ConsumerSettings(kafka, consumerGroup, batchSize, batchTimeout, batchProcessingTime,
                messageProcessingTime, metricsPort, protocol, deadLetterTopic, sink, ledgerFile, jdbc, limits);
    }

    public ConsumerSettings withSink(SinkType newSink, Path newLedger) {
        return new ConsumerSettings(kafka, consumerGroup, batchSize, batchTimeout, batchProcessingTime,
                messageProcessingTime, metricsPort, groupProtocol, deadLetterTopic, newSink, newLedger, jdbc, limits);
    }

    public String describe() {
        return kafka.describe() + ", group=" + consumerGroup + ", group_protocol="
                + groupProtocol.name().toLowerCase(Locale.ROOT) + ", batch_size=" + batchSize
                + ", batch_timeout_s=" + batchTimeout.toMillis() / 1000.0 + ", batch_processing_time_s="
                + batchProcessingTime.toMillis() / 1000.0 + ", message_processing_time_s="
                + messageProcessingTime.toNanos() / 1e9 + ", dlq_topic=" + deadLetterTopic + ", sink="
                + sink.name().toLowerCase(Locale.ROOT) + (ledgerFile == null ? "" : ", ledger_file=" + ledgerFile)
                + (jdbc == null ? "" : ", " + jdbc.describe()) + ", " + limits.describe();
    }

    static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }
}
