package io.mirrorhost.ceph.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;

/**
 * {@code rbd_snap_mirror_namespace_t}; {@code mirror_peer_uuids} holds {@code mirror_peer_uuids_count}
 * NUL-terminated strings one after the other.
 */
@FieldOrder({"state", "mirror_peer_uuids_count", "mirror_peer_uuids", "complete", "primary_mirror_uuid",
    "primary_snap_id", "last_copied_object_number"})
public class RbdSnapMirrorNamespace extends NativeStruct {
    public int state;
    public long mirror_peer_uuids_count;
    public Pointer mirror_peer_uuids;
    public byte complete;
    public Pointer primary_mirror_uuid;
    public long primary_snap_id;
    public long last_copied_object_number;
}
