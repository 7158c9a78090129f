package io.mirrorhost.ceph.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;

/** {@code rbd_image_spec_t}; strings stay pointers so that the cleanup call frees what librbd allocated. */
@FieldOrder({"id", "name"})
public class RbdImageSpec extends NativeStruct {
    public Pointer id;
    public Pointer name;
}
