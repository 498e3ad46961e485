package io.tradetx.scaling.sim;

import io.tradetx.protocol.GroupProtocol;

/**
 * How one consumer pod behaves: steady capacity, time from creation to joining the group, linear ramp-up
 * to full speed, and how long a rebalance pauses partitions under each group protocol.
 */
public record PodProfile(double capacityMsgsPerSec, double startDelaySeconds, double rampUpSeconds,
                         double pauseEagerSeconds, double pauseCooperativeSeconds, double pauseConsumerSeconds) {

    /**
     * The seed's consumer (BATCH_SIZE 100 / BATCH_PROCESSING_TIME 1 s = 100 msg/s) as {@code trade-tx profile}
     * measured it, plus the pod start budget: start delay {@link PodStartBudget#DEFAULT} (image pull 4 s + JVM
     * start 1 s + group join 1.7 s), ramp-up 0.45 s, rebalance pauses of moved partitions eager 1.4 s,
     * cooperative 1.8 s, KIP-848 6.5 s (the larger of two measured runs; docs/scaling.md lists both).
     */
    public static final PodProfile DEFAULT = new PodProfile(100, PodStartBudget.DEFAULT.totalSeconds(), 0.45, 1.4,
            1.8, 6.5);

    /** The pod the project assumed before measuring: 30 s to start, 60 s ramp-up, pauses 30 / 10 / 5 s. */
    public static final PodProfile GUESSED = new PodProfile(100, 30, 60, 30, 10, 5);

    public PodProfile {
        if (!(capacityMsgsPerSec > 0) || startDelaySeconds < 0 || rampUpSeconds < 0 || pauseEagerSeconds < 0
                || pauseCooperativeSeconds < 0 || pauseConsumerSeconds < 0) {
            throw new IllegalArgumentException("capacity must be > 0 and times >= 0: " + this);
        }
    }

    /** The default profile with the capacity of a microbatch consumer: batchSize / batchProcessingSeconds. */
    public static PodProfile fromBatch(int batchSize, double batchProcessingSeconds) {
        return DEFAULT.withCapacity(batchSize / batchProcessingSeconds);
    }

    public PodProfile withCapacity(double capacity) {
        return new PodProfile(capacity, startDelaySeconds, rampUpSeconds, pauseEagerSeconds,
                pauseCooperativeSeconds, pauseConsumerSeconds);
    }

    public PodProfile withTimings(double startDelay, double rampUp) {
        return new PodProfile(capacityMsgsPerSec, startDelay, rampUp, pauseEagerSeconds, pauseCooperativeSeconds,
                pauseConsumerSeconds);
    }

    public PodProfile withPauses(double eager, double cooperative, double consumer) {
        return new PodProfile(capacityMsgsPerSec, startDelaySeconds, rampUpSeconds, eager, cooperative, consumer);
    }

    /** The rebalance pause of a moved partition under {@code protocol} (classic: cooperative-sticky). */
    public double pauseSeconds(GroupProtocol protocol) {
        return switch (protocol) {
            case EAGER -> pauseEagerSeconds;
            case CLASSIC -> pauseCooperativeSeconds;
            case CONSUMER -> pauseConsumerSeconds;
        };
    }
}
