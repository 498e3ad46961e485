package io.tradetx.consumer.sink;

import io.tradetx.common.trade.Trade;
import io.tradetx.consumer.ConsumedTrade;
import io.tradetx.common.lifecycle.Hostname;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.consumer.ConsumerSettings.JdbcSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each microbatch to a PostgreSQL table in one transaction, idempotently: rows are keyed by
 * the Kafka coordinates including the topic's id (topic, topic id, partition, offset), so a batch
 * delivered again after a crash or rebalance adds nothing, while the records of a topic deleted and
 * created again under the same name (new id, offsets from 0 again) are stored, not swallowed. A
 * record whose coordinates are already stored with a different trade is never skipped silently: the
 * batch fails with a {@link PermanentSinkException}, as do values the table rejects (SQLSTATE
 * classes 22 and 23); connection problems stay ordinary, transient exceptions.
 */
public final class PostgresSink implements TradeSink {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresSink.class);
    /** A third of the Deployment's 45 s grace period, for callers that do not pass their own budget. */
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(15);

    /** The columns and their types as information_schema reports them; sized from the Trade limits. */
    static final Map<String, String> COLUMNS = columns();

    private final JdbcSettings settings;
    private final TopicIds topicIds;
    private final Timeouts timeouts;
    private final String table;
    private final String insert;
    private Connection connection;

    /**
     * How long each JDBC step may take, from the budget of one write attempt, so that a database that
     * hangs cannot hold the consumer past its shutdown budget: connecting and logging in, and each
     * statement, get a quarter each; the socket gives up a second after the statement timeout.
     */
    public record Timeouts(int loginSeconds, int statementSeconds, int socketSeconds) {
        public static Timeouts within(Duration attempt) {
            int quarter = (int) Math.max(1, attempt.toSeconds() / 4);
            return new Timeouts(quarter, quarter, quarter + 1);
        }
    }

    /**
     * The consumer's sink: topic ids asked from the consumer's cluster, every JDBC wait within
     * {@code attemptBudget} (what the consumer allows one write attempt, from its shutdown budget).
     */
    public static PostgresSink forConsumer(ConsumerSettings settings, Duration attemptBudget) {
        return new PostgresSink(settings.jdbc(), TopicIds.fromCluster(settings.kafka(), "trade-tx-consumer-topic-ids-"
                + Hostname.get(), attemptBudget.dividedBy(4)), Timeouts.within(attemptBudget));
    }

    /** Topic ids unknown (see {@link TopicIds#UNKNOWN}) and the default attempt budget. */
    public PostgresSink(JdbcSettings settings) {
        this(settings, TopicIds.UNKNOWN, Timeouts.within(DEFAULT_ATTEMPT_TIMEOUT));
    }

    public PostgresSink(JdbcSettings settings, TopicIds topicIds, Timeouts timeouts) {
        this.settings = settings;
        this.topicIds = topicIds;
        this.timeouts = timeouts;
        this.table = quote(settings.table());
        String columns = String.join(", ", COLUMNS.keySet().stream().filter(c -> !c.equals("stored_at")).toList());
        // One statement per batch: unnest the columns, insert what is new, and in the same snapshot
        // return the incoming records whose coordinates are already stored with a different trade
        // (the INSERT's own rows are not visible to the outer SELECT).
        this.insert = "WITH incoming AS (SELECT * FROM unnest(?::text[], ?::uuid[], ?::integer[], ?::bigint[],"
                + " ?::text[], ?::text[], ?::text[], ?::text[], ?::integer[], ?::numeric[], ?::timestamptz[],"
                + " ?::integer[]) AS i(" + columns + ")),"
                + " inserted AS (INSERT INTO " + table + " (" + columns + ") SELECT * FROM incoming"
                + " ON CONFLICT (kafka_topic, kafka_topic_id, kafka_partition, kafka_offset) DO NOTHING)"
                + " SELECT i.kafka_partition, i.kafka_offset, s.trade_id FROM incoming i JOIN " + table + " s"
                + " USING (kafka_topic, kafka_topic_id, kafka_partition, kafka_offset)"
                + " WHERE (s.trade_id, s.account_id, s.symbol, s.trade_type, s.quantity, s.price, s.traded_at,"
                + " s.traded_at_nanos) IS DISTINCT FROM (i.trade_id, i.account_id, i.symbol, i.trade_type,"
                + " i.quantity, i.price, i.traded_at, i.traded_at_nanos)";
    }

    private static Map<String, String> columns() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("kafka_topic", "text");
        c.put("kafka_topic_id", "uuid");
        c.put("kafka_partition", "integer");
        c.put("kafka_offset", "bigint");
        c.put("trade_id", "character varying(" + Trade.TRADE_ID_MAX_LENGTH + ")");
        c.put("account_id", "character varying(" + Trade.ACCOUNT_ID_MAX_LENGTH + ")");
        c.put("symbol", "character varying(" + Trade.SYMBOL_MAX_LENGTH + ")");
        c.put("trade_type", "character varying(4)");
        c.put("quantity", "integer");
        // Exactly the digits Trade allows: nothing is rounded.
        c.put("price", "numeric(" + (Trade.PRICE_MAX_INTEGER_DIGITS + Trade.PRICE_MAX_SCALE) + ","
                + Trade.PRICE_MAX_SCALE + ")");
        // timestamptz holds microseconds; the nano-of-second keeps a Java producer's timestamp exact.
        c.put("traded_at", "timestamp with time zone");
        c.put("traded_at_nanos", "integer");
        c.put("stored_at", "timestamp with time zone");
        return c;
    }

    /** The table, created on first connect if missing. */
    static String ddl(String quotedTable) {
        StringBuilder sb = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(quotedTable).append(" (");
        COLUMNS.forEach((name, type) -> sb.append(name).append(' ').append(type).append(" NOT NULL")
                .append(name.equals("stored_at") ? " DEFAULT now()" : "").append(", "));
        return sb.append("PRIMARY KEY (kafka_topic, kafka_topic_id, kafka_partition, kafka_offset))").toString();
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public void write(List<ConsumedTrade> batch) throws Exception {
        Set<String> topics = new HashSet<>();
        batch.forEach(t -> topics.add(t.topic()));
        Map<String, Uuid> ids = topicIds.of(topics);
        int n = batch.size();
        // Every column travels as a text array and is cast by PostgreSQL: exact for numeric and timestamptz.
        String[][] columns = new String[12][n];
        for (int i = 0; i < n; i++) {
            ConsumedTrade ct = batch.get(i);
            Trade t = ct.trade();
            Uuid id = ids.get(ct.topic());
            if (id == null) {
                throw new SQLException("Topic " + ct.topic() + " has no id: it does not exist (any more)");
            }
            String[] row = {ct.topic(), new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits()).toString(),
                String.valueOf(ct.partition()), String.valueOf(ct.offset()), t.tradeId(), t.accountId(), t.symbol(),
                t.tradeType().name(), String.valueOf(t.quantity()), t.price().toPlainString(),
                t.timestamp().truncatedTo(ChronoUnit.MICROS).toString(), String.valueOf(t.timestamp().getNano())};
            for (int c = 0; c < row.length; c++) {
                columns[c][i] = row[c];
            }
        }
        Connection c = connection();
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            ps.setQueryTimeout(timeouts.statementSeconds());
            for (int col = 0; col < columns.length; col++) {
                ps.setArray(col + 1, c.createArrayOf("text", columns[col]));
            }
            List<String> conflicts = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    conflicts.add("partition " + rs.getInt(1) + " offset " + rs.getLong(2) + " (stored: "
                            + rs.getString(3) + ")");
                }
            }
            if (!conflicts.isEmpty()) {
                c.rollback();
                throw new PermanentSinkException(conflicts.size() + " records have the coordinates of different, "
                        + "already stored trades (topic re-created without a known id?): " + conflicts.subList(0,
                        Math.min(5, conflicts.size())));
            }
            c.commit();
        } catch (SQLException e) {
            if (isDataError(e)) {
                rollbackQuietly();
                throw new PermanentSinkException("The table rejects a record of this batch: " + e.getMessage(), e);
            }
            // Drop the connection: the next attempt reconnects, which also covers a restarted server.
            closeQuietly();
            throw e;
        }
    }

    /** SQLSTATE class 22 (data exception) or 23 (integrity constraint violation): retrying cannot help. */
    static boolean isDataError(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    private Connection connection() throws SQLException {
        if (connection != null && !connection.isClosed()) {
            return connection;
        }
        Properties props = new Properties();
        if (settings.user() != null) {
            props.setProperty("user", settings.user());
        }
        if (settings.password() != null) {
            props.setProperty("password", settings.password());
        }
        // Every step fails within the attempt budget, so the consumer's retry loop and its shutdown
        // deadline, not a hung socket, decide what happens during an outage.
        props.setProperty("connectTimeout", String.valueOf(timeouts.loginSeconds()));
        props.setProperty("loginTimeout", String.valueOf(timeouts.loginSeconds()));
        props.setProperty("socketTimeout", String.valueOf(timeouts.socketSeconds()));
        props.setProperty("ApplicationName", "trade-tx-consumer"); // what DBAs see in pg_stat_activity
        // Error messages (logged, and in dead-letter headers) must not quote a row's values.
        props.setProperty("logServerErrorDetail", "false");
        props.setProperty("options", "-c statement_timeout=" + timeouts.statementSeconds() + "s -c lock_timeout="
                + timeouts.statementSeconds() + "s");
        Connection c = DriverManager.getConnection(settings.url(), props);
        try {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))");
                 PreparedStatement create = c.prepareStatement(ddl(table))) {
                // Pods start together: serialise CREATE TABLE IF NOT EXISTS, which races in PostgreSQL.
                lock.setString(1, settings.table());
                lock.execute();
                create.execute();
            }
            checkLayout(c);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.close(); // a failed lock, DDL or layout check must not leak the connection
            throw e;
        }
        connection = c;
        LOG.info("Connected to PostgreSQL, writing to table {}", settings.table());
        return c;
    }

    /** An existing table made by an older version (other key, numeric(12,2)) is reported, not written to. */
    private void checkLayout(Connection c) throws SQLException {
        Map<String, String> found = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type, character_maximum_length,"
                + " numeric_precision, numeric_scale FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ?")) {
            ps.setString(1, settings.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2);
                    if (rs.getObject(3) != null) {
                        type += "(" + rs.getInt(3) + ")";
                    } else if (type.equals("numeric")) {
                        type += "(" + rs.getInt(4) + "," + rs.getInt(5) + ")";
                    }
                    found.put(rs.getString(1), type);
                }
            }
        }
        List<String> wrong = new ArrayList<>();
        COLUMNS.forEach((name, type) -> {
            if (!type.equals(found.get(name))) {
                wrong.add(name + " " + (found.containsKey(name) ? found.get(name) : "missing") + " (expected " + type + ")");
            }
        });
        if (!wrong.isEmpty()) {
            throw new SQLException("Table " + settings.table() + " has another layout than this version writes: "
                    + String.join(", ", wrong) + ". Set SINK_TABLE to a new table, or migrate this one");
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // already broken
        }
        connection = null;
    }

    @Override
    public void close() {
        closeQuietly();
        topicIds.close();
    }
}
