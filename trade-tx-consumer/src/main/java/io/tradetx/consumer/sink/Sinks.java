package io.tradetx.consumer.sink;

import io.tradetx.consumer.ConsumerSettings;
import java.io.IOException;

/** Builds the sink that the setting SINK chooses; every process that stores trades gets its sink here. */
public final class Sinks {
    private Sinks() {
    }

    /** The simulated DB write (BATCH_PROCESSING_TIME, MESSAGE_PROCESSING_TIME), optionally recorded in LEDGER_FILE, or PostgreSQL. */
    public static TradeSink fromSettings(ConsumerSettings settings) throws IOException {
        TradeSink simulated = new SimulatedDbSink(settings.messageProcessingTime(), settings.batchProcessingTime());
        return switch (settings.sink()) {
            case SIMULATED -> simulated;
            case LEDGER -> new LedgerFileSink(simulated, settings.ledgerFile());
            case POSTGRES -> PostgresSink.forConsumer(settings, settings.shutdownBudget().drain());
        };
    }
}
