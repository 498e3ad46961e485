package io.tradetx.testkit;

import io.tradetx.common.kafka.SaslCredentials;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The local broker's opt-in secured mode: a SASL/SCRAM-SHA-512 client listener, Kafka's KRaft
 * StandardAuthorizer denying whatever no ACL allows, one super-user for the harness ({@code admin})
 * and the SCRAM logins created when the storage is formatted ({@code users}).
 */
public record BrokerSecurity(SaslCredentials admin, List<SaslCredentials> users) {
    /**
     * Names and passwords are written into kafka-storage's {@code --add-scram [name=..,password=..]}
     * argument and the broker's JAAS lines, so they keep to characters that need no quoting there.
     */
    private static final String SAFE = "[A-Za-z0-9._-]{1,255}";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    public BrokerSecurity {
        users = List.copyOf(users);
        Set<String> names = new HashSet<>();
        List<SaslCredentials> all = new ArrayList<>(users);
        all.add(admin);
        for (SaslCredentials c : all) {
            if (!c.username().matches(SAFE) || !c.password().matches(SAFE)) {
                throw new IllegalArgumentException("SCRAM user " + c.username()
                        + ": user names and passwords of the local broker must match " + SAFE);
            }
            if (!names.add(c.username())) {
                throw new IllegalArgumentException("SCRAM user " + c.username() + " is given twice");
            }
        }
    }

    /** A super-user named {@code admin} and one login per user name, all with fresh random passwords. */
    public static BrokerSecurity withRandomPasswords(Collection<String> usernames) {
        List<SaslCredentials> users = new ArrayList<>();
        for (String name : usernames) {
            users.add(new SaslCredentials(name, randomPassword()));
        }
        return new BrokerSecurity(new SaslCredentials("admin", randomPassword()), users);
    }

    /** The login of one user created at format time. */
    public SaslCredentials user(String username) {
        return users.stream().filter(u -> u.username().equals(username)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No SCRAM user " + username + " on this broker"));
    }

    static String randomPassword() {
        StringBuilder sb = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
