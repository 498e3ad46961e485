package io.tradetx.local.tenant;

import io.tradetx.local.tenant.KafkaPermissions.ResourceKind;
import io.tradetx.local.tenant.KafkaPermissions.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Turns a workload's MSK IAM statements into the Kafka ACL bindings that allow the same requests,
 * for one principal, on LITERAL patterns naming only that tenant's own topic, dead-letter topic and
 * group. The rules follow AWS's table "Semantics of IAM authorization policy actions and resources"
 * (https://docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html), where each action is
 * described as "equivalent to Apache Kafka's ... ACL":
 * <pre>
 * kafka-cluster:Connect               -> no ACL: authenticating on the SASL listener is the connect
 * kafka-cluster:DescribeTopic         -> DESCRIBE         on the topic
 * kafka-cluster:ReadData              -> READ             on the topic
 * kafka-cluster:WriteData             -> WRITE            on the topic
 * kafka-cluster:CreateTopic           -> CREATE           on the topic (Kafka's CREATE CLUSTER/TOPIC; the topic form)
 * kafka-cluster:WriteDataIdempotently -> IDEMPOTENT_WRITE on the cluster
 * kafka-cluster:DescribeGroup         -> DESCRIBE         on the group
 * kafka-cluster:AlterGroup            -> READ             on the group (join, sync, heartbeat, commit)
 * </pre>
 * Any other action, or an action on a resource kind it does not apply to, is an error: a grant that
 * cannot be mirrored must not silently become a smaller or larger one.
 */
public final class IamAclMapping {
    /** Kafka's name of the one cluster resource. */
    public static final String CLUSTER_RESOURCE_NAME = "kafka-cluster";

    /** What one IAM action becomes: an operation on a resource type, allowed on these kinds. */
    public record Rule(AclOperation operation, ResourceType type, Set<ResourceKind> kinds) {
    }

    private static final Set<ResourceKind> TOPICS = Set.of(ResourceKind.TOPIC, ResourceKind.DEAD_LETTER_TOPIC);
    private static final Set<ResourceKind> GROUP = Set.of(ResourceKind.GROUP);

    private static final Map<String, Rule> RULES = Map.of(
            "kafka-cluster:DescribeTopic", new Rule(AclOperation.DESCRIBE, ResourceType.TOPIC, TOPICS),
            "kafka-cluster:ReadData", new Rule(AclOperation.READ, ResourceType.TOPIC, TOPICS),
            "kafka-cluster:WriteData", new Rule(AclOperation.WRITE, ResourceType.TOPIC, TOPICS),
            "kafka-cluster:CreateTopic", new Rule(AclOperation.CREATE, ResourceType.TOPIC, TOPICS),
            "kafka-cluster:WriteDataIdempotently",
            new Rule(AclOperation.IDEMPOTENT_WRITE, ResourceType.CLUSTER, Set.of(ResourceKind.CLUSTER)),
            "kafka-cluster:DescribeGroup", new Rule(AclOperation.DESCRIBE, ResourceType.GROUP, GROUP),
            "kafka-cluster:AlterGroup", new Rule(AclOperation.READ, ResourceType.GROUP, GROUP));

    private static final String CONNECT = "kafka-cluster:Connect";

    private IamAclMapping() {
    }

    /** The Kafka principal of a SCRAM user name. */
    public static String principal(String username) {
        return "User:" + username;
    }

    /**
     * The ACL rule of one action on one resource kind; empty for Connect on the cluster (no ACL).
     * Throws IllegalArgumentException for an action without a rule or on a kind it does not apply to.
     */
    public static Optional<Rule> rule(String action, ResourceKind kind) {
        if (CONNECT.equals(action)) {
            if (kind != ResourceKind.CLUSTER) {
                throw new IllegalArgumentException(action + " applies to the cluster, not to a " + kind.fileName());
            }
            return Optional.empty();
        }
        Rule rule = RULES.get(action);
        if (rule == null) {
            throw new IllegalArgumentException(action + " has no Kafka ACL mapping here; add a rule to "
                    + IamAclMapping.class.getSimpleName() + " before granting it");
        }
        if (!rule.kinds().contains(kind)) {
            throw new IllegalArgumentException(action + " does not apply to a " + kind.fileName());
        }
        return Optional.of(rule);
    }

    /** The ALLOW bindings, for any host, that give {@code principal} what these statements give on MSK. */
    public static List<AclBinding> bindings(String principal, List<Statement> statements, TenantResources tenant) {
        Set<AclBinding> out = new LinkedHashSet<>();
        for (Statement s : statements) {
            for (String action : s.actions()) {
                rule(action, s.resource()).ifPresent(rule -> {
                    String name = rule.type() == ResourceType.CLUSTER ? CLUSTER_RESOURCE_NAME
                            : tenant.name(s.resource());
                    out.add(new AclBinding(new ResourcePattern(rule.type(), name, PatternType.LITERAL),
                            new AccessControlEntry(principal, "*", rule.operation(), AclPermissionType.ALLOW)));
                });
            }
        }
        return new ArrayList<>(out);
    }

    /** Every binding of every workload of the tenant, each for {@code <tenant>-<workload>}. */
    public static Map<String, List<AclBinding>> tenantBindings(KafkaPermissions permissions, TenantResources tenant) {
        Map<String, List<AclBinding>> out = new LinkedHashMap<>();
        permissions.workloads().forEach((workload, statements) ->
                out.put(workload, bindings(principal(tenant.username(workload)), statements, tenant)));
        return out;
    }

    /** One line per binding for logs and reports, e.g. {@code User:a-consumer ALLOW READ TOPIC trade-tx-a}. */
    public static String describe(AclBinding b) {
        return b.entry().principal() + " " + b.entry().permissionType() + " " + b.entry().operation() + " "
                + b.pattern().resourceType() + " " + b.pattern().name()
                + (b.pattern().patternType() == PatternType.LITERAL ? "" : " (" + b.pattern().patternType() + ")");
    }
}
