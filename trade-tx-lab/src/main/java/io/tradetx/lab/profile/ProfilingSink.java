package io.tradetx.lab.profile;

import io.tradetx.consumer.ConsumedTrade;
import io.tradetx.consumer.sink.TradeSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Wraps a pod's real sink (the simulated DB write) and records, per batch, when it ran, on which pod,
 * and each record's partition and producer timestamp.
 */
final class ProfilingSink implements TradeSink {
    /** One stored batch. Times: nanoTime for durations, wall-clock millis to compare with record timestamps. */
    record Batch(String pod, long startNanos, long endNanos, long endWallMillis, int[] partitions, long[] recordMillis) {
        int size() {
            return partitions.length;
        }
    }

    private final List<Batch> batches;
    private final TradeSink delegate;
    private final String pod;

    ProfilingSink(List<Batch> batches, TradeSink delegate, String pod) {
        this.batches = batches;
        this.delegate = delegate;
        this.pod = pod;
    }

    static List<Batch> newLog() {
        return new CopyOnWriteArrayList<>();
    }

    @Override
    public void write(List<ConsumedTrade> batch) throws Exception {
        long start = System.nanoTime();
        delegate.write(batch);
        int[] partitions = new int[batch.size()];
        long[] stamps = new long[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            partitions[i] = batch.get(i).partition();
            stamps[i] = batch.get(i).recordTimestampMillis();
        }
        batches.add(new Batch(pod, start, System.nanoTime(), System.currentTimeMillis(), partitions, stamps));
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }
}
