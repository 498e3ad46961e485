package io.tradetx.lab.chaos;

import io.tradetx.consumer.ConsumedTrade;
import io.tradetx.consumer.sink.PermanentSinkException;
import io.tradetx.consumer.sink.TradeSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A chaos consumer's sink: the real one, wrapped. While the control file says the sink is down every
 * write fails with an IOException (a transient outage); a batch holding a trade the control file
 * rejects fails with a {@link PermanentSinkException}, as PostgresSink reports a value its table
 * refuses. Otherwise the batch goes to the real sink. Test knobs live here, not in the consumer.
 */
final class FaultInjectingSink implements TradeSink {
    private static final long REREAD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private final TradeSink delegate;
    private final Path controlFile;
    private FaultControl control;
    private long readAt;

    FaultInjectingSink(TradeSink delegate, Path controlFile) {
        this.delegate = delegate;
        this.controlFile = controlFile;
    }

    @Override
    public void write(List<ConsumedTrade> batch) throws Exception {
        FaultControl c = control();
        if (c.sinkDown()) {
            throw new IOException("sink unavailable (chaos outage)");
        }
        for (ConsumedTrade t : batch) {
            if (c.rejects(LedgerCheck.sequence(t.trade().tradeId()))) {
                throw new PermanentSinkException("the store refuses trade " + t.trade().tradeId() + " (chaos)");
            }
        }
        delegate.write(batch);
    }

    private FaultControl control() throws IOException {
        long now = System.nanoTime();
        if (control == null || now - readAt >= REREAD_NANOS) {
            control = FaultControl.read(controlFile);
            readAt = now;
        }
        return control;
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }
}
