package io.tradetx.consumer.sink;

import io.tradetx.consumer.ConsumedTrade;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The seed's simulated database write: a fixed time per record and per batch. */
public final class SimulatedDbSink implements TradeSink {
    private final long perMessageNanos;
    private final long perBatchNanos;

    public SimulatedDbSink(Duration perMessage, Duration perBatch) {
        this.perMessageNanos = perMessage.toNanos();
        this.perBatchNanos = perBatch.toNanos();
    }

    @Override
    public void write(List<ConsumedTrade> batch) throws InterruptedException {
        long total = perBatchNanos + perMessageNanos * batch.size();
        if (total > 0) {
            TimeUnit.NANOSECONDS.sleep(total);
        }
    }
}
