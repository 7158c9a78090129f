package io.mirrorhost.api.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mirrorhost.api.format.TextTable.Align;
import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void padsEveryCellToItsColumnAndSeparatesWithTwoSpaces() {
        String out = new TextTable()
                .column("NAME", Align.LEFT, Align.LEFT)
                .column("SIZE", Align.LEFT, Align.RIGHT)
                .row("a", "1 GiB")
                .row("longer", "10 MiB")
                .render();
        assertEquals("NAME    SIZE  \n"
                + "a        1 GiB\n"
                + "longer  10 MiB\n", out);
    }

    @Test
    void theManagersTablesEndEveryCellWithOneSpace() {
        String out = TextTable.leftAligned("MODULE", "      ").cellsEndWithOneSpace()
                .row("rbd", "on (always on)")
                .row("mirror-status", "-")
                .render();
        assertEquals("MODULE" + " ".repeat(7 + 1 + 14 + 1) + "\n"
                + "rbd           on (always on) \n"
                + "mirror-status -              \n", out);
    }

    @Test
    void rejectsRowsOfTheWrongWidth() {
        TextTable table = new TextTable().column("A", Align.LEFT, Align.LEFT);
        assertThrows(IllegalArgumentException.class, () -> table.row("x", "y"));
    }
}
