package io.tradetx.producer;

import io.tradetx.common.config.Env;
import io.tradetx.common.kafka.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;

/** Every producer setting, read once from the environment and validated. */
public record ProducerSettings(KafkaSettings kafka, int messagesPerSecond, Path rateFile, int metricsPort,
                               Duration shutdownGracePeriod) {

    public static final int DEFAULT_MESSAGES_PER_SECOND = 0;
    public static final int MAX_MESSAGES_PER_SECOND = 1_000_000;
    public static final int DEFAULT_METRICS_PORT = 8000;
    /** The producer Deployment's terminationGracePeriodSeconds: SIGTERM must be done within it. */
    public static final int DEFAULT_SHUTDOWN_GRACE_PERIOD_SECONDS = 30;

    public static ProducerSettings fromEnv(Env env) {
        KafkaSettings kafka = KafkaSettings.fromEnv(env);
        int rate = env.integer("MESSAGES_PER_SECOND", DEFAULT_MESSAGES_PER_SECOND, 0, MAX_MESSAGES_PER_SECOND);
        String rateFile = env.raw("RATE_FILE");
        int port = env.integer("METRICS_PORT", DEFAULT_METRICS_PORT, 1, 65535);
        int grace = env.integer("SHUTDOWN_GRACE_PERIOD_SECONDS", DEFAULT_SHUTDOWN_GRACE_PERIOD_SECONDS, 5, 3600);
        env.validate();
        return new ProducerSettings(kafka, rate, rateFile == null ? null : Path.of(rateFile), port,
                Duration.ofSeconds(grace));
    }

    /**
     * What the producer itself may spend from SIGTERM to exit: the grace period less two seconds for
     * the JVM to stop and the last log lines to be written.
     */
    public Duration shutdownBudget() {
        return shutdownGracePeriod.minusSeconds(2);
    }

    public String describe() {
        return kafka.describe() + ", messages_per_second=" + messagesPerSecond
                + (rateFile == null ? "" : ", rate_file=" + rateFile) + ", metrics_port=" + metricsPort
                + ", shutdown_grace_period_s=" + shutdownGracePeriod.toSeconds();
    }
}
