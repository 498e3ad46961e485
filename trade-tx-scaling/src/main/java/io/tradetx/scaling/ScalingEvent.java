package io.tradetx.scaling;

/**
 * Something the autoscaler did at {@code atMillis}.
 *
 * @param from replicas before (for activation events, the replicas at the time)
 * @param to   replicas after (equal to from for activation events)
 */
public record ScalingEvent(long atMillis, Type type, int from, int to, String reason) {

    /** The kinds of events a live view or a timeline reports. */
    public enum Type {
        /** The scaler's activity went from false to true at a KEDA poll. */
        ACTIVATED,
        /** The scaler's activity went from true to false at a KEDA poll. */
        DEACTIVATED,
        /** KEDA scaled from 0 (or below minReplicaCount) up. */
        KEDA_SCALED_UP,
        /** KEDA scaled to 0 after the cooldown period. */
        KEDA_SCALED_TO_ZERO,
        /** The HPA changed the replica count. */
        HPA_SCALED
    }

    @Override
    public String toString() {
        String what = switch (type) {
            case ACTIVATED -> "KEDA: scaler active";
            case DEACTIVATED -> "KEDA: scaler inactive";
            case KEDA_SCALED_UP -> "KEDA: scaled " + from + " -> " + to;
            case KEDA_SCALED_TO_ZERO -> "KEDA: scaled " + from + " -> 0 after cooldown";
            case HPA_SCALED -> "HPA: scaled " + from + " -> " + to;
        };
        return String.format("t=%.1fs %s (%s)", atMillis / 1000.0, what, reason);
    }
}
