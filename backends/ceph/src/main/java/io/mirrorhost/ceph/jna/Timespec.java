package io.mirrorhost.ceph.jna;

import com.sun.jna.Structure.FieldOrder;
import java.time.Instant;

/** {@code struct timespec} on 64-bit Linux. */
@FieldOrder({"tv_sec", "tv_nsec"})
public class Timespec extends NativeStruct {
    public long tv_sec;
    public long tv_nsec;

    public Instant toInstant() {
        return Instant.ofEpochSecond(tv_sec, tv_nsec);
    }
}
