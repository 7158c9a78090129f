package io.mirrorhost.rbd.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void stepsPrintWhatReportingEachObjectPrints() {
        for (long total = 0; total <= 700; total++) {
            for (long from : new long[] {0, 1, total / 3, total - 1}) {
                Progress oneByOne = new Progress("Removing image", false);
                for (long i = Math.max(1, from); i < total; i++) {
                    oneByOne.update(i, total);
                }
                assertEquals(oneByOne.done(), new Progress("Removing image", false).steps(from, total).done(),
                        "from " + from + " of " + total);
            }
        }
    }

    @Test
    void anImageOfBillionsOfObjectsTakesAHundredSteps() {
        String done = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> new Progress("Resizing image", false).steps(1, 1L << 38).done());
        assertEquals(100, done.split("\r").length - 1);
    }
}
