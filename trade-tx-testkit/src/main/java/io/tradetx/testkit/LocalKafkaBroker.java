package io.tradetx.testkit;

import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.kafka.SaslCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * By default it listens in PLAINTEXT without an authorizer; {@link #startSecured} adds SASL/SCRAM and
 * ACLs (see {@link BrokerSecurity}).
 */
public final class LocalKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** Local retention: a day of data is enough to replay a demo; the MSK value is set in Terraform. */
    public static final int DEFAULT_RETENTION_HOURS = 24;
    private static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    private final Path dir;
    private final boolean deleteOnClose;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> extraProperties;
    /** Null for the default PLAINTEXT broker without an authorizer. */
    private final BrokerSecurity security;
    private Process process;
    private Thread cleanup;

    private LocalKafkaBroker(Path dir, boolean deleteOnClose, int port, int controllerPort,
                             Map<String, String> extraProperties, BrokerSecurity security) {
        this.dir = dir;
        this.deleteOnClose = deleteOnClose;
        this.port = port;
        this.controllerPort = controllerPort;
        this.extraProperties = extraProperties;
        this.security = security;
    }

    /** Starts a broker on free ports with data in a temporary directory that is deleted on close. */
    public static LocalKafkaBroker start() throws IOException, InterruptedException {
        return start(Files.createTempDirectory("trade-tx-kafka-"), true, 0, Map.of());
    }

    /** Starts a broker; port 0 picks a free one. */
    public static LocalKafkaBroker start(Path dir, boolean deleteOnClose, int port, Map<String, String> extra)
            throws IOException, InterruptedException {
        return start(dir, deleteOnClose, port, extra, null);
    }

    /**
     * Starts a secured broker on free ports in a temporary directory deleted on close: SASL/SCRAM only,
     * the StandardAuthorizer, nothing allowed without an ACL except to the super-user.
     */
    public static LocalKafkaBroker startSecured(BrokerSecurity security) throws IOException, InterruptedException {
        return start(Files.createTempDirectory("trade-tx-kafka-"), true, 0, Map.of(),
                Objects.requireNonNull(security));
    }

    /** Starts a broker, secured when {@code security} is not null; port 0 picks a free one. */
    public static LocalKafkaBroker start(Path dir, boolean deleteOnClose, int port, Map<String, String> extra,
                                         BrokerSecurity security) throws IOException, InterruptedException {
        LocalKafkaBroker broker = new LocalKafkaBroker(dir, deleteOnClose, port == 0 ? FreePort.find() : port,
                FreePort.find(), Map.copyOf(extra), security);
        broker.format();
        broker.launch();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The security of a secured broker, or null for the default PLAINTEXT one. */
    public BrokerSecurity security() {
        return security;
    }

    /**
     * Client settings for the harness: PLAINTEXT, or on a secured broker the super-user's SCRAM login
     * (which bypasses every ACL, so never hand these to an app under test).
     */
    public KafkaSettings adminSettings(String topic, int partitions) {
        KafkaSettings plain = KafkaSettings.local(bootstrapServers(), topic, partitions);
        return security == null ? plain : plain.withScram(security.admin());
    }

    /** Client settings that log in as one of the secured broker's SCRAM users. */
    public KafkaSettings userSettings(String username, String topic, int partitions) {
        if (security == null) {
            throw new IllegalStateException("This broker is not secured: it has no SCRAM users");
        }
        return KafkaSettings.local(bootstrapServers(), topic, partitions).withScram(security.user(username));
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
        List<String> args = new ArrayList<>(List.of("format", "--standalone", "-t", Uuid.randomUuid().toString(), "-c",
                config.toString()));
        if (security != null) {
            // SCRAM credentials live in the cluster metadata; writing them at format time means every login
            // works from the first second, without waiting for the credentials to propagate. The passwords
            // are per-run random ones, briefly on this local command line and in the broker's own temp dir.
            List<SaslCredentials> logins = new ArrayList<>(security.users());
            logins.add(security.admin());
            for (SaslCredentials c : logins) {
                args.addAll(List.of("--add-scram",
                        SCRAM_MECHANISM + "=[name=" + c.username() + ",password=" + c.password() + "]"));
            }
        }
        Process format = ChildJvm.builder(List.of(), "kafka.tools.StorageTool", args, Map.of())
                .redirectErrorStream(true).redirectOutput(dir.resolve("format.log").toFile()).start();
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
        if (security != null) {
            p.putAll(securedListeners());
        }
        p.putAll(extraProperties);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    /**
     * SASL everywhere, deny by default. Clients use SCRAM-SHA-512 on the CLIENT listener, as a per-principal
     * credential does on MSK. The CONTROLLER listener uses PLAIN with the admin login in its JAAS line, since
     * KRaft controllers cannot check SCRAM (its credentials live in the metadata they serve); so no listener
     * admits an anonymous principal, and only the admin is a super-user.
     */
    private Map<String, String> securedListeners() {
        SaslCredentials admin = security.admin();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("listeners", "CLIENT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "CLIENT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        p.put("inter.broker.listener.name", "CLIENT");
        p.put("sasl.mechanism.inter.broker.protocol", SCRAM_MECHANISM);
        p.put("listener.name.client.sasl.enabled.mechanisms", SCRAM_MECHANISM);
        p.put("listener.name.client.scram-sha-512.sasl.jaas.config", admin.scramJaasConfig());
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + admin.username()
                        + "\" password=\"" + admin.password() + "\" user_" + admin.username() + "=\""
                        + admin.password() + "\";");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:" + admin.username());
        p.put("allow.everyone.if.no.acl.found", "false");
        return p;
    }

    private void launch() throws IOException, InterruptedException {
        ProcessBuilder broker = ChildJvm.builder(List.of("-Xms256m", "-Xmx768m"), "kafka.Kafka",
                List.of(dir.resolve("server.properties").toString()), Map.of());
        // Ctrl-C on a terminal signals the whole foreground process group: in a session of its own the broker
        // outlives the consumers' last commits, and this process stops it after them (close, or the hook below).
        Path setsid = onPath("setsid");
        if (setsid != null) {
            broker.command().add(0, setsid.toString());
        }
        process = broker.redirectErrorStream(true)
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
        Properties p = security == null ? new Properties()
                : KafkaClientProperties.common(adminSettings("-", 1), "broker-readiness");
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

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
