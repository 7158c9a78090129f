package io.mirrorhost.ceph.jna;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The librados 16.2 calls that rados-java 0.6.0 lacks (omap, class methods, watch/notify, mon commands
 * with length-carrying buffers), declared as in {@code /usr/include/rados/librados.h}.
 */
public interface LibRados extends Library {
    LibRados INSTANCE = Native.load("rados", LibRados.class);

    /** {@code rados_watchcb2_t}. */
    interface WatchCallback extends Callback {
        void invoke(Pointer arg, long notifyId, long handle, long notifierId, Pointer data, long dataLen);
    }

    /** {@code rados_watcherrcb_t}. */
    interface WatchErrorCallback extends Callback {
        void invoke(Pointer arg, long cookie, int err);
    }

    Pointer rados_ioctx_get_cluster(Pointer io);

    Pointer rados_create_write_op();

    void rados_release_write_op(Pointer op);

    void rados_write_op_create(Pointer op, int exclusive, String category);

    void rados_write_op_omap_set2(Pointer op, Pointer[] keys, Pointer[] values, long[] keyLens, long[] valueLens,
                                  long count);

    void rados_write_op_omap_rm_keys2(Pointer op, Pointer[] keys, long[] keyLens, long count);

    int rados_write_op_operate(Pointer op, Pointer io, String oid, Pointer mtime, int flags);

    Pointer rados_create_read_op();

    void rados_release_read_op(Pointer op);

    void rados_read_op_omap_get_vals2(Pointer op, String startAfter, String filterPrefix, long maxReturn,
                                      PointerByReference iter, ByteByReference more, IntByReference rval);

    int rados_read_op_operate(Pointer op, Pointer io, String oid, int flags);

    int rados_omap_get_next2(Pointer iter, PointerByReference key, PointerByReference value,
                             LongByReference keyLen, LongByReference valueLen);

    void rados_omap_get_end(Pointer iter);

    int rados_remove(Pointer io, String oid);

    int rados_exec(Pointer io, String oid, String cls, String method, byte[] in, long inLen, byte[] out,
                   long outLen);

    int rados_watch2(Pointer io, String oid, LongByReference cookie, WatchCallback callback,
                     WatchErrorCallback errorCallback, Pointer arg);

    int rados_unwatch2(Pointer io, long cookie);

    int rados_notify2(Pointer io, String oid, byte[] buf, int bufLen, long timeoutMs, PointerByReference reply,
                      LongByReference replyLen);

    int rados_notify_ack(Pointer io, String oid, long notifyId, long cookie, byte[] buf, int bufLen);

    int rados_watch_flush(Pointer cluster);

    int rados_mon_command(Pointer cluster, String[] cmd, long cmdLen, byte[] in, long inLen,
                          PointerByReference out, LongByReference outLen, PointerByReference status,
                          LongByReference statusLen);

    void rados_buffer_free(Pointer buf);

    int rados_pool_reverse_lookup(Pointer cluster, long id, byte[] buf, long maxLen);

    // the manager's service map
    long rados_get_instance_id(Pointer cluster);

    int rados_service_register(Pointer cluster, String service, String daemon, byte[] metadataDict);

    int rados_service_update_status(Pointer cluster, byte[] statusDict);

    int rados_mgr_command(Pointer cluster, String[] cmd, long cmdLen, byte[] in, long inLen,
                          PointerByReference out, LongByReference outLen, PointerByReference status,
                          LongByReference statusLen);
}
