package io.tradetx.common.kafka;

/**
 * The consumer group protocol: {@code classic} with cooperative-sticky assignment (default),
 * {@code consumer} (KIP-848, broker-side incremental assignment), or {@code eager} (classic with the
 * range assignor, every member pauses at each rebalance; for comparisons only).
 */
public enum GroupProtocol {
    CLASSIC,
    CONSUMER,
    EAGER
}
