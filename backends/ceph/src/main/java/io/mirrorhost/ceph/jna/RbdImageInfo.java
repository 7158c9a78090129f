package io.mirrorhost.ceph.jna;

import com.sun.jna.Structure.FieldOrder;

/** {@code rbd_image_info_t} (block_name_prefix, parent_pool and parent_name are deprecated). */
@FieldOrder({"size", "obj_size", "num_objs", "order", "block_name_prefix", "parent_pool", "parent_name"})
public class RbdImageInfo extends NativeStruct {
    public static final int RBD_MAX_BLOCK_NAME_SIZE = 24;
    public static final int RBD_MAX_IMAGE_NAME_SIZE = 96;

    public long size;
    public long obj_size;
    public long num_objs;
    public int order;
    public byte[] block_name_prefix = new byte[RBD_MAX_BLOCK_NAME_SIZE];
    public long parent_pool;
    public byte[] parent_name = new byte[RBD_MAX_IMAGE_NAME_SIZE];
}
