package io.tradetx.consumer.sink;

import io.tradetx.consumer.ConsumedTrade;
import java.util.List;

/**
 * Where a microbatch is stored. {@code write} must be all-or-nothing from the consumer's view: it
 * returns only when the whole batch is stored, and throws if it is not (the batch is then retried).
 */
public interface TradeSink extends AutoCloseable {
    void write(List<ConsumedTrade> batch) throws Exception;

    @Override
    default void close() throws Exception {
    }
}
