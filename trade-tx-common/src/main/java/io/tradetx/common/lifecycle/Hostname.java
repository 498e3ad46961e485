package io.tradetx.common.lifecycle;

import java.net.InetAddress;

/** The pod or host name, used to make Kafka client ids unique per pod (and readable in metrics). */
public final class Hostname {
    private Hostname() {
    }

    public static String get() {
        // Kubernetes sets HOSTNAME to the pod name.
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "local";
        }
    }
}
