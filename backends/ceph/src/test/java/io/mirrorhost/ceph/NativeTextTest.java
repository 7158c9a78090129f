package io.mirrorhost.ceph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.jna.Memory;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NativeTextTest {

    @Test
    void nulSeparatedListsAndCStrings() {
        byte[] buf = "ns1\0ns2\0\0garbage".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("ns1", "ns2"), NativeText.cStrings(buf));
        assertEquals("ns1", NativeText.cString(buf));
        assertEquals(List.of(), NativeText.cStrings(new byte[8]));
        assertArrayEquals("a\0bc\0".getBytes(StandardCharsets.UTF_8), NativeText.joined(List.of("a", "bc")));
    }

    @Test
    void packedStringsAsRbdSnapMirrorNamespaceHoldsPeerUuids() {
        byte[] bytes = "uuid-1\0uuid-22\0".getBytes(StandardCharsets.UTF_8);
        Memory m = new Memory(bytes.length);
        m.write(0, bytes, 0, bytes.length);
        assertEquals(List.of("uuid-1", "uuid-22"), NativeText.packed(m, 2));
        assertEquals(List.of(), NativeText.packed(null, 0));
    }

    @Test
    void erangeRetriesWithTheSizeLibrbdAsksFor() {
        AtomicInteger calls = new AtomicInteger();
        byte[] filled = NativeText.fill((buf, len) -> {
            calls.incrementAndGet();
            if (buf.length < 100) {
                len.setValue(100);
                return -Errno.ERANGE.code();
            }
            buf[0] = 'x';
            return 0;
        }, 8, "get something");
        assertEquals(2, calls.get());
        assertEquals("x", NativeText.cString(filled));

        ClusterException e = assertThrows(ClusterException.class,
                () -> NativeText.fill((buf, len) -> -Errno.ENOENT.code(), 8, "get the site name"));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("cannot get the site name: (2) No such file or directory", e.getMessage());
    }

    @Test
    void unlinkPeerInputIsClsRbdsEncoding() {
        byte[] in = Snapshots.unlinkPeerInput(0x0102L, "ab");
        assertArrayEquals(new byte[] {2, 1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 'a', 'b'}, in);
    }
}
