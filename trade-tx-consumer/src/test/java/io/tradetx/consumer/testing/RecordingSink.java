package io.tradetx.consumer.testing;

import io.tradetx.consumer.ConsumedTrade;
import io.tradetx.consumer.sink.TradeSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A sink that stores every batch in memory (after an optional delay), shared by several consumers. */
public final class RecordingSink implements TradeSink {
    /** One stored batch: which consumer stored it and when. */
    public record Batch(String consumer, long storedAtNanos, List<ConsumedTrade> trades) {
    }

    private final List<Batch> batches;
    private final String consumer;
    private final Duration delay;

    public RecordingSink(Duration delay) {
        this(new CopyOnWriteArrayList<>(), "shared", delay);
    }

    private RecordingSink(List<Batch> batches, String consumer, Duration delay) {
        this.batches = batches;
        this.consumer = consumer;
        this.delay = delay;
    }

    /** A view for one consumer that records into the same list. */
    public RecordingSink forConsumer(String name) {
        return new RecordingSink(batches, name, delay);
    }

    @Override
    public void write(List<ConsumedTrade> batch) throws InterruptedException {
        if (!delay.isZero()) {
            TimeUnit.NANOSECONDS.sleep(delay.toNanos());
        }
        batches.add(new Batch(consumer, System.nanoTime(), List.copyOf(batch)));
    }

    public List<Batch> batches() {
        return List.copyOf(batches);
    }

    public List<ConsumedTrade> trades() {
        List<ConsumedTrade> all = new ArrayList<>();
        for (Batch b : batches) {
            all.addAll(b.trades());
        }
        return all;
    }

    public int count() {
        int n = 0;
        for (Batch b : batches) {
            n += b.trades().size();
        }
        return n;
    }
}
