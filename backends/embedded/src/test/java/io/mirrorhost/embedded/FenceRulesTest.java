package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FenceRulesTest {

    @ParameterizedTest(name = "stored {0}, known {1} -> {2}")
    @CsvSource({
        // never taken: the first taker gets epoch 1
        "0, 0, Granted[epoch=1]",
        // the usual takeover: the successor knows the stored epoch
        "4, 4, Granted[epoch=5]",
        // the taker learned of an intended epoch beyond the stored one (a taker that failed before storing)
        "4, 6, Granted[epoch=7]",
        // a paused holder that locks again alone knows only its own epoch
        "5, 4, Stale[stored=5]",
        "9, 0, Stale[stored=9]",
    })
    void aTakeSucceedsOnlyWhenTheTakerKnowsTheStoredEpoch(long stored, long known, String expected) {
        assertEquals(expected, FenceRules.take(stored, known).toString());
    }

    @ParameterizedTest(name = "current {0}, token {1} -> {2}")
    @CsvSource({
        "1, 1, true",
        "2, 1, false",
        "2, 3, false",
        "0, 0, true",
    })
    void onlyTheCurrentEpochWrites(long current, long token, boolean admitted) {
        assertEquals(admitted, FenceRules.admits(current, token));
    }
}
