package io.mirrorhost.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.JournalTag;
import java.util.List;
import org.junit.jupiter.api.Test;

/** librbd's tag rules (journal-mode.md A3). */
class JournalTagsTest {
    private static final JournalTag PRIMARY = new JournalTag(3, 0, "", JournalTag.Predecessor.NONE);
    private static final JournalTag DEMOTED = new JournalTag(4, 0, "<orphan>", new JournalTag.Predecessor("", true, 3, 7));
    private static final JournalTag REMOTE = new JournalTag(5, 0, "remote-uuid", JournalTag.Predecessor.NONE);
    private static final List<JournalPosition> AT_3_7 = List.of(new JournalPosition(1, 3, 7), new JournalPosition(0, 3, 6));

    @Test
    void newTags() {
        record Row(String what, JournalTag tag, JournalTag expected) {
        }
        List<Row> rows = List.of(
            new Row("first lock of a new journal", JournalTags.onLockAcquired(null, 0, List.of()),
                new JournalTag(0, 0, "", new JournalTag.Predecessor("", false, 0, 0))),
            new Row("lock after commits links to the image client's newest position",
                JournalTags.onLockAcquired(PRIMARY, 4, AT_3_7), new JournalTag(4, 0, "", new JournalTag.Predecessor("", true, 3, 7))),
            new Row("demote", JournalTags.demote(PRIMARY, 4, AT_3_7), DEMOTED),
            new Row("orderly promote links to the demotion epoch's single entry", JournalTags.promote(DEMOTED, 5, false),
                new JournalTag(5, 0, "", new JournalTag.Predecessor("<orphan>", true, 4, 1))),
            new Row("forced promote: an epoch no peer links against", JournalTags.promote(REMOTE, 6, true),
                new JournalTag(6, 0, "", new JournalTag.Predecessor("", true, 5, 0))),
            new Row("forced promote of a demoted image", JournalTags.promote(DEMOTED, 5, true),
                new JournalTag(5, 0, "", new JournalTag.Predecessor("", true, 4, 0))),
            new Row("demote before the primary wrote anything", JournalTags.demote(null, 0, List.of()),
                new JournalTag(0, 0, "<orphan>", new JournalTag.Predecessor("", false, 0, 0))),
            new Row("promote a journal without tags", JournalTags.promote(null, 0, false),
                new JournalTag(0, 0, "", JournalTag.Predecessor.NONE)));
        for (Row r : rows) {
            assertEquals(r.expected(), r.tag(), r.what());
        }
    }

    @Test
    void refusals() {
        ClusterException notPromoted = assertThrows(ClusterException.class,
            () -> JournalTags.onLockAcquired(REMOTE, 6, List.of()));
        assertEquals(Errno.EPERM, notPromoted.errno());
        ClusterException notPrimary = assertThrows(ClusterException.class, () -> JournalTags.demote(DEMOTED, 5, List.of()));
        assertEquals(Errno.EINVAL, notPrimary.errno());
        assertEquals("librbd::journal::DemoteRequest: image is not currently the primary", notPrimary.getMessage());
    }
}
