package io.mirrorhost.embedded;

/**
 * One stored version of a data object, kept in file {@code <objno>.<gen>}: visible at snapshot
 * {@code S} when {@code born < S <= died}; the head version has {@code died == HEAD}.
 * {@code born} is the image's snapshot sequence when the version was created, {@code died} the
 * sequence when a later write or discard replaced it.
 *
 * <p>{@code written} is what the version wrote into its own file (null: unknown, the whole
 * object). An {@code overlay} version holds only those bytes: the rest reads from its base, the
 * version right before it in the object's list (created when a write after a snapshot would
 * otherwise copy the whole object first). Its base stays as long as it does (see {@link VersionPlanner}'s
 * merge when a base is dropped).
 */
final class ObjectVersion {
    /** The point "head", after every snapshot. */
    static final long HEAD = Long.MAX_VALUE;

    final long objno;
    final long gen;
    final long born;
    long died;
    boolean overlay;
    ExtentSet written;

    ObjectVersion(long objno, long gen, long born, long died) {
        this.objno = objno;
        this.gen = gen;
        this.born = born;
        this.died = died;
    }

    ObjectVersion(long objno, long gen, long born, long died, boolean overlay, ExtentSet written) {
        this(objno, gen, born, died);
        this.overlay = overlay;
        this.written = written;
    }

    ObjectVersion copy() {
        return new ObjectVersion(objno, gen, born, died, overlay, written == null ? null : written.copy());
    }

    boolean isHead() {
        return died == HEAD;
    }

    /** Whether this version is what {@code point} (a snapshot id, or HEAD) sees. */
    boolean visibleAt(long point) {
        return born < point && point <= died;
    }

    String fileName() {
        return ObjectFiles.fileName(objno, gen);
    }

    @Override
    public String toString() {
        return "v" + objno + "." + gen + "(" + born + "," + (died == HEAD ? "head" : died) + "]"
            + (overlay ? " overlay " : " ") + (written == null ? "{all}" : written);
    }
}
