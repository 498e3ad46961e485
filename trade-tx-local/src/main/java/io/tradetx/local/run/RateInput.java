package io.tradetx.local.run;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads lines from the terminal: a number sets the producer rate (the local twin of deploy-producer.sh N). */
final class RateInput {
    private static final Logger LOG = LoggerFactory.getLogger(RateInput.class);
    static final int MAX_RATE = 1_000_000;

    /** What a typed line means to the run. */
    interface Listener {
        /** A valid rate in msg/s. */
        void rate(int rate);

        /** q or quit. */
        void quit();

        /** Anything else that is not blank; the run goes on. */
        default void invalid(String line) {
            LOG.warn("Type a rate in msg/s from 0 to {} and Enter, or q to quit (got '{}')", MAX_RATE, line);
        }

        /** Every line, blank ones too, before it is read (the terminal's echo of Enter moved the cursor). */
        default void entered(String line) {
        }
    }

    private RateInput() {
    }

    static void start(InputStream in, Listener listener) {
        Thread t = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    listener.entered(line);
                    String v = line.trim();
                    if (v.isEmpty()) {
                        continue;
                    }
                    if (v.equalsIgnoreCase("q") || v.equalsIgnoreCase("quit")) {
                        listener.quit();
                        return;
                    }
                    int rate;
                    try {
                        rate = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        rate = -1;
                    }
                    if (rate < 0 || rate > MAX_RATE) {
                        listener.invalid(v);
                    } else {
                        listener.rate(rate);
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
