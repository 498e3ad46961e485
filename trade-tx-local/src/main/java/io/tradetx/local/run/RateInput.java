package io.tradetx.local.run;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads lines from the terminal: a number sets the producer rate (the local twin of deploy-producer.sh N). */
final class RateInput {
    private static final Logger LOG = LoggerFactory.getLogger(RateInput.class);

    private RateInput() {
    }

    static void start(InputStream in, IntConsumer onRate, Runnable onQuit) {
        Thread t = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    String v = line.trim();
                    if (v.isEmpty()) {
                        continue;
                    }
                    if (v.equalsIgnoreCase("q") || v.equalsIgnoreCase("quit")) {
                        onQuit.run();
                        return;
                    }
                    try {
                        int rate = Integer.parseInt(v);
                        if (rate < 0 || rate > 1_000_000) {
                            throw new NumberFormatException();
                        }
                        onRate.accept(rate);
                    } catch (NumberFormatException e) {
                        LOG.warn("Type a rate in msg/s from 0 to 1000000 and Enter, or q to quit (got '{}')", v);
                    }
                }
            } catch (java.io.IOException e) {
                // no terminal: nothing to read
            }
        }, "rate-input");
        t.setDaemon(true);
        t.start();
    }
}
