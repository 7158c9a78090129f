package io.mirrorhost.ceph;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import io.mirrorhost.api.Errno;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** C strings out of librbd: NUL-terminated buffers, NUL-separated lists and the ERANGE retry protocol. */
final class NativeText {
    private NativeText() {
    }

    /** A call that fills {@code buffer} and sets {@code length} to the size it needs when it returns -ERANGE. */
    @FunctionalInterface
    interface SizedCall {
        int call(byte[] buffer, LongByReference length);
    }

    /** Calls until the buffer is large enough; returns the filled buffer, or throws on another error. */
    static byte[] fill(SizedCall call, int initialSize, String operation) {
        int size = initialSize;
        for (int attempt = 0; attempt < 8; attempt++) {
            byte[] buffer = new byte[size];
            LongByReference length = new LongByReference(size);
            int rc = call.call(buffer, length);
            if (rc != -Errno.ERANGE.code()) {
                CephErrors.check(rc, operation);
                return buffer;
            }
            size = (int) Math.max(length.getValue(), size * 2L);
        }
        throw new io.mirrorhost.api.cluster.ClusterException(Errno.ERANGE, "cannot " + operation
                + ": the result keeps growing");
    }

    /** The string up to the first NUL. */
    static String cString(byte[] buffer) {
        int end = 0;
        while (end < buffer.length && buffer[end] != 0) {
            end++;
        }
        return new String(buffer, 0, end, StandardCharsets.UTF_8);
    }

    /** Strings separated by NULs, ending at an empty one or at the end of the buffer. */
    static List<String> cStrings(byte[] buffer) {
        List<String> strings = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < buffer.length; i++) {
            if (buffer[i] == 0) {
                if (i == start) {
                    break;
                }
                strings.add(new String(buffer, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return strings;
    }

    /** {@code count} NUL-terminated strings stored one after the other at {@code p}. */
    static List<String> packed(Pointer p, long count) {
        List<String> strings = new ArrayList<>();
        long offset = 0;
        for (long i = 0; i < count && p != null; i++) {
            String s = p.getString(offset, StandardCharsets.UTF_8.name());
            strings.add(s);
            offset += s.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        return strings;
    }

    static String string(Pointer p) {
        return p == null ? "" : p.getString(0, StandardCharsets.UTF_8.name());
    }

    /** Joins strings into one NUL-separated, NUL-terminated buffer as librbd's attribute calls take them. */
    static byte[] joined(List<String> strings) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String s : strings) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }
}
