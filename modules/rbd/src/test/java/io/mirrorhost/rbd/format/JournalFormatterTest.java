package io.mirrorhost.rbd.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.OutputFormat;
import io.mirrorhost.api.cluster.JournalInfo;
import io.mirrorhost.api.cluster.JournalStatus;
import io.mirrorhost.api.cluster.JournalStatus.JournalClient;
import io.mirrorhost.api.cluster.JournalStatus.ObjectPosition;
import io.mirrorhost.api.format.TreeWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The layouts of {@code tools/rbd/action/Journal.cc} and cls_journal's {@code operator<<} (16.2). */
class JournalFormatterTest {
    private static final JournalStatus STATUS = new JournalStatus(0, 1, List.of(
            new JournalClient("", List.of(new ObjectPosition(1, 3, 9), new ObjectPosition(0, 3, 8)), true),
            new JournalClient("f00d-uuid", List.of(), false)));

    @Test
    void info() {
        record Row(JournalInfo info, String plain, String json) {
        }
        List<Row> rows = List.of(
                new Row(new JournalInfo("1234abcd", 2, 24, 4, null),
                        "rbd journal '1234abcd':\n\theader_oid: journal.1234abcd\n"
                                + "\tobject_oid_prefix: journal_data.2.1234abcd.\n\torder: 24 (16 MiB objects)\n"
                                + "\tsplay_width: 4\n",
                        "{\"journal_id\":\"1234abcd\",\"header_oid\":\"journal.1234abcd\","
                                + "\"object_oid_prefix\":\"journal_data.2.1234abcd.\",\"order\":24,\"splay_width\":4}\n"),
                new Row(new JournalInfo("ab", 7, 12, 2, "journal-pool"),
                        "rbd journal 'ab':\n\theader_oid: journal.ab\n\tobject_oid_prefix: journal_data.7.ab.\n"
                                + "\torder: 12 (4 KiB objects)\n\tsplay_width: 2\n\tobject_pool: journal-pool\n",
                        "{\"journal_id\":\"ab\",\"header_oid\":\"journal.ab\",\"object_oid_prefix\":\"journal_data.7.ab.\","
                                + "\"order\":12,\"splay_width\":2,\"object_pool\":\"journal-pool\"}\n"));
        for (Row r : rows) {
            assertEquals(r.plain(), JournalFormatter.info(r.info(), null));
            assertEquals(r.json(), JournalFormatter.info(r.info(), TreeWriter.of(OutputFormat.JSON, false)));
        }
    }

    @Test
    void statusPlainIsWhatQaScriptsParse() {
        assertEquals("minimum_set: 0\nactive_set: 1\nregistered clients: \n"
                + "\t[id=, commit_position=[positions=[[object_number=1, tag_tid=3, entry_tid=9], "
                + "[object_number=0, tag_tid=3, entry_tid=8]]], state=connected]\n"
                + "\t[id=f00d-uuid, commit_position=[positions=[]], state=disconnected]\n",
                JournalFormatter.status(STATUS, null));
    }

    @Test
    void statusJson() {
        assertEquals("{\"minimum_set\":0,\"active_set\":1,\"registered_clients\":["
                + "{\"id\":\"\",\"data\":\"\",\"commit_position\":{\"object_positions\":["
                + "{\"object_number\":1,\"tag_tid\":3,\"entry_tid\":9},{\"object_number\":0,\"tag_tid\":3,\"entry_tid\":8}]},"
                + "\"state\":\"connected\"},"
                + "{\"id\":\"f00d-uuid\",\"data\":\"\",\"commit_position\":{\"object_positions\":[]},"
                + "\"state\":\"disconnected\"}]}\n",
                JournalFormatter.status(STATUS, TreeWriter.of(OutputFormat.JSON, false)));
    }
}
