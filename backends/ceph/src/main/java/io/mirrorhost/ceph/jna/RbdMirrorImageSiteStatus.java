package io.mirrorhost.ceph.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;

/** {@code rbd_mirror_image_site_status_t}; {@code last_update} is a 64-bit {@code time_t}. */
@FieldOrder({"mirror_uuid", "state", "description", "last_update", "up"})
public class RbdMirrorImageSiteStatus extends NativeStruct {
    public Pointer mirror_uuid;
    public int state;
    public Pointer description;
    public long last_update;
    public byte up;

    public RbdMirrorImageSiteStatus() {
    }

    public RbdMirrorImageSiteStatus(Pointer memory) {
        super(memory);
        read();
    }
}
