package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.cluster.ClusterException;

final class ClusterExceptionText {
    private ClusterExceptionText() {
    }

    static void assertMessage(String expected, ClusterException e) {
        assertEquals(expected, e.getMessage());
    }
}
