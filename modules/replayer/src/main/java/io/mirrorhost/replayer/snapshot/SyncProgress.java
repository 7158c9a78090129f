package io.mirrorhost.replayer.snapshot;

import java.util.BitSet;

/**
 * Progress of one snapshot copy: objects complete in any order (several are in flight), and the
 * recorded progress is the length of the prefix of objects all done, so that a copy resumed after a
 * restart at {@link #copiedPrefix()} never skips an object.
 */
public final class SyncProgress {
    private final long objectCount;
    private final long startObject;
    private final BitSet done = new BitSet();
    private long prefix;

    /** @param startObject objects before it were copied by an earlier, interrupted run */
    public SyncProgress(long objectCount, long startObject) {
        if (objectCount < 0 || startObject < 0) {
            throw new IllegalArgumentException("object counts must not be negative");
        }
        this.objectCount = objectCount;
        this.startObject = Math.min(startObject, objectCount);
        this.prefix = this.startObject;
    }

    public long objectCount() {
        return objectCount;
    }

    public long startObject() {
        return startObject;
    }

    /** Marks one object copied; returns whether the copied prefix grew. */
    public boolean objectDone(long objectNumber) {
        if (objectNumber < startObject || objectNumber >= objectCount) {
            throw new IllegalArgumentException("object " + objectNumber + " is outside [" + startObject + ", "
                    + objectCount + ")");
        }
        done.set(Math.toIntExact(objectNumber - startObject));
        long before = prefix;
        while (prefix < objectCount && done.get(Math.toIntExact(prefix - startObject))) {
            prefix++;
        }
        return prefix != before;
    }

    /** Objects {@code [0, copiedPrefix)} are all copied: the {@code last_copied_object_number} to record. */
    public long copiedPrefix() {
        return prefix;
    }

    public boolean complete() {
        return prefix == objectCount;
    }

    /** {@code syncing_percent}: 100 × copied / max(1, count), rounded down as rbd-mirror does. */
    public int percent() {
        return (int) (100 * prefix / Math.max(1, objectCount));
    }
}
