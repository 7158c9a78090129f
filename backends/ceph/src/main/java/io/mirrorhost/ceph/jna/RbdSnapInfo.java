package io.mirrorhost.ceph.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;

/** {@code rbd_snap_info_t}. */
@FieldOrder({"id", "size", "name"})
public class RbdSnapInfo extends NativeStruct {
    public long id;
    public long size;
    public Pointer name;
}
