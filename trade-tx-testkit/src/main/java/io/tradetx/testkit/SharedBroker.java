package io.tradetx.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One real KRaft broker for the whole test run, started on first use and stopped when JUnit ends. */
public final class SharedBroker implements BeforeAllCallback {
    private static LocalKafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        bootstrapServers();
    }

    public static synchronized String bootstrapServers() throws Exception {
        if (broker == null) {
            broker = LocalKafkaBroker.start();
            LocalKafkaBroker started = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (Exception ignored) {
                    // best effort at JVM exit
                }
            }));
        }
        return broker.bootstrapServers();
    }
}
