package io.tradetx.consumer;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Where the records that cannot be stored go: the dead-letter topic ({@link DeadLetterPublisher}), or
 * nowhere ({@link #notRepublished()}) when a replay re-reads records that the live consumer already
 * dead-lettered and only counts them.
 */
interface DeadLetters extends AutoCloseable {
    /**
     * Delivers the dead letters, or gives up the wait once {@code abandoned} says so; transient failures
     * come back in the result, for the caller to retry.
     */
    DeadLetterPublisher.Attempt publish(List<DeadLetterPublisher.Rejected> rejected, BooleanSupplier abandoned)
            throws InterruptedException;

    /** Releases what delivery holds, waiting at most {@code timeout} for dead letters in flight. */
    void close(Duration timeout);

    @Override
    default void close() {
        close(ShutdownBudget.DEAD_LETTER_CLOSE);
    }

    /** Accepts every dead letter at once and sends nothing: the records are already on the dead-letter topic. */
    static DeadLetters notRepublished() {
        return new DeadLetters() {
            @Override
            public DeadLetterPublisher.Attempt publish(List<DeadLetterPublisher.Rejected> rejected,
                                                       BooleanSupplier abandoned) {
                return new DeadLetterPublisher.Attempt(List.of(), null, false);
            }

            @Override
            public void close(Duration timeout) {
                // nothing was opened
            }
        };
    }
}
