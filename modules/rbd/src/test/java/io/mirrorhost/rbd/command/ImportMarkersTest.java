package io.mirrorhost.rbd.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.cluster.ImageInfo;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImportMarkersTest {
    @ParameterizedTest(name = "image {0} created {1}, marker id {2} since {3}: half import {4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // the recorded id decides, whatever the times
        "abc|2026-01-01T10:00:00Z|abc|2026-01-01T11:00:00Z|true",
        "abc|2026-01-01T12:00:00Z|def|2026-01-01T11:00:00Z|false",
        // no id yet: an image created since the import began (to the second) is its own
        "abc|2026-01-01T11:00:00Z|-|2026-01-01T11:00:00.700Z|true",
        "abc|2026-01-01T11:00:05Z|-|2026-01-01T11:00:00Z|true",
        "abc|2026-01-01T10:59:59Z|-|2026-01-01T11:00:00Z|false"})
    void anUnfinishedImportRemovesOnlyTheImageItCreated(String imageId, String created, String markerId, String since,
                                                        boolean half) {
        ImageInfo info = new ImageInfo("imported", imageId, 1 << 30, 22, Set.of(), Set.of(), null, 0,
                Instant.parse(created), Instant.parse(created), Instant.parse(created));
        assertEquals(half, ImportMarkers.isHalfImport(info, markerId, Instant.parse(since)));
    }
}
