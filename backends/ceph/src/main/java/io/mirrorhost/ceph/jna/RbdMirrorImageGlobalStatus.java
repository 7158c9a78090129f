package io.mirrorhost.ceph.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;

/** {@code rbd_mirror_image_global_status_t}: name, info by value, and a pointer to the site statuses. */
@FieldOrder({"name", "info", "site_statuses_count", "site_statuses"})
public class RbdMirrorImageGlobalStatus extends NativeStruct {
    public Pointer name;
    public RbdMirrorImageInfo.ByValue info;
    public int site_statuses_count;
    public Pointer site_statuses;

    /** The site statuses this struct points at (valid until the cleanup call). */
    public RbdMirrorImageSiteStatus[] siteStatuses() {
        if (site_statuses_count == 0 || site_statuses == null) {
            return new RbdMirrorImageSiteStatus[0];
        }
        return (RbdMirrorImageSiteStatus[]) new RbdMirrorImageSiteStatus(site_statuses).toArray(site_statuses_count);
    }
}
