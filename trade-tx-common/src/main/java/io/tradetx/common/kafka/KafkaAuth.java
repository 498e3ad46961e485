package io.tradetx.common.kafka;

/**
 * How the apps authenticate to Kafka: plain text on a laptop, IAM over TLS on MSK, or a per-tenant
 * SCRAM login on the local multi-tenant broker (whose ACLs mirror the tenants' IAM policies).
 */
public enum KafkaAuth {
    NONE,
    IAM,
    SCRAM
}
