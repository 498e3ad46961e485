package io.tradetx.common.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The apps' HTTP endpoint: {@code /metrics} (Prometheus text), {@code /ready} (200 once the app can do
 * its work, else 503) and {@code /healthz} (200 while the process runs). No message content is exposed.
 */
public final class AppHttpServer implements AutoCloseable {
    private final HttpServer server;

    private AppHttpServer(HttpServer server) {
        this.server = server;
    }

    /** Starts on the port (0 picks a free one) on all interfaces, so Kubernetes probes can reach it. */
    public static AppHttpServer start(int port, PrometheusMeterRegistry registry, BooleanSupplier ready)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
        server.createContext("/metrics", ex -> respond(ex, 200,
                "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/ready", ex -> {
            boolean ok = ready.getAsBoolean();
            respond(ex, ok ? 200 : 503, "text/plain", ok ? "ready\n" : "not ready\n");
        });
        server.createContext("/healthz", ex -> respond(ex, 200, "text/plain", "ok\n"));
        // One daemon thread: scrapes are rare and must never keep the JVM alive at shutdown.
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "http-" + port);
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return new AppHttpServer(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
