package io.tradetx.scaling.sim;

import java.util.Locale;

/** The consumer group protocol, which decides which partitions pause while the group rebalances. */
public enum GroupProtocol {
    /** Classic protocol with an eager assignor (the Java client's default): every partition pauses. */
    EAGER,
    /** Classic protocol with cooperative-sticky: only moved partitions pause. */
    COOPERATIVE,
    /** KIP-848 ({@code group.protocol=consumer}): incremental, only moved partitions pause. */
    CONSUMER;

    /** The lower-case name used in files and on the command line. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #key()}; also accepts cooperative-sticky. */
    public static GroupProtocol parse(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        if (k.equals("cooperative-sticky")) {
            return COOPERATIVE;
        }
        for (GroupProtocol p : values()) {
            if (p.key().equals(k)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown group protocol '" + s + "' (eager, cooperative, consumer)");
    }
}
