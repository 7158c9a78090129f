package io.mirrorhost.ceph.jna;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The librbd 16.2 C API calls that rados-java 0.6.0 does not bind, declared as in
 * {@code /usr/include/rbd/librbd.h}: {@code size_t} and {@code uint64_t} map to {@code long}
 * (LP64), {@code bool} and {@code uint8_t} to {@code byte}, enums to {@code int}.
 */
public interface LibRbd extends Library {
    LibRbd INSTANCE = Native.load("rbd", LibRbd.class);

    int RBD_MIRROR_PEER_DIRECTION_RX = 0;
    int RBD_MIRROR_PEER_DIRECTION_TX = 1;
    int RBD_MIRROR_PEER_DIRECTION_RX_TX = 2;
    int RBD_IMAGE_OPTION_FORMAT = 0;
    int RBD_IMAGE_OPTION_FEATURES = 1;
    int RBD_IMAGE_OPTION_ORDER = 2;
    int RBD_IMAGE_OPTION_DATA_POOL = 10;
    int RBD_LOCK_MODE_EXCLUSIVE = 0;
    long RBD_FLAG_OBJECT_MAP_INVALID = 1;
    long RBD_FLAG_FAST_DIFF_INVALID = 2;

    /** {@code int (*cb)(uint64_t offset, size_t length, int exists, void *arg)} of rbd_diff_iterate2. */
    interface DiffCallback extends Callback {
        int invoke(long offset, long length, int exists, Pointer arg);
    }

    /** {@code rbd_update_callback_t}. */
    interface UpdateCallback extends Callback {
        void invoke(Pointer arg);
    }

    /** {@code librbd_progress_fn_t}: {@code int (*)(uint64_t offset, uint64_t total, void *ptr)}. */
    interface ProgressCallback extends Callback {
        int invoke(long offset, long total, Pointer arg);
    }

    // pools, namespaces, images
    int rbd_pool_init(Pointer io, byte force);

    int rbd_namespace_create(Pointer io, String name);

    int rbd_namespace_remove(Pointer io, String name);

    int rbd_namespace_list(Pointer io, byte[] names, LongByReference size);

    int rbd_list2(Pointer io, RbdImageSpec[] images, LongByReference maxImages);

    void rbd_image_spec_list_cleanup(RbdImageSpec[] images, long numImages);

    void rbd_image_options_create(PointerByReference opts);

    void rbd_image_options_destroy(Pointer opts);

    int rbd_image_options_set_string(Pointer opts, int optname, String value);

    int rbd_image_options_set_uint64(Pointer opts, int optname, long value);

    int rbd_create4(Pointer io, String name, long size, Pointer opts);

    int rbd_open(Pointer io, String name, PointerByReference image, String snapName);

    int rbd_open_by_id(Pointer io, String id, PointerByReference image, String snapName);

    int rbd_open_by_id_read_only(Pointer io, String id, PointerByReference image, String snapName);

    int rbd_close(Pointer image);

    // image properties
    int rbd_stat(Pointer image, RbdImageInfo info, long infoSize);

    int rbd_get_features(Pointer image, LongByReference features);

    int rbd_get_flags(Pointer image, LongByReference flags);

    int rbd_update_features(Pointer image, long features, byte enabled);

    int rbd_rebuild_object_map(Pointer image, ProgressCallback callback, Pointer arg);

    int rbd_get_create_timestamp(Pointer image, Timespec timestamp);

    int rbd_get_access_timestamp(Pointer image, Timespec timestamp);

    int rbd_get_modify_timestamp(Pointer image, Timespec timestamp);

    int rbd_get_name(Pointer image, byte[] name, LongByReference nameLen);

    int rbd_get_id(Pointer image, byte[] id, long idLen);

    long rbd_get_data_pool_id(Pointer image);

    // I/O
    long rbd_read(Pointer image, long offset, long length, byte[] buf);

    long rbd_write(Pointer image, long offset, long length, byte[] buf);

    int rbd_discard(Pointer image, long offset, long length);

    int rbd_flush(Pointer image);

    // snapshots
    int rbd_snap_list(Pointer image, RbdSnapInfo[] snaps, IntByReference maxSnaps);

    void rbd_snap_list_end(RbdSnapInfo[] snaps);

    int rbd_snap_get_id(Pointer image, String snapName, LongByReference snapId);

    int rbd_snap_get_name(Pointer image, long snapId, byte[] name, LongByReference nameLen);

    int rbd_snap_get_timestamp(Pointer image, long snapId, Timespec timestamp);

    int rbd_snap_get_namespace_type(Pointer image, long snapId, IntByReference namespaceType);

    int rbd_snap_is_protected(Pointer image, String snapName, IntByReference isProtected);

    int rbd_snap_get_mirror_namespace(Pointer image, long snapId, RbdSnapMirrorNamespace mirrorSnap,
                                      long mirrorSnapSize);

