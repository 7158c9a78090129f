package io.mirrorhost.rbd.format;

import io.mirrorhost.api.format.XmlWriter;
import io.mirrorhost.api.format.JsonWriter;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorhost.api.cluster.DiffExtent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress, bench, diff, name listings and XML, against rbd 16.2.15's captured outputs. */
class ReportFormattersTest {

    @Test
    void progressLines() {
        assertEquals("\rRemoving snap: 100% complete...done.\n", new Progress("Removing snap", false).done());
        assertEquals("\rExporting image: 25% complete...\rExporting image: 50% complete...\rExporting image: 75% "
                + "complete...\rExporting image: 100% complete...done.\n",
                new Progress("Exporting image", false).steps(1, 4).done());
        assertEquals("\rCreating snap: 0% complete...failed.\n", new Progress("Creating snap", false).failed());
        assertEquals("", new Progress("Removing image", true).steps(1, 4).done());
        // percentages that do not grow are not repeated
        assertEquals("\rX: 50% complete...\rX: 50% complete...failed.\n",
                new Progress("X", false).update(1, 2).update(1, 2).failed());
        assertEquals("\rX: 100% complete...done.\n", new Progress("X", false).steps(1, 0).done());
    }

    @Test
    void benchSummaryWithoutTicks() {
        BenchReport report = new BenchReport("write", 0, 4096, 16, 1048576, false);
        for (int i = 0; i < 256; i++) {
            report.issued(false);
        }
        assertEquals("bench  type write io_size 4096 io_threads 16 bytes 1048576 pattern sequential\n"
                + "  SEC       OPS   OPS/SEC   BYTES/SEC\n"
                + "elapsed: 0   ops: 256   ops/sec: 12800   bytes/sec: 50 MiB/s\n", report.finish(0.02));
    }

    @Test
    void benchOfZeroElapsedTimeIsInfinite() {
        BenchReport report = new BenchReport("write", 0, 4096, 16, 4096, false);
        report.issued(false);
        assertEquals("bench  type write io_size 4096 io_threads 16 bytes 4096 pattern sequential\n"
                + "  SEC       OPS   OPS/SEC   BYTES/SEC\n"
                + "elapsed: 0   ops: 1   ops/sec: inf   bytes/sec: 0 B/s\n", report.finish(0));
    }

    @Test
    void benchStoppedByAnIoError() {
        BenchReport report = new BenchReport("write", 0, 4096, 16, 4096, false);
        report.issued(false);
        assertEquals("bench  type write io_size 4096 io_threads 16 bytes 4096 pattern sequential\n"
                + "  SEC       OPS   OPS/SEC   BYTES/SEC\n"
                + "write error: (30) Read-only file system\n", report.failed("write error: (30) Read-only file system"));
    }

    @Test
    void benchReadWriteMix() {
        BenchReport report = new BenchReport("readwrite", 70, 4096, 16, 262144, false);
        for (int i = 0; i < 64; i++) {
            report.issued(i < 44);
        }
        assertEquals("bench  type readwrite read:write=70:30 io_size 4096 io_threads 16 bytes 262144 pattern sequential\n"
                + "  SEC       OPS   OPS/SEC   BYTES/SEC\n"
                + "elapsed: 0   ops: 64   ops/sec: 8000   bytes/sec: 31 MiB/s\n"
                + "read_ops: 44   read_ops/sec: 5500   read_bytes/sec: 21 MiB/s\n"
                + "write_ops: 20   write_ops/sec: 2500   write_bytes/sec: 9.8 MiB/s\n", report.finish(0.008));
    }

    @Test
    void benchTicksOncePerSecondWithRollingRates() {
        BenchReport report = new BenchReport("write", 0, 4096, 16, 1L << 30, true);
        for (int i = 0; i < 1000; i++) {
            report.issued(false);
        }
        report.observe(0.5);
        for (int i = 0; i < 1000; i++) {
            report.issued(false);
        }
        report.observe(1.5);
        report.observe(1.7);
        String out = report.finish(2.0);
        assertEquals("bench  type write io_size 4096 io_threads 16 bytes 1073741824 pattern random\n"
                + "  SEC       OPS   OPS/SEC   BYTES/SEC\n"
                // as rbd, the I/Os issued before the first observation count in the first second
                + "    1      1984   2000.00   7.8 MiB/s\n"
                + "elapsed: 2   ops: 2000   ops/sec: 1000   bytes/sec: 3.9 MiB/s\n", out);
    }

    @Test
    void defaultNotationIsCppOstreams() {
        assertEquals("9142.86", BenchReport.defaultNotation(256 / 0.028));
        assertEquals("761.905", BenchReport.defaultNotation(64 / 0.084));
        assertEquals("5333.33", BenchReport.defaultNotation(128 / 0.024));
        assertEquals("1.23457e+06", BenchReport.defaultNotation(1234567));
        assertEquals("0.5", BenchReport.defaultNotation(0.5));
    }

    @Test
    void diffTable() {
        List<DiffExtent> extents = List.of(new DiffExtent(0, 4096, true), new DiffExtent(8388608, 8192, true),
                new DiffExtent(12582912, 4096, false));
        assertEquals("Offset    Length  Type\n0         4096    data\n8388608   8192    data\n12582912  4096    zero\n",
                DiffFormatter.plain(extents));
        assertEquals("", DiffFormatter.plain(List.of()));
        assertEquals("[{\"offset\":0,\"length\":4096,\"exists\":\"true\"},{\"offset\":8388608,\"length\":8192,"
                + "\"exists\":\"true\"},{\"offset\":12582912,\"length\":4096,\"exists\":\"false\"}]\n",
                DiffFormatter.structured(extents, new JsonWriter(false)));
    }

    @Test
    void namespaceAndPoolListings() {
        assertEquals("NAME\nns-1\nns-2\n", NameListFormatter.namespacesPlain(List.of("ns-1", "ns-2")));
        assertEquals("", NameListFormatter.namespacesPlain(List.of()));
        assertEquals("[{\"name\":\"ns-1\"},{\"name\":\"ns-2\"}]\n",
                NameListFormatter.namespacesStructured(List.of("ns-1", "ns-2"), new JsonWriter(false)));
        assertEquals("rbd\nimage-pool\n", NameListFormatter.poolsPlain(List.of("rbd", "image-pool")));
        assertEquals("[\"rbd\",\"image-pool\"]\n",
                NameListFormatter.poolsStructured(List.of("rbd", "image-pool"), new JsonWriter(false)));
    }

    @Test
    void xmlAsCeph() {
        assertEquals("<images><name>a&amp;b</name><name>c</name></images>\n",
                ImageListFormatter.namesStructured(List.of("a&b", "c"), new XmlWriter(false)));
        assertEquals("<images></images>\n", ImageListFormatter.namesStructured(List.of(), new XmlWriter(false)));
        assertEquals("<namespaces>\n <namespace>\n  <name>ns-1</name>\n </namespace>\n</namespaces>\n",
                NameListFormatter.namespacesStructured(List.of("ns-1"), new XmlWriter(true)));
    }
}
