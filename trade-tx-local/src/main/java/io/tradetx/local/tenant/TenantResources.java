package io.tradetx.local.tenant;

import io.tradetx.local.tenant.KafkaPermissions.ResourceKind;

/**
 * One tenant's own Kafka resources, exactly named: its trade topic, dead-letter topic and consumer
 * group. Its workloads log in as {@code <tenant>-<workload>} (e.g. {@code a-consumer}).
 */
public record TenantResources(String tenant, String topic, String deadLetterTopic, String group) {
    /** A DNS label, because a tenant also names a Kubernetes namespace. */
    private static final String TENANT_NAME = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
    private static final String TOPIC_NAME = "[a-zA-Z0-9._-]{1,249}";

    public TenantResources {
        if (tenant == null || !tenant.matches(TENANT_NAME)) {
            throw new IllegalArgumentException("Tenant name '" + tenant
                    + "' must be a DNS label: lower-case letters, digits and '-', at most 63");
        }
        for (String topicName : new String[] {topic, deadLetterTopic}) {
            if (topicName == null || !topicName.matches(TOPIC_NAME)) {
                throw new IllegalArgumentException("Tenant " + tenant + ": '" + topicName
                        + "' is not a Kafka topic name");
            }
        }
        if (topic.equals(deadLetterTopic)) {
            throw new IllegalArgumentException("Tenant " + tenant + ": topic and dead-letter topic must differ");
        }
        if (group == null || group.isBlank() || group.length() > 255) {
            throw new IllegalArgumentException("Tenant " + tenant + ": group must be 1-255 characters");
        }
    }

    /** The exact resource name of a topic or group kind; the cluster has no per-tenant name. */
    public String name(ResourceKind kind) {
        return switch (kind) {
            case TOPIC -> topic;
            case DEAD_LETTER_TOPIC -> deadLetterTopic;
            case GROUP -> group;
            case CLUSTER -> throw new IllegalArgumentException("the cluster is not a tenant resource");
        };
    }

    /** The SCRAM user name of one of this tenant's workloads. */
    public String username(String workload) {
        return tenant + "-" + workload;
    }
}
