package io.tradetx.local.tenant;

import io.tradetx.consumer.ConsumedTrade;
import io.tradetx.consumer.sink.TradeSink;
import java.util.List;

/** A pod's sink that, once a batch is stored, notes each message's age (now minus its record timestamp). */
final class AgeRecordingSink implements TradeSink {
    private final TradeSink delegate;
    private final MessageAges ages;

    AgeRecordingSink(TradeSink delegate, MessageAges ages) {
        this.delegate = delegate;
        this.ages = ages;
    }

    @Override
    public void write(List<ConsumedTrade> batch) throws Exception {
        delegate.write(batch);
        long now = System.currentTimeMillis();
        long[] timestamps = new long[batch.size()];
        for (int i = 0; i < timestamps.length; i++) {
            timestamps[i] = batch.get(i).recordTimestampMillis();
        }
        ages.stored(now, timestamps);
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }
}
