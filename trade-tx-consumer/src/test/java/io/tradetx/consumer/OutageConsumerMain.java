package io.tradetx.consumer;

import io.tradetx.common.config.Env;
import io.tradetx.common.config.Startup;
import io.tradetx.consumer.sink.Sinks;
import io.tradetx.consumer.sink.TradeSink;
import java.io.IOException;
import java.util.List;

/**
 * The consumer process (ConsumerMain.run: endpoint, signals, shutdown budget) with a sink that goes
 * down for good once it has stored OUTAGE_AFTER records: a database outage that SIGTERM then meets.
 */
public final class OutageConsumerMain {
    private OutageConsumerMain() {
    }

    public static void main(String[] args) throws Exception {
        ConsumerSettings settings = Startup.settingsOrExit(() -> ConsumerSettings.fromEnv(Env.system()));
        long outageAfter = Long.parseLong(System.getenv().getOrDefault("OUTAGE_AFTER", String.valueOf(Long.MAX_VALUE)));
        System.exit(ConsumerMain.run(settings, s -> new FailingAfter(Sinks.fromSettings(s), outageAfter)));
    }

    /** Stores through the delegate until {@code limit} records are stored, then throws on every write. */
    static final class FailingAfter implements TradeSink {
        private final TradeSink delegate;
        private final long limit;
        private long stored;

        FailingAfter(TradeSink delegate, long limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        public void write(List<ConsumedTrade> batch) throws Exception {
            if (stored + batch.size() > limit) {
                throw new IOException("database unavailable (simulated outage)");
            }
            delegate.write(batch);
            stored += batch.size();
        }

        @Override
        public void close() throws Exception {
            delegate.close();
        }
    }
}
