package io.tradetx.scaling.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The kafka trigger of a ScaledObject: the metadata the model uses, plus the rest kept verbatim.
 *
 * @param partitionLimitation the raw partitionLimitation value ("1,2,10-12"), null when absent
 * @param otherMetadata       metadata that does not affect the model (tls, sasl, awsRegion, ...), in file order
 * @param authenticationRef   the TriggerAuthentication name, null when absent
 * @param authenticationKind  the authenticationRef kind, null when absent
 */
public record KafkaTriggerSpec(String bootstrapServers, String consumerGroup, String topic,
                               long lagThreshold, long activationLagThreshold,
                               OffsetResetPolicy offsetResetPolicy, boolean allowIdleConsumers,
                               boolean excludePersistentLag, boolean scaleToZeroOnInvalidOffset,
                               boolean limitToPartitionsWithLag, boolean ensureEvenDistributionOfPartitions,
                               String partitionLimitation, Map<String, String> otherMetadata,
                               String authenticationRef, String authenticationKind) {

    public KafkaTriggerSpec {
        otherMetadata = Collections.unmodifiableMap(new LinkedHashMap<>(otherMetadata));
    }

    /** A trigger with KEDA's defaults for everything but the given values. */
    public static KafkaTriggerSpec of(String bootstrapServers, String consumerGroup, String topic, long lagThreshold) {
        return new KafkaTriggerSpec(bootstrapServers, consumerGroup, topic, lagThreshold, 0,
                OffsetResetPolicy.LATEST, false, false, false, false, false, null, Map.of(), null, null);
    }

    /** The same trigger with another lagThreshold. */
    public KafkaTriggerSpec withLagThreshold(long threshold) {
        return new KafkaTriggerSpec(bootstrapServers, consumerGroup, topic, threshold, activationLagThreshold,
                offsetResetPolicy, allowIdleConsumers, excludePersistentLag, scaleToZeroOnInvalidOffset,
                limitToPartitionsWithLag, ensureEvenDistributionOfPartitions, partitionLimitation, otherMetadata,
                authenticationRef, authenticationKind);
    }

    /** The partition ids of partitionLimitation, sorted; empty when every partition counts. */
    public List<Integer> partitionIds() {
        return partitionLimitation == null ? List.of() : parsePartitionLimitation(partitionLimitation);
    }

    /** Parses KEDA's "1,2,10-12" form; throws IllegalArgumentException on a malformed value. */
    public static List<Integer> parsePartitionLimitation(String value) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (String part : value.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("empty element in '" + value + "'");
            }
            int dash = p.indexOf('-');
            try {
                if (dash > 0) {
                    int from = Integer.parseInt(p.substring(0, dash).trim());
                    int to = Integer.parseInt(p.substring(dash + 1).trim());
                    if (from > to) {
                        throw new IllegalArgumentException("range " + p + " is reversed");
                    }
                    for (int i = from; i <= to; i++) {
                        ids.add(i);
                    }
                } else {
                    ids.add(Integer.parseInt(p));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + p + "' is not a partition id or range");
            }
        }
        return List.copyOf(ids);
    }
}
