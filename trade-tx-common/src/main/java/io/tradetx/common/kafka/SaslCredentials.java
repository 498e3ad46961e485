package io.tradetx.common.kafka;

import java.util.Objects;

/** A SASL/SCRAM login (user name and password); the password never appears in toString or logs. */
public record SaslCredentials(String username, String password) {

    public SaslCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /**
     * The {@code sasl.jaas.config} value for Kafka's SCRAM login module. Both values are quoted and
     * escaped, so a password holding {@code "} or {@code \} still reaches the broker unchanged.
     */
    public String scramJaasConfig() {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=" + quote(username)
                + " password=" + quote(password) + ";";
    }

    /** Kafka's JAAS parser reads quoted values like java.io.StreamTokenizer: backslash escapes. */
    static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public String toString() {
        return "SaslCredentials[username=" + username + ", password=<redacted>]";
    }
}
