package io.tradetx.common.kafka;

/** How the apps authenticate to Kafka: plain text on a laptop, IAM over TLS on MSK. */
public enum KafkaAuth {
    NONE,
    IAM
}
