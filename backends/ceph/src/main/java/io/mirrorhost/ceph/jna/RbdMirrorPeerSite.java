package io.mirrorhost.ceph.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;

/** {@code rbd_mirror_peer_site_t}; {@code last_seen} is a 64-bit {@code time_t}. */
@FieldOrder({"uuid", "direction", "site_name", "mirror_uuid", "client_name", "last_seen"})
public class RbdMirrorPeerSite extends NativeStruct {
    public Pointer uuid;
    public int direction;
    public Pointer site_name;
    public Pointer mirror_uuid;
    public Pointer client_name;
    public long last_seen;
}
