package io.mirrorhost.replayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mirrorhost.api.cluster.DiffExtent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SizeTextTest {
    @Test
    void sizesUseBinaryUnits() {
        assertEquals(0, SizeText.bytes("0"));
        assertEquals(512 * 1024, SizeText.bytes("512K"));
        assertEquals(100L << 20, SizeText.bytes("100M"));
        assertEquals(1L << 30, SizeText.bytes("1GiB"));
        assertEquals(2L << 40, SizeText.bytes("2t"));
        assertThrows(IllegalArgumentException.class, () -> SizeText.bytes("fast"));
    }

    @Test
    void extentsAreSplitAtObjectBoundariesAndCopiedObjectsSkipped() {
        List<DiffExtent> extents = List.of(new DiffExtent(100, 50, true), new DiffExtent(4000, 5000, true),
                new DiffExtent(12288, 4096, false));
        Map<Long, List<DiffExtent>> all = ImageCopier.byObject(extents, 4096, 0);
        assertEquals(Map.of(0L, List.of(new DiffExtent(100, 50, true), new DiffExtent(4000, 96, true)),
                1L, List.of(new DiffExtent(4096, 4096, true)),
                2L, List.of(new DiffExtent(8192, 808, true)),
                3L, List.of(new DiffExtent(12288, 4096, false))), all);
        assertEquals(List.of(2L, 3L), List.copyOf(ImageCopier.byObject(extents, 4096, 2).keySet()));
    }
}
