package io.mirrorhost.ceph;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import io.mirrorhost.api.Errno;
import io.mirrorhost.ceph.jna.LibRados;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RADOS objects' omap and removal through librados read/write operations (blocking calls). */
final class ObjectStore {
    private static final int PAGE = 512;
    private static final LibRados RADOS = LibRados.INSTANCE;

    private ObjectStore() {
    }

    /** Every omap entry of {@code oid}, in key order; empty if the object does not exist. */
    static Map<String, String> omapGet(Pointer io, String oid) {
        Map<String, String> entries = new LinkedHashMap<>();
        String startAfter = "";
        boolean more = true;
        while (more) {
            Pointer op = RADOS.rados_create_read_op();
            try {
                PointerByReference iter = new PointerByReference();
                ByteByReference pmore = new ByteByReference();
                IntByReference prval = new IntByReference();
                RADOS.rados_read_op_omap_get_vals2(op, startAfter, null, PAGE, iter, pmore, prval);
                int rc = RADOS.rados_read_op_operate(op, io, oid, 0);
                if (rc == -Errno.ENOENT.code()) {
                    return entries;
                }
                CephErrors.check(rc, "read the omap of " + oid);
                CephErrors.check(prval.getValue(), "read the omap of " + oid);
                String last = readPage(iter.getValue(), entries);
                more = pmore.getValue() != 0 && last != null;
                startAfter = last;
            } finally {
                RADOS.rados_release_read_op(op);
            }
        }
        return entries;
    }

    private static String readPage(Pointer iter, Map<String, String> into) {
        String last = null;
        try {
            while (true) {
                PointerByReference key = new PointerByReference();
                PointerByReference value = new PointerByReference();
                LongByReference keyLen = new LongByReference();
                LongByReference valueLen = new LongByReference();
                CephErrors.check(RADOS.rados_omap_get_next2(iter, key, value, keyLen, valueLen), "iterate an omap");
                if (key.getValue() == null) {
                    return last;
                }
                last = utf8(key.getValue(), keyLen.getValue());
                into.put(last, utf8(value.getValue(), valueLen.getValue()));
            }
        } finally {
            RADOS.rados_omap_get_end(iter);
        }
    }

    private static String utf8(Pointer p, long length) {
        return p == null || length == 0 ? "" : new String(p.getByteArray(0, (int) length), StandardCharsets.UTF_8);
    }

    /** Sets omap entries, creating the object if needed. */
    static void omapSet(Pointer io, String oid, Map<String, String> values) {
        if (values.isEmpty()) {
            return;
        }
        Buffers keys = new Buffers(values.keySet());
        Buffers vals = new Buffers(values.values());
        Pointer op = RADOS.rados_create_write_op();
        try {
            RADOS.rados_write_op_omap_set2(op, keys.pointers, vals.pointers, keys.lengths, vals.lengths, values.size());
            CephErrors.check(RADOS.rados_write_op_operate(op, io, oid, null, 0), "set omap keys of " + oid);
        } finally {
            RADOS.rados_release_write_op(op);
        }
    }

    /** Removes omap keys; nothing to do if the object does not exist. */
    static void omapRemove(Pointer io, String oid, Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        Buffers names = new Buffers(keys);
        Pointer op = RADOS.rados_create_write_op();
        try {
            RADOS.rados_write_op_omap_rm_keys2(op, names.pointers, names.lengths, keys.size());
            int rc = RADOS.rados_write_op_operate(op, io, oid, null, 0);
            if (rc != -Errno.ENOENT.code()) {
                CephErrors.check(rc, "remove omap keys of " + oid);
            }
        } finally {
            RADOS.rados_release_write_op(op);
        }
    }

    static void remove(Pointer io, String oid) {
        int rc = RADOS.rados_remove(io, oid);
        if (rc != -Errno.ENOENT.code()) {
            CephErrors.check(rc, "remove object " + oid);
        }
    }

    /** Calls a method of an object class ({@code rados_exec}); returns its output. */
    static byte[] exec(Pointer io, String oid, String cls, String method, byte[] input) {
        byte[] out = new byte[4096];
        int rc = RADOS.rados_exec(io, oid, cls, method, input, input.length, out, out.length);
        CephErrors.check(rc, "call " + cls + "." + method + " on " + oid);
        return java.util.Arrays.copyOf(out, rc);
    }

    /**
     * Tells every client with the image open (librbd handles, rbd-mirror) that its header changed, as
     * librbd's {@code ImageWatcher::notify_header_update} does: a NotifyMessage (struct v7, compat 1)
     * holding op HEADER_UPDATE (3) and no payload.
     */
    static void notifyHeaderUpdate(Pointer io, String headerOid) {
        byte[] message = {7, 1, 4, 0, 0, 0, 3, 0, 0, 0};
        com.sun.jna.ptr.PointerByReference reply = new com.sun.jna.ptr.PointerByReference();
        LongByReference replyLen = new LongByReference();
        int rc = RADOS.rados_notify2(io, headerOid, message, message.length, 5000, reply, replyLen);
        if (reply.getValue() != null) {
            RADOS.rados_buffer_free(reply.getValue());
        }
        if (rc != -Errno.ETIMEDOUT.code()) {
            CephErrors.check(rc, "notify " + headerOid);
        }
    }

    /** Strings copied into native memory with their lengths, as the *2 omap calls take them. */
    private static final class Buffers {
        final Pointer[] pointers;
        final long[] lengths;
        private final List<Memory> keepAlive = new ArrayList<>();

        Buffers(Collection<String> strings) {
            pointers = new Pointer[strings.size()];
            lengths = new long[strings.size()];
            int i = 0;
            for (String s : strings) {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                Memory m = new Memory(Math.max(1, bytes.length));
                m.write(0, bytes, 0, bytes.length);
                keepAlive.add(m);
                pointers[i] = m;
                lengths[i] = bytes.length;
                i++;
            }
        }
    }
}
