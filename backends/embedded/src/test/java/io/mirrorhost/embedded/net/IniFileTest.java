package io.mirrorhost.embedded.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IniFileTest {

    @Test
    void sectionsKeysCommentsAndSpacedKeys() {
        IniFile ini = IniFile.parse(String.join("\n",
                "# a site",
                "[global]",
                "site_name = site-a   # trailing comment",
                "; another comment",
                "[embedded]",
                "data_dir = ../run/site-a/cluster",
                "listen port = 6791",
                "key = abc#def",
                "empty =",
                ""), "site-a.conf");
        assertEquals(Map.of("site_name", "site-a"), ini.section("global"));
        assertEquals(Map.of("data_dir", "../run/site-a/cluster", "listen_port", "6791", "key", "abc#def", "empty", ""),
                ini.section("embedded"));
        assertEquals(Map.of(), ini.section("host"));
    }

    @Test
    void malformedLinesAreNamedWithTheirNumber() {
        ClusterException e = assertThrows(ClusterException.class,
                () -> IniFile.parse("[embedded]\ndata_dir = x\nlisten_port\n", "site-a.conf"));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("site-a.conf line 3: expected [section] or key = value, got 'listen_port'", e.getMessage());
        assertThrows(ClusterException.class, () -> IniFile.parse("key = before any section\n", "x.conf"));
    }

    @Test
    void aMissingFileIsEnoent() {
        ClusterException e = assertThrows(ClusterException.class, () -> IniFile.read(Path.of("/nonexistent/site.conf")));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("conf file /nonexistent/site.conf does not exist", e.getMessage());
    }
}
