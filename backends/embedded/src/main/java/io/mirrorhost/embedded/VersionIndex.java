package io.mirrorhost.embedded;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which object version holds which bytes at the head and at each snapshot point: every object's
 * versions, oldest first (an overlay's base is the one before it), and the snapshot points that see
 * them. Pure: no files and no SQL. {@link VersionPlanner} changes it, {@link ImageStore} loads it
 * and commits it, {@link VersionFiles} reads the bytes it locates.
 *
 * <p>It also keeps what changed since the last commit: the objects whose version lists changed
 * and the files of versions dropped since (to be deleted once that commit is done).
 */
final class VersionIndex {
    private final Map<Long, List<ObjectVersion>> objects = new HashMap<>();
    /** The snapshot points, ascending; the image store keeps this set (a live view of its snapshots). */
    private final NavigableSet<Long> points;
    private final Set<Long> changedObjects = new HashSet<>();
    private final List<String> releasedFiles = new ArrayList<>();

    VersionIndex(NavigableSet<Long> points) {
        this.points = points;
    }

    /** Adds a committed version; an object's versions are added oldest first. */
    void load(ObjectVersion v) {
        objects.computeIfAbsent(v.objno, k -> new ArrayList<>()).add(v);
    }

    /** Every version of {@code objno}, oldest first (the index's own list: read it, do not keep it). */
    List<ObjectVersion> versions(long objno) {
        return objects.getOrDefault(objno, List.of());
    }

    /** The objects that have versions, ascending. */
    SortedSet<Long> objnos() {
        return new TreeSet<>(objects.keySet());
    }

    long maxGen() {
        long max = 0;
        for (List<ObjectVersion> versions : objects.values()) {
            for (ObjectVersion v : versions) {
                max = Math.max(max, v.gen);
            }
        }
        return max;
    }

    ObjectVersion head(long objno) {
        List<ObjectVersion> versions = objects.get(objno);
        if (versions == null) {
            return null;
        }
        ObjectVersion last = versions.get(versions.size() - 1);
        return last.isHead() ? last : null;
    }

    /** The version {@code point} (a snapshot point, or {@link ObjectVersion#HEAD}) sees, or null. */
    ObjectVersion visibleAt(long objno, long point) {
        List<ObjectVersion> versions = objects.get(objno);
        if (versions == null) {
            return null;
        }
        int i = indexVisibleAt(versions, point);
        return i < 0 ? null : versions.get(i);
    }

    static int indexVisibleAt(List<ObjectVersion> versions, long point) {
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).visibleAt(point)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether an existing snapshot sees this head version (so it must not change in place). */
    boolean isShared(ObjectVersion head) {
        return points.higher(head.born) != null;
    }

    /** Whether neither the head nor any snapshot sees {@code v} (a base kept for an overlay). */
    boolean isUnseen(ObjectVersion v) {
        return !v.isHead() && points.subSet(v.born, false, v.died, true).isEmpty();
    }

    /**
     * The object map at {@code point} for {@code count} objects: an object exists when a version is
     * visible there, and is clean when that version was born before the previous snapshot point.
     */
    ObjectState[] objectMap(long point, long count) {
        Long previous = points.lower(point);
        long since = previous == null ? Long.MIN_VALUE : previous;
        ObjectState[] map = new ObjectState[(int) count];
        for (int objno = 0; objno < count; objno++) {
            ObjectVersion v = visibleAt(objno, point);
            map[objno] = v == null ? ObjectState.NONEXISTENT : v.born >= since ? ObjectState.EXISTS : ObjectState.EXISTS_CLEAN;
        }
        return map;
    }

    // --- changes (by VersionPlanner) ---

    /** A new version becomes the newest of its object. */
    void add(ObjectVersion v) {
        objects.computeIfAbsent(v.objno, k -> new ArrayList<>()).add(v);
        changedObjects.add(v.objno);
    }

    /** Drops {@code versions[i]} of an object: its file goes once the change is committed. */
    void drop(long objno, int i) {
        List<ObjectVersion> versions = objects.get(objno);
        releasedFiles.add(versions.remove(i).fileName());
        if (versions.isEmpty()) {
            objects.remove(objno);
        }
        changedObjects.add(objno);
    }

    void changed(long objno) {
        changedObjects.add(objno);
    }

    /** Takes a committed plan's version lists (an empty list: the object has no version left). */
    void apply(VersionPlan plan) {
        for (Map.Entry<Long, List<ObjectVersion>> e : plan.lists().entrySet()) {
            if (e.getValue().isEmpty()) {
                objects.remove(e.getKey());
            } else {
                objects.put(e.getKey(), e.getValue());
            }
        }
    }

    // --- what the next commit persists ---

    /** Objects whose versions changed since the last commit (a copy). */
    Set<Long> changedObjects() {
        return Set.copyOf(changedObjects);
    }

    /** Files of versions dropped since the last commit (the index's own list). */
    List<String> releasedFiles() {
        return releasedFiles;
    }

    boolean hasUncommitted() {
        return !changedObjects.isEmpty() || !releasedFiles.isEmpty();
    }

    /** The versions of {@code objnos} are committed. */
    void committed(Set<Long> objnos) {
        changedObjects.removeAll(objnos);
    }

    /** The released files are deleted (after the commit that stopped referencing them). */
    void releasedDeleted() {
        releasedFiles.clear();
    }

    /** Rules the index breaks (empty when consistent): one head, ordered disjoint lifetimes, no orphans. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Long, List<ObjectVersion>> e : objects.entrySet()) {
            List<ObjectVersion> versions = e.getValue();
            int heads = 0;
            long previousDied = Long.MIN_VALUE;
            for (int i = 0; i < versions.size(); i++) {
                ObjectVersion v = versions.get(i);
                if (v.isHead()) {
                    heads++;
                }
                if (v.born >= v.died) {
                    problems.add("empty visibility interval " + v);
                }
                if (v.born < previousDied) {
                    problems.add("overlapping versions at " + v);
                }
                previousDied = v.died;
                boolean keptBase = i + 1 < versions.size() && versions.get(i + 1).overlay;
                if (isUnseen(v) && !keptBase) {
                    problems.add("version seen by no snapshot and not head: " + v);
                }
                if (v.overlay && (v.written == null || i == 0)) {
                    problems.add("overlay without extents or base: " + v);
                }
            }
            if (heads > 1) {
                problems.add("object " + e.getKey() + " has " + heads + " heads");
            }
        }
        return problems;
    }
}