    int rbd_snap_mirror_namespace_cleanup(RbdSnapMirrorNamespace mirrorSnap, long mirrorSnapSize);

    int rbd_snap_remove_by_id(Pointer image, long snapId);

    int rbd_snap_set_by_id(Pointer image, long snapId);

    int rbd_diff_iterate2(Pointer image, String fromSnapName, long offset, long length, byte includeParent,
                          byte wholeObject, DiffCallback callback, Pointer arg);

    // image metadata
    int rbd_metadata_get(Pointer image, String key, byte[] value, LongByReference valueLen);

    // exclusive lock
    int rbd_lock_acquire(Pointer image, int lockMode);

    int rbd_lock_release(Pointer image);

    int rbd_lock_get_owners(Pointer image, IntByReference lockMode, Pointer[] owners, LongByReference maxOwners);

    void rbd_lock_get_owners_cleanup(Pointer[] owners, long count);

    int rbd_lock_break(Pointer image, int lockMode, String owner);

    // watch
    int rbd_update_watch(Pointer image, LongByReference handle, UpdateCallback callback, Pointer arg);

    int rbd_update_unwatch(Pointer image, long handle);

    // pool mirroring
    int rbd_mirror_site_name_get(Pointer cluster, byte[] name, LongByReference maxLen);

    int rbd_mirror_site_name_set(Pointer cluster, String name);

    int rbd_mirror_mode_get(Pointer io, IntByReference mode);

    int rbd_mirror_mode_set(Pointer io, int mode);

    int rbd_mirror_uuid_get(Pointer io, byte[] uuid, LongByReference maxLen);

    int rbd_mirror_peer_bootstrap_create(Pointer io, byte[] token, LongByReference maxLen);

    int rbd_mirror_peer_bootstrap_import(Pointer io, int direction, String token);

    int rbd_mirror_peer_site_add(Pointer io, byte[] uuid, long uuidMaxLength, int direction, String siteName,
                                 String clientName);

    int rbd_mirror_peer_site_set_name(Pointer io, String uuid, String siteName);

    int rbd_mirror_peer_site_set_client_name(Pointer io, String uuid, String clientName);

    int rbd_mirror_peer_site_set_direction(Pointer io, String uuid, int direction);

    int rbd_mirror_peer_site_remove(Pointer io, String uuid);

    int rbd_mirror_peer_site_list(Pointer io, RbdMirrorPeerSite[] peers, IntByReference maxPeers);

    void rbd_mirror_peer_site_list_cleanup(RbdMirrorPeerSite[] peers, int maxPeers);

    int rbd_mirror_peer_site_get_attributes(Pointer io, String uuid, byte[] keys, LongByReference maxKeyLen,
                                            byte[] values, LongByReference maxValueLen,
                                            LongByReference keyValueCount);

    int rbd_mirror_peer_site_set_attributes(Pointer io, String uuid, byte[] keys, byte[] values,
                                            long keyValueCount);

    int rbd_mirror_image_global_status_list(Pointer io, String startId, long max, Pointer[] imageIds,
                                            RbdMirrorImageGlobalStatus[] images, LongByReference len);

    void rbd_mirror_image_global_status_list_cleanup(Pointer[] imageIds, RbdMirrorImageGlobalStatus[] images,
                                                     long len);

    int rbd_mirror_image_status_summary(Pointer io, int[] states, int[] counts, LongByReference maxLen);

    int rbd_mirror_image_info_list(Pointer io, Pointer modeFilter, String startId, long max, Pointer[] imageIds,
                                   int[] modes, RbdMirrorImageInfo[] infos, LongByReference numEntries);

    void rbd_mirror_image_info_list_cleanup(Pointer[] imageIds, RbdMirrorImageInfo[] infos, long numEntries);

    int rbd_mirror_image_instance_id_list(Pointer io, String startId, long max, Pointer[] imageIds,
                                          Pointer[] instanceIds, LongByReference len);

    void rbd_mirror_image_instance_id_list_cleanup(Pointer[] imageIds, Pointer[] instanceIds, long len);

    // image mirroring
    int rbd_mirror_image_enable2(Pointer image, int mode);

    int rbd_mirror_image_disable(Pointer image, byte force);

    int rbd_mirror_image_promote(Pointer image, byte force);

    int rbd_mirror_image_demote(Pointer image);

    int rbd_mirror_image_resync(Pointer image);

    int rbd_mirror_image_create_snapshot(Pointer image, LongByReference snapId);

    int rbd_mirror_image_get_info(Pointer image, RbdMirrorImageInfo info, long infoSize);

    void rbd_mirror_image_get_info_cleanup(RbdMirrorImageInfo info);

    int rbd_mirror_image_get_mode(Pointer image, IntByReference mode);

    int rbd_mirror_image_get_global_status(Pointer image, RbdMirrorImageGlobalStatus status, long statusSize);

    void rbd_mirror_image_global_status_cleanup(RbdMirrorImageGlobalStatus status);
}
