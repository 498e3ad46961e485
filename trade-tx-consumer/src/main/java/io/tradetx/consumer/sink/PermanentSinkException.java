package io.tradetx.consumer.sink;

/**
 * Thrown by a {@link TradeSink} when a batch can never be stored as it is (a value the store cannot
 * hold, a constraint it breaks): retrying will not help, so the consumer isolates the offending
 * record(s) and sends them to the dead-letter topic. Any other exception from a sink is transient.
 */
public class PermanentSinkException extends Exception {
    public PermanentSinkException(String message, Throwable cause) {
        super(message, cause);
    }

    public PermanentSinkException(String message) {
        super(message);
    }
}
