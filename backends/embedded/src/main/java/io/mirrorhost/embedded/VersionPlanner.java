package io.mirrorhost.embedded;

import java.util.List;

/**
 * Decides how an image's object versions change, on its {@link VersionIndex} (pure: no files, no
 * SQL; the image store does the I/O each decision asks for and commits the result).
 *
 * <ul>
 *   <li>A write or discard goes into the head in place while no snapshot sees it; after a snapshot
 *       it starts a new generation: a plain head for a whole-object write, else an <em>overlay</em>
 *       that holds only what is written from then on and reads the rest from its base (nothing is
 *       copied, as RADOS clones share unmodified extents).</li>
 *   <li>Every version records the ranges it wrote. An overlay that comes to hold its whole object
 *       stops reading its base (and a base kept only for it goes); one with more than
 *       {@link #MAX_WRITTEN_RANGES} ranges must be materialised (its base's bytes copied in); a plain
 *       version's ranges are rounded up to their hull (it reads zeros between them either way).</li>
 *   <li>Header changes (shrink, rollback, a snapshot point leaving) become a {@link VersionPlan}:
 *       heads ended or dropped, new heads copied from a committed version, and versions nobody sees
 *       any more dropped or merged into the overlay that reads through them.</li>
 * </ul>
 * Versions get their generation from the planner's counter; {@code snapSeq} (the image's current
 * snapshot sequence) is where a new version is born and an ended one dies.
 */
final class VersionPlanner {
    /** Ranges an object version tracks before it is merged (overlay) or rounded up (others). */
    static final int MAX_WRITTEN_RANGES = 64;

    private final VersionIndex index;
    private final int order;
    private final long objectSize;
    private long nextGen;

    VersionPlanner(VersionIndex index, int order) {
        this.index = index;
        this.order = order;
        this.objectSize = 1L << order;
    }

    /** New versions get generations after {@code gen} (the highest the index or the files hold). */
    void generationsAfter(long gen) {
        nextGen = gen + 1;
    }

    // --- writes and discards ---

    /**
     * The version a write into object {@code objno} goes to, given its {@code head} (null: none):
     * the head itself when no snapshot sees it, else a new head (whole-object write) or an overlay
     * on it. A result other than {@code head} is a new version whose file does not exist yet.
     */
    ObjectVersion writeTarget(long objno, ObjectVersion head, boolean wholeObject, long snapSeq) {
        if (head == null) {
            return newHead(objno, false, snapSeq);
        }
        if (!index.isShared(head)) {
            return head;
        }
        head.died = snapSeq;
        return newHead(objno, !wholeObject, snapSeq);
    }

    /** The version a partial discard of {@code head}'s object changes: the head, or an overlay if it is shared. */
    ObjectVersion discardTarget(ObjectVersion head, long snapSeq) {
        return writeTarget(head.objno, head, false, snapSeq);
    }

    private ObjectVersion newHead(long objno, boolean overlay, long snapSeq) {
        ObjectVersion v = new ObjectVersion(objno, nextGen++, snapSeq, ObjectVersion.HEAD, overlay, new ExtentSet());
        index.add(v);
        return v;
    }

    /**
     * Notes that {@code v} wrote {@code [start, end)} of its object. True when {@code v} must now be
     * materialised: its base's bytes copied into the ranges it did not write, then {@link #materialized}.
     */
    boolean recordWritten(ObjectVersion v, long start, long end) {
        if (v.written == null || !v.written.add(start, end)) {
            return false;
        }
        index.changed(v.objno);
        if (v.overlay && v.written.covers(0, objectSize)) {
            v.overlay = false; // wrote it all: its base is no longer read, nor kept for it
            List<ObjectVersion> versions = index.versions(v.objno);
            int i = versions.indexOf(v);
            while (i > 0 && index.isUnseen(versions.get(i - 1))) {
                index.drop(v.objno, i - 1);
                i--;
            }
            return false;
        }
        if (v.written.rangeCount() <= MAX_WRITTEN_RANGES) {
            return false;
        }
        if (v.overlay) {
            return true;
        }
        // bytes it did not write are zeros in its file: the hull reads the same
        List<long[]> ranges = v.written.list();
        v.written = ExtentSet.of(ranges.get(0)[0], ranges.get(ranges.size() - 1)[1]);
        return false;
    }

    /** Overlay {@code v}'s file now holds its whole object: it no longer reads its base. */
    void materialized(ObjectVersion v) {
        v.overlay = false;
        v.written = ExtentSet.of(0, objectSize);
        index.changed(v.objno);
    }

    /** A whole-object discard ends the head: kept for the snapshots that see it, else dropped. */
    void dropHead(ObjectVersion head, long snapSeq) {
        if (index.isShared(head)) {
            head.died = snapSeq;
            index.changed(head.objno);
            return;
        }
        index.drop(head.objno, index.versions(head.objno).size() - 1);
        // a base kept only for this overlay goes with it
        for (List<ObjectVersion> versions = index.versions(head.objno);
             !versions.isEmpty() && index.isUnseen(versions.get(versions.size() - 1));
             versions = index.versions(head.objno)) {
            index.drop(head.objno, versions.size() - 1);
        }
    }

