package io.tradetx.common.trade;

/** A message that is not a valid trade; it goes to the dead-letter topic with this message. */
public final class InvalidTradeException extends Exception {
    public InvalidTradeException(String message) {
        super(message);
    }
}
