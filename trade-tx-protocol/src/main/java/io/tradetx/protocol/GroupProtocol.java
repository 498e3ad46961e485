package io.tradetx.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The consumer group protocol (setting {@code GROUP_PROTOCOL}): how partitions move, and which of them
 * pause, when the group rebalances. The clients map it to Kafka properties (KafkaClientProperties);
 * the scaling model uses it to decide which partitions a rebalance pauses.
 */
public enum GroupProtocol {
    /** {@code group.protocol=classic} with the cooperative-sticky assignor (default): only moved partitions pause. */
    CLASSIC("cooperative"),
    /** {@code group.protocol=consumer} (KIP-848): broker-side incremental assignment, only moved partitions pause. */
    CONSUMER("consumer"),
    /** Classic with the range assignor: every member pauses every partition at each rebalance; for comparisons. */
    EAGER("eager");

    private final String rebalance;

    GroupProtocol(String rebalance) {
        this.rebalance = rebalance;
    }

    /** The setting's value: classic, consumer or eager. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * How a rebalance moves partitions: eager, cooperative or consumer; the name reports, pod profiles and
     * the simulator's options use (classic's rebalance is cooperative).
     */
    public String rebalance() {
        return rebalance;
    }

    /** True when a rebalance pauses every partition of every member, not only the moved ones. */
    public boolean pausesEveryPartition() {
        return this == EAGER;
    }

    /**
     * Parses a setting's value or a rebalance name, any case: classic (also cooperative or
     * cooperative-sticky), consumer, eager.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static GroupProtocol parse(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        for (GroupProtocol p : values()) {
            if (p.key().equals(k) || p.rebalance.equals(k)) {
                return p;
            }
        }
        if (k.equals("cooperative-sticky")) {
            return CLASSIC;
        }
        throw new IllegalArgumentException("unknown group protocol '" + s + "': must be one of " + String.join(", ", names()));
    }

    /** Every value {@link #parse} accepts, setting values first. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (GroupProtocol p : values()) {
            out.add(p.key());
        }
        for (GroupProtocol p : values()) {
            if (!out.contains(p.rebalance)) {
                out.add(p.rebalance);
            }
        }
        return out;
    }
}
