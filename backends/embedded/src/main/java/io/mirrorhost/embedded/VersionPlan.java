package io.mirrorhost.embedded;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A planned change of an image's object versions, made by {@link VersionPlanner} for a header
 * change and committed in one transaction: the new version lists of some objects (copies; the
 * index keeps the committed ones until the commit), the files to fill before the commit, and the
 * files to delete after it. The image store fills the files, fsyncs them, commits the lists with
 * the header change, then applies the lists to the index and deletes the dropped files.
 */
final class VersionPlan {
    /** A new head version whose file holds the first {@code length} bytes {@code source} (committed) reads. */
    record NewHead(ObjectVersion source, ObjectVersion head, long length) {
    }

    /**
     * Copies what {@code source} (a committed version nobody sees any more) reads at {@code ranges}
     * into the file of {@code into}, at ranges the committed {@code into} reads from its base, not
     * its file: so a crash before the commit changes nothing.
     */
    record Merge(ObjectVersion source, ObjectVersion into, ExtentSet ranges) {
    }

    private final VersionIndex index;
    private final Map<Long, List<ObjectVersion>> lists = new HashMap<>();
    private final List<NewHead> newHeads = new ArrayList<>();
    private final List<Merge> merges = new ArrayList<>();
    private final List<String> dropped = new ArrayList<>();

    VersionPlan(VersionIndex index) {
        this.index = index;
    }

    /** The planned versions of {@code objno}: a copy of the committed ones on first use. */
    List<ObjectVersion> listOf(long objno) {
        return lists.computeIfAbsent(objno, k -> {
            List<ObjectVersion> copy = new ArrayList<>();
            for (ObjectVersion v : index.versions(objno)) {
                copy.add(v.copy());
            }
            return copy;
        });
    }

    /** The committed version the planned {@code v} is a copy of. */
    ObjectVersion committed(ObjectVersion v) {
        for (ObjectVersion c : index.versions(v.objno)) {
            if (c.gen == v.gen) {
                return c;
            }
        }
        throw new IllegalStateException("no committed version " + v);
    }

    void newHead(NewHead step) {
        newHeads.add(step);
        listOf(step.head().objno).add(step.head());
    }

    void merge(Merge step) {
        merges.add(step);
    }

    void drop(ObjectVersion v) {
        dropped.add(v.fileName());
    }

    /** The changed objects' planned version lists (empty: no version left). */
    Map<Long, List<ObjectVersion>> lists() {
        return lists;
    }

    List<NewHead> newHeads() {
        return newHeads;
    }

    List<Merge> merges() {
        return merges;
    }

    /** Files of the new heads (deleted again if the commit fails). */
    List<String> newFiles() {
        return newHeads.stream().map(n -> n.head().fileName()).toList();
    }

    /** Files no planned version references (deleted after the commit). */
    List<String> dropped() {
        return dropped;
    }
}
