package io.tradetx.scaling.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class KedaScaleLoopTest {

    @Test
    void activeAtZeroReplicasScalesToOneOrMinReplicaCount() {
        assertEquals(1, new KedaScaleLoop(0, 300_000, 0, 0).poll(0, true, 0).scaleTo());
        assertEquals(3, new KedaScaleLoop(3, 300_000, 0, 0).poll(0, true, 0).scaleTo());
    }

    @Test
    void activeWithReplicasLeavesTheRangeToTheHpa() {
        KedaScaleLoop keda = new KedaScaleLoop(0, 300_000, 0, 0);
        assertFalse(keda.poll(30_000, true, 4).scales());
        assertEquals(30_000L, keda.lastActiveMillis());
    }

    @Test
    void scalesToZeroOnlyStrictlyAfterTheCooldown() {
        KedaScaleLoop keda = new KedaScaleLoop(0, 300_000, 0, 0);
        keda.poll(30_000, true, 0);
        assertFalse(keda.poll(330_000, false, 2).scales());   // 30 s + 300 s is not before 330 s
        assertEquals(0, keda.poll(330_001, false, 2).scaleTo());
        assertEquals(0, keda.poll(360_000, false, 2).scaleTo());
    }

    @Test
    void neverActiveUsesTheInitialCooldownFromCreation() {
        KedaScaleLoop keda = new KedaScaleLoop(0, 300_000, 60_000, 1_000);
        assertFalse(keda.poll(31_000, false, 1).scales());
        assertFalse(keda.poll(61_000, false, 1).scales());
        assertEquals(0, keda.poll(91_000, false, 1).scaleTo());
        // Without an initial cooldown it scales down at the first poll after creation.
        assertEquals(0, new KedaScaleLoop(0, 300_000, 0, 0).poll(30_000, false, 1).scaleTo());
    }

    @Test
    void neverScalesToZeroWithMinReplicaCount() {
        KedaScaleLoop keda = new KedaScaleLoop(2, 300_000, 0, 0);
        assertFalse(keda.poll(1_000_000, false, 2).scales());
        assertEquals(2, keda.poll(1_030_000, false, 0).scaleTo());
    }
}
