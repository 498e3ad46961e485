package io.tradetx.lab.chaos;

import io.tradetx.common.config.Env;
import io.tradetx.common.config.Startup;
import io.tradetx.consumer.ConsumerMain;
import io.tradetx.consumer.sink.Sinks;
import io.tradetx.consumer.ConsumerSettings;
import java.nio.file.Path;

/**
 * A consumer process of a chaos run: exactly ConsumerMain's process, with the sink ConsumerMain would
 * build wrapped in a {@link FaultInjectingSink} driven by the file named by CHAOS_CONTROL_FILE.
 */
public final class ChaosConsumerMain {
    private ChaosConsumerMain() {
    }

    public static void main(String[] args) throws Exception {
        ConsumerSettings settings = Startup.settingsOrExit(() -> ConsumerSettings.fromEnv(Env.system()));
        Path control = Path.of(System.getenv(FaultControl.ENV));
        System.exit(ConsumerMain.run(settings, s -> new FaultInjectingSink(Sinks.fromSettings(s), control)));
    }
}
