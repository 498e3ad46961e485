package io.tradetx.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradetx.common.kafka.GroupLagReader;
import io.tradetx.protocol.GroupProtocol;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.kafka.TopicProvisioner;
import io.tradetx.common.trade.Trade;
import io.tradetx.common.trade.TradeJson;
import io.tradetx.consumer.pool.ConsumerPool;
import io.tradetx.consumer.sink.PermanentSinkException;
import io.tradetx.consumer.sink.PostgresSink;
import io.tradetx.consumer.sink.TopicIds;
import io.tradetx.consumer.testing.TestTrades;
import io.tradetx.testkit.SharedBroker;
import io.tradetx.testkit.TestKafka;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SINK=postgres against a real PostgreSQL (.ci/run starts it): every trade lands once, a full
 * redelivery adds no row, a re-created topic's records are stored, every trade the decoder accepts is
 * stored exactly, rejected values are permanent errors, and no failure leaks a connection.
 */
@ExtendWith(SharedBroker.class)
class PostgresSinkTest {
    private static final int MESSAGES = 3000;
    private static final PostgresSink.Timeouts TIMEOUTS = PostgresSink.Timeouts.within(Duration.ofSeconds(12));
    private String url;
    private String user;
    private String password;
    private String schema;

    @BeforeEach
    void database() throws Exception {
        String base = System.getenv("TRADETX_TEST_JDBC_URL");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(base).as(".ci/run starts PostgreSQL and sets TRADETX_TEST_JDBC_URL").isNotBlank();
        }
        assumeTrue(base != null, "set TRADETX_TEST_JDBC_URL (and _USER/_PASSWORD) to run against PostgreSQL");
        user = System.getenv("TRADETX_TEST_JDBC_USER");
        password = System.getenv("TRADETX_TEST_JDBC_PASSWORD");
        // Each test in its own schema: table names may then be reserved words, and cleaning up is one DROP.
        schema = TestKafka.unique("tx").replace('-', '_');
        sql(base, "CREATE SCHEMA " + schema);
        url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            // Bounded: a connection leaked by a failing test must fail the clean-up, not hang it.
            sql(System.getenv("TRADETX_TEST_JDBC_URL"), "SET lock_timeout = '10s'; DROP SCHEMA " + schema + " CASCADE");
        }
    }

    @Test
    void storesEveryTradeOnceEvenWhenEverythingIsDeliveredTwice() throws Exception {
        KafkaSettings kafka = TestKafka.topic(TestKafka.unique("pg"), 6);
        TestTrades.produce(kafka, MESSAGES);
        for (String group : new String[] {TestKafka.unique("g"), TestKafka.unique("replay")}) {
            ConsumerSettings settings = new ConsumerSettings(kafka, group, 200, Duration.ofMillis(100), Duration.ZERO,
                    Duration.ZERO, 8000, GroupProtocol.CLASSIC, kafka.topic() + ".dlq",
                    ConsumerSettings.SinkType.POSTGRES, null, jdbc("trades"));
            try (ConsumerPool pool = new ConsumerPool(settings, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    pod -> PostgresSink.forConsumer(settings, Duration.ofSeconds(12)), Duration.ZERO);
                 Admin admin = TestKafka.admin(kafka)) {
                pool.scaleTo(2);
                GroupLagReader lag = new GroupLagReader(admin, kafka.topic(), group);
                await().atMost(Duration.ofSeconds(60)).until(() -> lag.read().stream()
                        .allMatch(p -> p.committed() >= 0 && p.lag() == 0));
            }
            assertThat(count("SELECT count(*) FROM trades")).isEqualTo(MESSAGES);
        }
        assertThat(count("SELECT count(DISTINCT trade_id) FROM trades")).isEqualTo(MESSAGES);
    }

    @Test
    void aTopicDeletedAndCreatedAgainIsStoredNotSwallowed() throws Exception {
        KafkaSettings kafka = TestKafka.topic(TestKafka.unique("recreated"), 1);
        try (PostgresSink sink = sink(jdbc("trades"), kafka); Admin admin = TestKafka.admin(kafka)) {
            sink.write(batch(kafka.topic(), 0, "TRD100001", "TRD100002"));
            sink.write(batch(kafka.topic(), 0, "TRD100001", "TRD100002")); // redelivered: no new row
            assertThat(count("SELECT count(*) FROM trades")).isEqualTo(2);

            admin.deleteTopics(List.of(kafka.topic())).all().get();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                TopicProvisioner.ensureTopic(admin, kafka.topic(), 1, (short) 1, Map.of());
                return true;
            });
            // The new topic starts at offset 0 again, with other trades: they are stored.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                sink.write(batch(kafka.topic(), 0, "TRD200001", "TRD200002"));
                assertThat(count("SELECT count(*) FROM trades")).isEqualTo(4);
            });
            assertThat(count("SELECT count(DISTINCT kafka_topic_id) FROM trades")).isEqualTo(2);
        }
    }

    @Test
    void withoutTopicIdsARecordAtStoredCoordinatesWithAnotherTradeIsAPermanentErrorNeverSkipped() throws Exception {
        try (PostgresSink sink = new PostgresSink(jdbc("trades"), TopicIds.UNKNOWN, TIMEOUTS)) {
            sink.write(batch("t", 0, "TRD100001", "TRD100002"));
            sink.write(batch("t", 0, "TRD100001", "TRD100002"));
            // Offsets 0 and 1 again, now with other trades (as a re-created topic would), and a new offset 2.
            assertThatThrownBy(() -> sink.write(batch("t", 0, "TRD300001", "TRD300002", "TRD300003")))
                    .isInstanceOf(PermanentSinkException.class)
                    .hasMessageContaining("partition 0 offset 0 (stored: TRD100001)");
            assertThat(count("SELECT count(*) FROM trades")).as("the failed batch stored nothing").isEqualTo(2);
        }
    }

    @Test
    void everyTradeTheDecoderAcceptsIsStoredExactly() throws Exception {
        String[] timestamps = {"1970-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2026-11-28T00:25:48.123456",
            "2026-11-28T00:25:48.123456789+05:30", "2024-02-29T23:59:59.000000001-12:00"};
        String[] prices = {"0.00000001", "999999999999.99999999", "123.4500000000", "1E+11", "50.0"};
        List<ConsumedTrade> batch = new ArrayList<>();
        for (int i = 0; i < timestamps.length; i++) {
            String json = "{\"account_id\":\"ACC" + "1".repeat(i == 0 ? 17 : 4) + "\",\"trade_id\":\"TRD"
                    + String.valueOf(i).repeat(i == 1 ? 29 : 6) + "\",\"symbol\":\"" + (i == 2 ? "BRK.BBBBBB" : "A")
                    + "\",\"trade_type\":\"SELL\",\"quantity\":" + (i == 3 ? Integer.MAX_VALUE : 1) + ",\"price\":"
                    + prices[i] + ",\"timestamp\":\"" + timestamps[i] + "\"}";
            batch.add(new ConsumedTrade("t", 0, i, 0, TradeJson.decode(json.getBytes(StandardCharsets.UTF_8))));
        }
        try (PostgresSink sink = new PostgresSink(jdbc("select"), TopicIds.UNKNOWN, TIMEOUTS)) {
            sink.write(batch); // "select": a reserved word, so the table name must be quoted
        }
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT kafka_offset, account_id, trade_id, symbol, quantity, price,"
                     + " extract(epoch FROM date_trunc('second', traded_at))::bigint, traded_at_nanos"
                     + " FROM \"select\" ORDER BY kafka_offset")) {
            for (ConsumedTrade sent : batch) {
                assertThat(rs.next()).isTrue();
                Trade t = sent.trade();
                assertThat(rs.getString(2)).isEqualTo(t.accountId());
                assertThat(rs.getString(3)).isEqualTo(t.tradeId());
                assertThat(rs.getString(4)).isEqualTo(t.symbol());
                assertThat(rs.getInt(5)).isEqualTo(t.quantity());
                assertThat(rs.getBigDecimal(6)).isEqualByComparingTo(t.price());
                assertThat(Instant.ofEpochSecond(rs.getLong(7), rs.getInt(8))).isEqualTo(t.timestamp());
            }
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void aValueTheTableRejectsIsAPermanentErrorAndTheSinkGoesOn() throws Exception {
        try (PostgresSink sink = new PostgresSink(jdbc("trades"), TopicIds.UNKNOWN, TIMEOUTS)) {
            sink.write(batch("t", 0, "TRD100001"));
            // An operator's constraint: now quantity 7 (every trade of batch()) cannot be stored.
            sql(url, "ALTER TABLE trades ADD CONSTRAINT no_seven CHECK (quantity <> 7 OR kafka_offset < 1)");
            assertThatThrownBy(() -> sink.write(batch("t", 1, "TRD100002")))
                    .isInstanceOf(PermanentSinkException.class).hasMessageContaining("no_seven");
            sql(url, "ALTER TABLE trades DROP CONSTRAINT no_seven");
            sink.write(batch("t", 1, "TRD100002"));
            assertThat(count("SELECT count(*) FROM trades")).isEqualTo(2);
        }
    }

    @Test
    void failuresToConnectOrToSetUpAreTransientAndLeakNoConnection() throws Exception {
        sql(url, "CREATE TABLE trades (kafka_topic text, kafka_partition integer, kafka_offset bigint,"
                + " price numeric(12,2), PRIMARY KEY (kafka_topic, kafka_partition, kafka_offset))");
        long before = count("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'trade-tx-consumer'");
        try (PostgresSink sink = new PostgresSink(jdbc("trades"), TopicIds.UNKNOWN, TIMEOUTS)) {
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> sink.write(batch("t", 0, "TRD100001")))
                        .isInstanceOf(SQLException.class).isNotInstanceOf(PermanentSinkException.class)
                        .hasMessageContaining("kafka_topic_id missing (expected uuid)")
                        .hasMessageContaining("price numeric(12,2) (expected numeric(20,8))");
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(
                () -> count("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'trade-tx-consumer'") <= before);
        String closedPort = url.replaceFirst("//[^/]+/", "//127.0.0.1:1/");
        long start = System.nanoTime();
        try (PostgresSink sink = new PostgresSink(new ConsumerSettings.JdbcSettings(closedPort, user, password,
                "trades"), TopicIds.UNKNOWN, TIMEOUTS)) {
            assertThatThrownBy(() -> sink.write(batch("t", 0, "TRD100001")))
                    .isInstanceOf(SQLException.class).isNotInstanceOf(PermanentSinkException.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(TIMEOUTS.loginSeconds() + 2));
    }

    /** Trades with quantity 7 at offsets from {@code firstOffset} of partition 0. */
    private static List<ConsumedTrade> batch(String topic, long firstOffset, String... tradeIds) {
        List<ConsumedTrade> batch = new ArrayList<>();
        for (String id : tradeIds) {
            batch.add(new ConsumedTrade(topic, 0, firstOffset + batch.size(), 0, new Trade("ACC1234", id, "AAPL",
                    Trade.TradeType.BUY, 7, new BigDecimal("123.45"), Instant.parse("2026-11-28T00:25:48.123456Z"))));
        }
        return batch;
    }

    private PostgresSink sink(ConsumerSettings.JdbcSettings jdbc, KafkaSettings kafka) {
        return new PostgresSink(jdbc, TopicIds.fromCluster(kafka, "test-topic-ids", Duration.ofSeconds(10)), TIMEOUTS);
    }

    private ConsumerSettings.JdbcSettings jdbc(String table) {
        return new ConsumerSettings.JdbcSettings(url, user, password, table);
    }

    private long count(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void sql(String jdbcUrl, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user != null ? user
                : System.getenv("TRADETX_TEST_JDBC_USER"), password != null ? password
                : System.getenv("TRADETX_TEST_JDBC_PASSWORD")); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
