package io.tradetx.local.broker;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker in KRaft mode, run in its own JVM from the Maven Central
 * kafka_2.13 artifact on this process's classpath: format the storage with a cluster id, then start.
 * Used by the tests and by {@code ./trade-tx local}; it can be restarted on the same data and ports.
 */
public final class LocalKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** Local retention: a day of data is enough to replay a demo; the MSK value is set in Terraform. */
    public static final int DEFAULT_RETENTION_HOURS = 24;

    private final Path dir;
    private final boolean deleteOnClose;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> extraProperties;
    private Process process;
    private Thread cleanup;

    private LocalKafkaBroker(Path dir, boolean deleteOnClose, int port, int controllerPort,
                             Map<String, String> extraProperties) {
        this.dir = dir;
        this.deleteOnClose = deleteOnClose;
        this.port = port;
        this.controllerPort = controllerPort;
        this.extraProperties = extraProperties;
    }

    /** Starts a broker on free ports with data in a temporary directory that is deleted on close. */
    public static LocalKafkaBroker start() throws IOException, InterruptedException {
        return start(Files.createTempDirectory("trade-tx-kafka-"), true, 0, Map.of());
    }

    /** Starts a broker; port 0 picks a free one. */
    public static LocalKafkaBroker start(Path dir, boolean deleteOnClose, int port, Map<String, String> extra)
            throws IOException, InterruptedException {
        LocalKafkaBroker broker = new LocalKafkaBroker(dir, deleteOnClose, port == 0 ? freePort() : port,
                freePort(), Map.copyOf(extra));
        broker.format();
        broker.launch();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path logFile() {
        return dir.resolve("broker.log");
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    private void format() throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("data"));
        Path config = dir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(config)) {
            properties().store(out, "trade-tx local broker");
        }
        List<String> cmd = javaCommand("kafka.tools.StorageTool");
        cmd.addAll(List.of("format", "--standalone", "-t", Uuid.randomUuid().toString(), "-c", config.toString()));
        Process format = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("format.log").toFile()).start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IOException("Formatting the Kafka storage failed; see " + dir.resolve("format.log") + ":\n"
                    + Files.readString(dir.resolve("format.log")));
        }
    }

    private Properties properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.resolve("data").toString());
        // One node: every internal topic must live with a single replica, or groups silently get nothing.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "10");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // Start the first rebalance at once rather than after 3 s: local runs and tests join often.
        p.put("group.initial.rebalance.delay.ms", "0");
        // As on MSK: topics are created explicitly with the right partition count, never by accident.
        p.put("auto.create.topics.enable", "false");
        p.put("log.retention.hours", String.valueOf(DEFAULT_RETENTION_HOURS));
        p.put("num.partitions", "1");
        p.putAll(extraProperties);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    private void launch() throws IOException, InterruptedException {
        List<String> cmd = javaCommand("kafka.Kafka");
        cmd.add(dir.resolve("server.properties").toString());
        cmd.add(1, "-Xms256m");
        cmd.add(2, "-Xmx768m");
        // Ctrl-C on a terminal signals the whole foreground process group: in a session of its own the broker
        // outlives the consumers' last commits, and this process stops it after them (close, or the hook below).
        Path setsid = onPath("setsid");
        if (setsid != null) {
            cmd.add(0, setsid.toString());
        }
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
        cleanup = new Thread(this::kill, "kafka-broker-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        awaitReady();
        LOG.info("Kafka broker ready at {} (pid {}, data {})", bootstrapServers(), process.pid(), dir);
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        // Wait for the listener first: an admin client against a closed port logs a warning per retry.
        while (!accepts(port)) {
            if (!process.isAlive()) {
                throw new IOException("Kafka broker exited with code " + process.exitValue() + "; see "
                        + logFile() + ":\n" + tail(logFile()));
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IOException("Kafka broker did not open port " + port + " within "
                        + START_TIMEOUT.toSeconds() + " s; see " + logFile());
            }
            Thread.sleep(100);
        }
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        try (Admin admin = Admin.create(p)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException("Kafka broker exited with code " + process.exitValue() + "; see "
                            + logFile() + ":\n" + tail(logFile()));
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    Thread.sleep(200);
                }
            }
        }
        kill();
        throw new IOException("Kafka broker did not become ready within " + START_TIMEOUT.toSeconds() + " s; see "
                + logFile());
    }

    /** Stops the broker with SIGTERM (a clean shutdown) and starts it again on the same data and ports. */
    public void restart() throws IOException, InterruptedException {
        stop();
        launch();
    }

    /** Clean stop: SIGTERM, then wait; SIGKILL only if it hangs. */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        removeCleanupHook();
        process = null;
    }

    private void kill() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void removeCleanupHook() {
        if (cleanup != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
            cleanup = null;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        if (deleteOnClose) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private static List<String> javaCommand(String mainClass) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        return cmd;
    }

    /** The executable {@code name} on the PATH, or null. */
    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean accepts(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
