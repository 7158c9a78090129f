package io.mirrorhost.ceph.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/** A C struct of librbd; exposes field offsets so tests can check the layout against the real header. */
public abstract class NativeStruct extends Structure {

    protected NativeStruct() {
    }

    protected NativeStruct(Pointer memory) {
        super(memory);
    }

    /** The byte offset of {@code field}, as JNA lays the struct out. */
    public int offsetOf(String field) {
        return fieldOffset(field);
    }
}
