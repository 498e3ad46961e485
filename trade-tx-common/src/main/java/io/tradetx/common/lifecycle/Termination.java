package io.tradetx.common.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a stop request instead of an immediate JVM exit, so the main thread
 * can drain, commit and close, and the process then exits 0 (a JVM killed by a signal exits 143).
 */
public final class Termination {
    private static final Logger LOG = LoggerFactory.getLogger(Termination.class);

    private Termination() {
    }

    public static void onSignal(Runnable stopRequest) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    LOG.info("Received SIG{}", signal.getName());
                    stopRequest.run();
                });
            } catch (IllegalArgumentException unsupported) {
                // This platform has no such signal; the default shutdown applies.
                LOG.debug("Signal {} not supported here", name);
            }
        }
    }
}
