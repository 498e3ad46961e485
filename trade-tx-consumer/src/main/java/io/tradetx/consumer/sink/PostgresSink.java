package io.tradetx.consumer.sink;

import io.tradetx.consumer.ConsumedTrade;
import io.tradetx.consumer.ConsumerSettings.JdbcSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each microbatch to a PostgreSQL table in one transaction. Rows are keyed by the Kafka
 * coordinates (topic, partition, offset), so a batch delivered again after a crash or rebalance is
 * absorbed by ON CONFLICT DO NOTHING: the table holds every trade exactly once.
 */
public final class PostgresSink implements TradeSink {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresSink.class);

    private final JdbcSettings settings;
    private final String insert;
    private Connection connection;

    public PostgresSink(JdbcSettings settings) {
        this.settings = settings;
        this.insert = "INSERT INTO " + settings.table() + " (kafka_topic, kafka_partition, kafka_offset, trade_id,"
                + " account_id, symbol, trade_type, quantity, price, traded_at) VALUES (?,?,?,?,?,?,?,?,?,?)"
                + " ON CONFLICT (kafka_topic, kafka_partition, kafka_offset) DO NOTHING";
    }

    /** The table, created on first connect if missing. */
    static String ddl(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + " ("
                + "kafka_topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,"
                + " trade_id text NOT NULL, account_id text NOT NULL, symbol text NOT NULL, trade_type text NOT NULL,"
                + " quantity integer NOT NULL, price numeric(12,2) NOT NULL, traded_at timestamptz NOT NULL,"
                + " stored_at timestamptz NOT NULL DEFAULT now(),"
                + " PRIMARY KEY (kafka_topic, kafka_partition, kafka_offset))";
    }

    @Override
    public void write(List<ConsumedTrade> batch) throws SQLException {
        Connection c = connection();
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            for (ConsumedTrade t : batch) {
                ps.setString(1, t.topic());
                ps.setInt(2, t.partition());
                ps.setLong(3, t.offset());
                ps.setString(4, t.trade().tradeId());
                ps.setString(5, t.trade().accountId());
                ps.setString(6, t.trade().symbol());
                ps.setString(7, t.trade().tradeType().name());
                ps.setInt(8, t.trade().quantity());
                ps.setBigDecimal(9, t.trade().price());
                ps.setTimestamp(10, Timestamp.from(t.trade().timestamp()));
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        } catch (SQLException e) {
            // Drop the connection: the next attempt reconnects, which also covers a restarted server.
            closeQuietly();
            throw e;
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            Properties props = new Properties();
            if (settings.user() != null) {
                props.setProperty("user", settings.user());
            }
            if (settings.password() != null) {
                props.setProperty("password", settings.password());
            }
            // Fail an attempt in seconds so the consumer's retry loop, not a hung socket, handles an outage.
            props.setProperty("connectTimeout", "5");
            props.setProperty("socketTimeout", "30");
            props.setProperty("reWriteBatchedInserts", "true");
            Connection c = DriverManager.getConnection(settings.url(), props);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // Pods start together: serialise CREATE TABLE IF NOT EXISTS, which races in PostgreSQL.
                s.execute("SELECT pg_advisory_xact_lock(hashtext('" + settings.table() + "'))");
                s.execute(ddl(settings.table()));
            }
            c.commit();
            connection = c;
            LOG.info("Connected to PostgreSQL, writing to table {}", settings.table());
        }
        return connection;
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
    }
}
