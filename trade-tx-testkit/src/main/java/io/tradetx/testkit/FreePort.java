package io.tradetx.testkit;

import java.io.IOException;
import java.net.ServerSocket;

/** A TCP port on 127.0.0.1 that nothing listens on right now, for a broker, a child's endpoint or a probe. */
public final class FreePort {
    private FreePort() {
    }

    public static int find() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
