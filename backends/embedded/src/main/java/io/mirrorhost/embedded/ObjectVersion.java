package io.mirrorhost.embedded;

/**
 * One stored version of a data object, kept in file {@code <objno>.<gen>}: visible at snapshot
 * {@code S} when {@code born < S <= died}; the head version has {@code died == HEAD}.
 * {@code born} is the image's snapshot sequence when the version was created, {@code died} the
 * sequence when a later write or discard replaced it.
 */
final class ObjectVersion {
    /** The point "head", after every snapshot. */
    static final long HEAD = Long.MAX_VALUE;

    final long objno;
    final long gen;
    final long born;
    long died;

    ObjectVersion(long objno, long gen, long born, long died) {
        this.objno = objno;
        this.gen = gen;
        this.born = born;
        this.died = died;
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
        return "v" + objno + "." + gen + "(" + born + "," + (died == HEAD ? "head" : died) + "]";
    }
}
