package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The version planner as a table, without files: a row's operations run on an empty image of four
 * 4 KiB objects, then the versions of every object and the I/O the planner asked for are compared.
 *
 * <p>Operations: {@code s} snapshot (points 1, 2, ...); {@code w<objno>:<start>-<end>} write;
 * {@code scatter<objno>:<n>} n one-byte writes two bytes apart; {@code d<objno>} whole-object
 * discard; {@code p<objno>:<start>-<end>} partial discard; {@code rm<point>} remove a snapshot;
 * {@code rb<point>} roll back to it; {@code rs<size>} resize (a cut file's length is the end of
 * what it wrote). Versions print as {@link ObjectVersion#toString}: {@code v<objno>.<gen>(born,died]}.
 */
class VersionPlannerTest {
    private static final int ORDER = 12;
    private static final long OBJECT = 1L << ORDER;

    static Stream<Arguments> rows() {
        return Stream.of(
            row("a first write creates the object's head",
                "w0:0-100",
                "0: v0.1(0,head] {[0,100)}", ""),
            row("writes into a head no snapshot sees stay in place, their ranges merged",
                "w0:0-100 w0:100-200 w0:300-400",
                "0: v0.1(0,head] {[0,200), [300,400)}", ""),
            row("a whole-object write after a snapshot starts a plain head",
                "w0:0-100 s w0:0-4096",
                "0: v0.1(0,1] {[0,100)}, v0.2(1,head] {[0,4096)}", ""),
            row("a partial write after a snapshot starts an overlay holding only what it wrote",
                "w0:0-4096 s w0:10-20",
                "0: v0.1(0,1] {[0,4096)}, v0.2(1,head] overlay {[10,20)}", ""),
            row("an overlay that comes to hold its whole object stops reading its base",
                "w0:0-4096 s w0:0-2048 w0:2048-4096",
                "0: v0.1(0,1] {[0,4096)}, v0.2(1,head] {[0,4096)}", ""),
            row("a plain version with too many ranges keeps their hull",
                "scatter0:65",
                "0: v0.1(0,head] {[0,129)}", ""),
            row("an overlay with too many ranges is materialised",
                "w0:0-4096 s scatter0:65",
                "0: v0.1(0,1] {[0,4096)}, v0.2(1,head] {[0,4096)}", "materialize v0.2"),
            row("an overlay at the limit of ranges is not",
                "w0:0-4096 s scatter0:64",
                "0: v0.1(0,1] {[0,4096)}, v0.2(1,head] overlay " + scattered(64), ""),
            row("a whole-object discard drops a head no snapshot sees, with its file",
                "w0:0-100 w1:0-100 d0",
                "1: v1.2(0,head] {[0,100)}", "released 0.1"),
            row("a whole-object discard ends a shared head, kept for its snapshot",
                "w0:0-100 s d0",
                "0: v0.1(0,1] {[0,100)}", ""),
            row("a partial discard changes an unshared head in place",
                "w0:0-4096 p0:10-20",
                "0: v0.1(0,head] {[0,4096)}", ""),
            row("a partial discard of a shared head makes an overlay of the zeros",
                "w0:0-4096 s p0:10-20",
                "0: v0.1(0,1] {[0,4096)}, v0.2(1,head] overlay {[10,20)}", ""),
            row("removing a snapshot drops the versions only it saw",
                "w0:0-100 s w0:0-4096 rm1",
                "0: v0.2(1,head] {[0,4096)}", "drop 0.1"),
            row("an unseen base under an unshared overlay head is merged into it: only what the overlay lacks is copied",
                "w0:0-4096 s w0:0-10 rm1",
                "0: v0.2(1,head] {[0,4096)}", "merge v0.1 {[10,4096)} -> 0.2, drop 0.1"),
            row("an unseen plain base under a shared overlay stays (copying it would cost the whole object)",
                "w0:0-4096 s w0:0-10 s rm1",
                "0: v0.1(0,1] {[0,4096)}, v0.2(1,head] overlay {[0,10)}", ""),
            row("an unseen overlay is merged into the overlay above it, which then reads its base",
                "w0:0-4096 s w0:0-10 s w0:20-30 rm2",
                "0: v0.1(0,1] {[0,4096)}, v0.3(2,head] overlay {[0,10), [20,30)}", "merge v0.2 {[0,10)} -> 0.3, drop 0.2"),
            row("rollback gives a changed object a copy of the snapshot's version and drops an object born after it",
                "w0:0-4096 w2:0-4096 s w0:0-10 w1:0-10 rb1",
                "0: v0.1(0,1] {[0,4096)}, v0.5(1,head] {[0,4096)} | 2: v2.2(0,head] {[0,4096)}",
                "copy v0.1 [0,4096) -> 0.5, drop 0.3, drop 1.4"),
            row("a shrink drops the heads past the end and cuts the last object into a copy",
                "w0:0-4096 w1:0-4096 rs100",
                "0: v0.3(0,head] {[0,100)}", "copy v0.1 [0,100) -> 0.3, drop 1.2, drop 0.1"),
            row("a shrink keeps shared heads for their snapshot",
                "w0:0-4096 w1:0-4096 s rs100",
                "0: v0.1(0,1] {[0,4096)}, v0.3(1,head] {[0,100)} | 1: v1.2(0,1] {[0,4096)}",
                "copy v0.1 [0,100) -> 0.3"),
            row("a shrink at an object boundary copies nothing",
                "w0:0-4096 w1:0-4096 rs4096",
                "0: v0.1(0,head] {[0,4096)}", "drop 1.2"),
            row("a shrink whose cut object holds nothing past the new end copies nothing",
                "w0:0-100 rs200",
                "0: v0.1(0,head] {[0,100)}", ""));
    }

    private static Arguments row(String what, String ops, String versions, String io) {
        return Arguments.of(what, ops, versions, io);
    }

    private static String scattered(int n) {
        ExtentSet s = new ExtentSet();
        for (int i = 0; i < n; i++) {
            s.add(2L * i, 2L * i + 1);
        }
        return s.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void operationsGiveVersionsAndIo(String what, String ops, String versions, String io) {
        Image image = new Image();
        for (String op : ops.split(" ")) {
            image.apply(op);
        }
        assertEquals(versions, image.versions(), what);
        assertEquals(io, String.join(", ", image.io()), what);
        assertEquals(List.of(), image.index.problems(), what);
    }

    /** The image store's part, without files: runs each operation through the planner and applies plans as committed. */
    private static final class Image {
        final TreeSet<Long> points = new TreeSet<>();
        final VersionIndex index = new VersionIndex(points);
        final VersionPlanner planner = new VersionPlanner(index, ORDER);
        final List<String> io = new ArrayList<>();
        long snapSeq;
        long size = 4 * OBJECT;

        Image() {
            planner.generationsAfter(0);
        }

        void apply(String op) {
            if (op.equals("s")) {
                points.add(++snapSeq);
            } else if (op.startsWith("scatter")) {
                long[] a = numbers(op.substring(7));
                for (long i = 0; i < a[1]; i++) {
                    write(a[0], 2 * i, 2 * i + 1);
                }
            } else if (op.startsWith("w")) {
                long[] a = numbers(op.substring(1));
                write(a[0], a[1], a[2]);
            } else if (op.startsWith("d")) {
                planner.dropHead(index.head(Long.parseLong(op.substring(1))), snapSeq);
            } else if (op.startsWith("p")) {
                long[] a = numbers(op.substring(1));
                ObjectVersion target = planner.discardTarget(index.head(a[0]), snapSeq);
                if (target.overlay) {
                    record(target, a[1], a[2]);
                }
            } else if (op.startsWith("rm")) {
                points.remove(Long.parseLong(op.substring(2)));
                commit(planner.dropUnseen());
            } else if (op.startsWith("rb")) {
                commit(planner.rollback(Long.parseLong(op.substring(2)), snapSeq));
            } else if (op.startsWith("rs")) {
                long newSize = Long.parseLong(op.substring(2));
                ObjectVersion cut = planner.cutHead(size, newSize);
                long cutFileLength = cut == null ? 0 : cut.written.list().get(cut.written.rangeCount() - 1)[1];
                commit(planner.resize(size, newSize, snapSeq, cutFileLength));
                size = newSize;
            } else {
                throw new IllegalArgumentException(op);
            }
        }

        void write(long objno, long start, long end) {
            ObjectVersion target = planner.writeTarget(objno, index.head(objno), start == 0 && end == OBJECT, snapSeq);
            record(target, start, end);
        }

        void record(ObjectVersion v, long start, long end) {
            if (planner.recordWritten(v, start, end)) {
                io.add("materialize v" + v.objno + "." + v.gen);
                planner.materialized(v);
            }
        }

        void commit(VersionPlan plan) {
            plan.newHeads().forEach(n -> io.add("copy v" + n.source().fileName() + " [0," + n.length() + ") -> "
                + n.head().fileName()));
            plan.merges().forEach(m -> io.add("merge v" + m.source().fileName() + " " + m.ranges() + " -> "
                + m.into().fileName()));
            plan.dropped().forEach(f -> io.add("drop " + f));
            index.apply(plan);
        }

        String versions() {
            return index.objnos().stream()
                .map(objno -> objno + ": " + index.versions(objno).stream().map(ObjectVersion::toString)
                    .collect(Collectors.joining(", ")))
                .collect(Collectors.joining(" | "));
        }

        List<String> io() {
            List<String> all = new ArrayList<>(io);
            index.releasedFiles().forEach(f -> all.add("released " + f));
            return all;
        }

        private static long[] numbers(String spec) {
            return Stream.of(spec.split("[:-]")).mapToLong(Long::parseLong).toArray();
        }
    }
}
