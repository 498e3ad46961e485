package io.tradetx.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {

    @Test
    void fillsEveryPlaceholder() {
        assertEquals("lagThreshold: \"5000\" $HOME ${}", Placeholders.fill("lagThreshold: \"${LAG_THRESHOLD}\" $HOME ${}",
                Map.of("LAG_THRESHOLD", "5000")));
        assertEquals("a$1\\b", Placeholders.fill("a${X}", Map.of("X", "$1\\b")));
    }

    @Test
    void listsEveryUndefinedName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Placeholders.fill("${B} ${A} ${B} ${C}", Map.of("C", "1")));
        assertEquals("undefined placeholders: A, B", e.getMessage());
    }
}
