package io.tradetx.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradetx.common.kafka.GroupProtocol;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.consumer.ConsumerMain;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.local.run.ConsumerPool;
import io.tradetx.local.run.GroupLagReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SINK=postgres against a real PostgreSQL (.ci/run starts it): every trade lands once, and a full
 * redelivery (a second group reading everything again) adds no row.
 */
@ExtendWith(SharedBroker.class)
class PostgresSinkTest {
    private static final int MESSAGES = 3000;

    @Test
    void storesEveryTradeOnceEvenWhenEverythingIsDeliveredTwice() throws Exception {
        String url = System.getenv("TRADETX_TEST_JDBC_URL");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(url).as(".ci/run starts PostgreSQL and sets TRADETX_TEST_JDBC_URL").isNotBlank();
        }
        assumeTrue(url != null, "set TRADETX_TEST_JDBC_URL (and _USER/_PASSWORD) to run against PostgreSQL");
        String user = System.getenv("TRADETX_TEST_JDBC_USER");
        String password = System.getenv("TRADETX_TEST_JDBC_PASSWORD");
        String table = TestKafka.unique("trades").replace('-', '_');
        KafkaSettings kafka = TestKafka.topic(TestKafka.unique("pg"), 6);
        TestTrades.produce(kafka, MESSAGES);

        for (String group : new String[] {TestKafka.unique("g"), TestKafka.unique("replay")}) {
            ConsumerSettings settings = new ConsumerSettings(kafka, group, 200, Duration.ofMillis(100), Duration.ZERO,
                    Duration.ZERO, 8000, GroupProtocol.CLASSIC, kafka.topic() + ".dlq",
                    ConsumerSettings.SinkType.POSTGRES, null,
                    new ConsumerSettings.JdbcSettings(url, user, password, table));
            try (ConsumerPool pool = new ConsumerPool(settings, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    pod -> {
                        try {
                            return ConsumerMain.sink(settings);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, Duration.ZERO);
                 Admin admin = TestKafka.admin(kafka)) {
                pool.scaleTo(2);
                GroupLagReader lag = new GroupLagReader(admin, kafka.topic(), group);
                await().atMost(Duration.ofSeconds(60)).until(() -> lag.read().stream()
                        .allMatch(p -> p.committed() >= 0 && p.lag() == 0));
            }
            assertThat(query(url, user, password, "SELECT count(*) FROM " + table)).isEqualTo(MESSAGES);
        }
        assertThat(query(url, user, password, "SELECT count(DISTINCT trade_id) FROM " + table)).isEqualTo(MESSAGES);
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("DROP TABLE " + table);
        }
    }

    private static long query(String url, String user, String password, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