    // --- header changes ---

    /** The head of the object a shrink to {@code newSize} cuts in the middle, or null. */
    ObjectVersion cutHead(long size, long newSize) {
        return newSize < size && (newSize & (objectSize - 1)) != 0 ? index.head(newSize >>> order) : null;
    }

    /**
     * Resize from {@code size} to {@code newSize}: a shrink ends the heads past the end and gives
     * the cut object a truncated copy when its file ({@code cutFileLength} long) or its base holds
     * bytes past the new end.
     */
    VersionPlan resize(long size, long newSize, long snapSeq, long cutFileLength) {
        VersionPlan plan = new VersionPlan(index);
        if (newSize >= size) {
            return plan;
        }
        long keep = (newSize + objectSize - 1) / objectSize;
        for (long objno : index.objnos().tailSet(keep)) {
            endHead(plan, objno, snapSeq);
        }
        long partial = newSize & (objectSize - 1);
        ObjectVersion cut = cutHead(size, newSize);
        if (cut != null && (cut.overlay || cutFileLength > partial)) {
            endHead(plan, cut.objno, snapSeq);
            newHeadFrom(plan, cut, partial, snapSeq);
        }
        return plan;
    }

    /** Rollback to {@code point}: every object whose head differs from what the point sees gets a copy of it. */
    VersionPlan rollback(long point, long snapSeq) {
        VersionPlan plan = new VersionPlan(index);
        for (long objno : index.objnos()) {
            ObjectVersion target = index.visibleAt(objno, point);
            if (target == index.head(objno)) {
                continue;
            }
            endHead(plan, objno, snapSeq);
            if (target != null) {
                newHeadFrom(plan, target, objectSize, snapSeq);
            }
        }
        return plan;
    }

    /**
     * A snapshot point has left the index's points: drops the versions nobody sees any more (also
     * bases kept earlier: the head above one may no longer be shared).
     */
    VersionPlan dropUnseen() {
        VersionPlan plan = new VersionPlan(index);
        for (long objno : index.objnos()) {
            for (ObjectVersion v : index.versions(objno)) {
                if (index.isUnseen(v)) {
                    prune(plan, plan.listOf(objno));
                    break;
                }
            }
        }
        return plan;
    }

    /**
     * Drops the versions nobody sees, newest first. One an overlay reads through is merged into
     * that overlay when it is an overlay itself (only its own bytes are copied, so read chains
     * stay short) or when the overlay is a head no snapshot shares (nothing else would ever free
     * it); otherwise a plain base stays as it is, as copying it would cost a whole object.
     */
    private void prune(VersionPlan plan, List<ObjectVersion> list) {
        for (int i = list.size() - 1; i >= 0; i--) {
            ObjectVersion v = list.get(i);
            if (!index.isUnseen(v)) {
                continue;
            }
            ObjectVersion next = i + 1 < list.size() ? list.get(i + 1) : null;
            if (next != null && next.overlay) {
                if (!v.overlay && !(next.isHead() && !index.isShared(next))) {
                    continue;
                }
                mergeInto(plan, v, next);
            }
            list.remove(i);
            plan.drop(v);
        }
    }

    /** {@code next} takes what overlay or base {@code v} wrote and it did not, then reads through to {@code v}'s base. */
    private void mergeInto(VersionPlan plan, ObjectVersion v, ObjectVersion next) {
        ExtentSet missing = v.written != null ? v.written.minus(next.written) : gapsOf(next.written);
        plan.merge(new VersionPlan.Merge(plan.committed(v), next, missing));
        if (v.written == null) {
            next.written = null;
        } else {
            next.written.addAll(v.written);
        }
        next.overlay = v.overlay;
    }

    private ExtentSet gapsOf(ExtentSet written) {
        ExtentSet gaps = new ExtentSet();
        written.gaps(0, objectSize).forEach(g -> gaps.add(g[0], g[1]));
        return gaps;
    }

    /** Ends the head of {@code objno} in the plan (kept if shared, else dropped with the bases only it kept). */
    private void endHead(VersionPlan plan, long objno, long snapSeq) {
        List<ObjectVersion> list = plan.listOf(objno);
        if (list.isEmpty() || !list.get(list.size() - 1).isHead()) {
            return;
        }
        ObjectVersion head = list.get(list.size() - 1);
        if (index.isShared(head)) {
            head.died = snapSeq;
            return;
        }
        plan.drop(list.remove(list.size() - 1));
        while (!list.isEmpty() && index.isUnseen(list.get(list.size() - 1))) {
            plan.drop(list.remove(list.size() - 1));
        }
    }

    /** A new head of {@code source}'s object holding the first {@code length} bytes (committed) {@code source} reads. */
    private void newHeadFrom(VersionPlan plan, ObjectVersion source, long length, long snapSeq) {
        ObjectVersion v = new ObjectVersion(source.objno, nextGen++, snapSeq, ObjectVersion.HEAD, false,
            source.written == null ? null : ExtentSet.of(0, length));
        plan.newHead(new VersionPlan.NewHead(source, v, length));
    }
}
