package io.tradetx.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupProtocolTest {
    @Test
    void parsesSettingValuesAndRebalanceNamesInAnyCase() {
        assertEquals(GroupProtocol.CLASSIC, GroupProtocol.parse("classic"));
        assertEquals(GroupProtocol.CLASSIC, GroupProtocol.parse("Cooperative"));
        assertEquals(GroupProtocol.CLASSIC, GroupProtocol.parse(" cooperative-sticky "));
        assertEquals(GroupProtocol.CONSUMER, GroupProtocol.parse("CONSUMER"));
        assertEquals(GroupProtocol.EAGER, GroupProtocol.parse("eager"));
    }

    @Test
    void refusesAnythingElseNamingTheAllowedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GroupProtocol.parse("range"));
        assertEquals("unknown group protocol 'range': must be one of classic, consumer, eager, cooperative", e.getMessage());
        assertEquals(List.of("classic", "consumer", "eager", "cooperative"), GroupProtocol.names());
    }

    @Test
    void onlyEagerPausesEveryPartition() {
        assertTrue(GroupProtocol.EAGER.pausesEveryPartition());
        assertFalse(GroupProtocol.CLASSIC.pausesEveryPartition());
        assertFalse(GroupProtocol.CONSUMER.pausesEveryPartition());
        assertEquals("cooperative", GroupProtocol.CLASSIC.rebalance());
        assertEquals("classic", GroupProtocol.CLASSIC.key());
    }
}
