package io.tradetx.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tradetx.common.config.Env;
import io.tradetx.common.config.InvalidSettingsException;
import io.tradetx.protocol.GroupProtocol;
import io.tradetx.common.kafka.KafkaAuth;
import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.kafka.SaslCredentials;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kafka settings from the environment and the client properties built from them. */
class KafkaSettingsTest {

    static KafkaSettings read(Map<String, String> vars) {
        Env env = new Env(vars);
        KafkaSettings s = KafkaSettings.fromEnv(env);
        env.validate();
        return s;
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "KAFKA_BOOTSTRAP_SERVERS | localhost        | KAFKA_BOOTSTRAP_SERVERS=localhost is invalid: must be a comma-separated list of host:port",
        "KAFKA_BOOTSTRAP_SERVERS | a:1,,b:2         | KAFKA_BOOTSTRAP_SERVERS=a:1,,b:2 is invalid: must be a comma-separated list of host:port",
        "KAFKA_TOPIC             | trade tx         | KAFKA_TOPIC=trade tx is invalid: must be a Kafka topic name: 1-249 of letters, digits, '.', '_', '-'",
        "KAFKA_AUTH              | kerberos         | KAFKA_AUTH=kerberos is invalid: must be one of none, iam, scram",
        "KAFKA_SASL_USERNAME     | a                | KAFKA_SASL_USERNAME=a is invalid: must be unset unless KAFKA_AUTH=scram",
        "TOPIC_PARTITIONS        | 0                | TOPIC_PARTITIONS=0 is invalid: must be an integer from 1 to 10000",
        "TOPIC_PARTITIONS        | many             | TOPIC_PARTITIONS=many is invalid: must be an integer from 1 to 10000",
        "TOPIC_REPLICATION_FACTOR| 40               | TOPIC_REPLICATION_FACTOR=40 is invalid: must be an integer from 1 to 32",
        "KAFKA_CLIENT_LINGERMS   | 5                | KAFKA_CLIENT_LINGERMS=5 is invalid: must be named after a Kafka client property (lingerms is not one)",
    })
    void rejectsBadValuesNamingTheVariable(String name, String value, String message) {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> read(Map.of(name, value)));
        assertEquals(List.of(message), e.problems());
    }

    @Test
    void iamNeedsARegionAndBuildsSaslSslWithTheMskLoginModule() {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> read(Map.of("KAFKA_AUTH", "iam")));
        assertEquals(List.of("AWS_REGION is not set: must be an AWS region such as us-east-1 when KAFKA_AUTH=iam"),
                e.problems());
        KafkaSettings s = read(Map.of("KAFKA_AUTH", "IAM", "AWS_REGION", "eu-west-1",
                "KAFKA_BOOTSTRAP_SERVERS", "b-1.example:9098,b-2.example:9098"));
        assertEquals(KafkaAuth.IAM, s.auth());
        Properties p = KafkaClientProperties.consumer(s, "c", "g", GroupProtocol.CLASSIC, 100);
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("AWS_MSK_IAM", p.get("sasl.mechanism"));
        assertEquals("software.amazon.msk.auth.iam.IAMLoginModule required;", p.get("sasl.jaas.config"));
        assertEquals("software.amazon.msk.auth.iam.IAMClientCallbackHandler", p.get("sasl.client.callback.handler.class"));
    }

    @Test
    void scramNeedsAUserNameAndPasswordAndBuildsSaslPlaintextWithTheScramLoginModule() {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> read(Map.of("KAFKA_AUTH", "scram")));
        assertEquals(List.of(
                "KAFKA_SASL_USERNAME is not set: must be the SCRAM user name when KAFKA_AUTH=scram",
                "KAFKA_SASL_PASSWORD is not set: must be the SCRAM password when KAFKA_AUTH=scram"), e.problems());
        KafkaSettings s = read(Map.of("KAFKA_AUTH", "scram", "KAFKA_SASL_USERNAME", "a-consumer",
                "KAFKA_SASL_PASSWORD", "s3cret"));
        assertEquals(KafkaAuth.SCRAM, s.auth());
        for (Properties p : List.of(KafkaClientProperties.consumer(s, "c", "g", GroupProtocol.CLASSIC, 100),
                KafkaClientProperties.producer(s, "p"), KafkaClientProperties.deadLetterProducer(s, "d"),
                KafkaClientProperties.admin(s, "a"))) {
            assertEquals("SASL_PLAINTEXT", p.get("security.protocol"));
            assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
            assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"a-consumer\""
                    + " password=\"s3cret\";", p.get("sasl.jaas.config"));
        }
    }

    @Test
    void thePasswordIsRedactedInTheLoggedSettingsAndInProblems() {
        KafkaSettings s = read(Map.of("KAFKA_AUTH", "scram", "KAFKA_SASL_USERNAME", "a-consumer",
                "KAFKA_SASL_PASSWORD", "s3cret"));
        assertTrue(s.describe().contains("auth=scram, sasl_username=a-consumer, sasl_password=<redacted>"),
                s.describe());
        assertFalse(s.describe().contains("s3cret"));
        assertFalse(s.toString().contains("s3cret"), s.toString());
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> read(Map.of("KAFKA_SASL_PASSWORD", "s3cret", "KAFKA_SASL_USERNAME", "two words",
                        "KAFKA_AUTH", "none")));
        assertEquals(List.of(
                "KAFKA_SASL_USERNAME=two words is invalid: must be unset unless KAFKA_AUTH=scram",
                "KAFKA_SASL_PASSWORD=<redacted> is invalid: must be unset unless KAFKA_AUTH=scram"), e.problems());
        e = assertThrows(InvalidSettingsException.class, () -> read(Map.of("KAFKA_AUTH", "scram",
                "KAFKA_SASL_USERNAME", "two words", "KAFKA_SASL_PASSWORD", "s3cret")));
        assertEquals(List.of("KAFKA_SASL_USERNAME=two words is invalid: must be 1-255 characters without spaces"),
                e.problems());
    }

    @ParameterizedTest(name = "password {0}")
    @CsvSource(delimiter = '|', value = {"plain", "with \"quotes\"", "back\\slash\\", "semi;colon = x"})
    void anyPasswordReachesKafkasJaasParserUnchanged(String password) {
        String jaas = new SaslCredentials("user \"x\"", password).scramJaasConfig();
        List<AppConfigurationEntry> entries =
                JaasContext.loadClientContext(Map.of("sasl.jaas.config", new Password(jaas))).configurationEntries();
        assertEquals(1, entries.size());
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule", entries.get(0).getLoginModuleName());
        assertEquals(password, entries.get(0).getOptions().get("password"));
        assertEquals("user \"x\"", entries.get(0).getOptions().get("username"));
    }

    @Test
    void clientOverridesWinForTheClientsThatKnowTheProperty() {
        KafkaSettings s = read(Map.of("KAFKA_CLIENT_LINGER_MS", "25", "KAFKA_CLIENT_MAX_POLL_INTERVAL_MS", "90000"));
        Properties producer = KafkaClientProperties.producer(s, "p");
        Properties consumer = KafkaClientProperties.consumer(s, "c", "g", GroupProtocol.CLASSIC, 100);
        assertEquals("25", producer.get("linger.ms"));
        assertFalse(producer.containsKey("max.poll.interval.ms"));
        assertEquals("90000", consumer.get("max.poll.interval.ms")); // the default is 60000
    }

    @Test
    void kip848ConsumerLeavesAssignorAndTimeoutsToTheBroker() {
        KafkaSettings s = read(Map.of());
        Properties p = KafkaClientProperties.consumer(s, "c", "g", GroupProtocol.CONSUMER, 100);
        assertEquals("consumer", p.get("group.protocol"));
        assertFalse(p.containsKey("partition.assignment.strategy"));
        assertFalse(p.containsKey("session.timeout.ms"));
        assertFalse(p.containsKey("heartbeat.interval.ms"));
        Properties classic = KafkaClientProperties.consumer(s, "c", "g", GroupProtocol.CLASSIC, 100);
        assertEquals("org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
                classic.get("partition.assignment.strategy"));
        assertEquals("false", classic.get("enable.auto.commit"));
    }
}
