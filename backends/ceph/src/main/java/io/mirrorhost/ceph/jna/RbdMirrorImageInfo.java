package io.mirrorhost.ceph.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;

/** {@code rbd_mirror_image_info_t}: global id, state ({@code rbd_mirror_image_state_t}), primary. */
@FieldOrder({"global_id", "state", "primary"})
public class RbdMirrorImageInfo extends NativeStruct {
    public Pointer global_id;
    public int state;
    public byte primary;

    public RbdMirrorImageInfo() {
    }

    public RbdMirrorImageInfo(Pointer memory) {
        super(memory);
    }

    public static class ByValue extends RbdMirrorImageInfo implements com.sun.jna.Structure.ByValue {
    }
}
