package io.mirrorhost.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

/**
 * The files of one image's object versions ({@code <objno>.<gen>} in the image's directory, see
 * {@link ObjectFiles}), used on the image's lane: reads through overlays, writes, the copies a
 * {@link VersionPlan} or a materialisation asks for, and the fsync discipline. Every file written
 * since the last {@link #sync}, and the directories that gained files, are made durable there
 * before a transaction may point at them; files are deleted only after the transaction that stops
 * pointing at them.
 */
final class VersionFiles {
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 16);

    private final Path dir;
    private final ChannelCache channels;
    private final DirtyFiles unsynced;
    private boolean dirsUnsynced;

    VersionFiles(Path dir, ExecutorService syncPool) {
        this.dir = dir;
        this.channels = new ChannelCache(dir);
        this.unsynced = new DirtyFiles(syncPool, channels::path);
    }

    /** The highest generation of any file in the directory (a crash may have left files no row names). */
    long maxGen() throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> ObjectFiles.genOf(p.getFileName().toString())).max().orElse(0);
        }
    }

    boolean isSynced() {
        return unsynced.isEmpty();
    }

    // --- reads ---

    /**
     * Reads version {@code versions[index]} of an object at {@code within} into a zeroed buffer:
     * its own file where it wrote (all of it when that is unknown), its base where an overlay did
     * not write, zeros elsewhere.
     */
    void read(List<ObjectVersion> versions, int index, long within, ByteBuffer into) throws IOException {
        ObjectVersion v = versions.get(index);
        if (v.written == null) {
            readFully(v.fileName(), within, into);
            return;
        }
        long end = within + into.remaining();
        int base = into.position();
        for (long[] r : v.written.list()) {
            long s = Math.max(r[0], within);
            long e = Math.min(r[1], end);
            if (s < e) {
                readFully(v.fileName(), s, slice(into, base + (int) (s - within), (int) (e - s)));
            }
        }
        if (v.overlay && index > 0) {
            for (long[] g : v.written.gaps(within, end)) {
                read(versions, index - 1, g[0], slice(into, base + (int) (g[0] - within), (int) (g[1] - g[0])));
            }
        }
    }

    private static ByteBuffer slice(ByteBuffer buffer, int position, int length) {
        return buffer.duplicate().limit(position + length).position(position);
    }

    /** Reads what the file has; bytes past its end stay zero. */
    private void readFully(String fileName, long position, ByteBuffer into) throws IOException {
        FileChannel ch = channels.get(fileName, false);
        long pos = position;
        while (into.hasRemaining()) {
            int r = ch.read(into, pos);
            if (r < 0) {
                return;
            }
            pos += r;
        }
    }

    long length(ObjectVersion v) throws IOException {
        return channels.get(v.fileName(), false).size();
    }

    // --- writes ---

    /** A new version's file is about to be written: its directory exists and is synced with it. */
    void prepareNewFile() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        dirsUnsynced = true;
    }

    /** A new version's file exists, empty, even if nothing is written into it. */
    void createdEmpty(ObjectVersion v) throws IOException {
        prepareNewFile();
        channels.get(v.fileName(), true);
        unsynced.written(v.fileName());
    }

    /** Writes {@code data} into {@code v}'s file at {@code within}; returns where the write ended. */
    long write(ObjectVersion v, long within, ByteBuffer data) throws IOException {
        FileChannel ch = channels.get(v.fileName(), true);
        long pos = within;
        while (data.hasRemaining()) {
            pos += ch.write(data, pos);
        }
        unsynced.written(v.fileName());
        return pos;
    }

    /** A writer has filled {@code v}'s object: start its writeback now, so that the flush finds it under way. */
    void writeBackSoon(ObjectVersion v) {
        unsynced.syncSoon(v.fileName());
    }

    /** Makes {@code [within, within + length)} of {@code v}'s file read as zeros (truncating when it reaches the end). */
    void zero(ObjectVersion v, long within, long length) throws IOException {
        FileChannel ch = channels.get(v.fileName(), true);
        long fileSize = ch.size();
        if (within >= fileSize) {
            return;
        }
        if (within + length >= fileSize) {
            ch.truncate(within);
        } else {
            long pos = within;
            long end = within + length;
            while (pos < end) {
                ByteBuffer z = ZEROS.duplicate();
                z.limit((int) Math.min(z.capacity(), end - pos));
                pos += ch.write(z, pos);
            }
        }
        unsynced.written(v.fileName());
    }

    /**
     * Copies overlay {@code v}'s base bytes into the ranges of its object it did not write, so that
     * it stands alone. Safe before the commit: the committed overlay reads those ranges from its
     * base, not its file.
     */
    void materialize(List<ObjectVersion> versions, ObjectVersion v, long objectSize) throws IOException {
        int index = versions.indexOf(v);
        for (long[] g : v.written.gaps(0, objectSize)) {
            ByteBuffer data = ByteBuffer.allocate((int) (g[1] - g[0]));
            if (index > 0) {
                read(versions, index - 1, g[0], data);
            }
            data.clear();
            write(v, g[0], data);
        }
    }

    /** Writes the files {@code plan} needs before its commit, reading the versions {@code index} has committed. */
    void fill(VersionPlan plan, VersionIndex index) throws IOException {
        for (VersionPlan.NewHead n : plan.newHeads()) {
            copyInto(n.head(), n.source(), n.length(), index.versions(n.source().objno));
        }
        for (VersionPlan.Merge m : plan.merges()) {
            List<ObjectVersion> versions = index.versions(m.source().objno);
            int at = versions.indexOf(m.source());
            for (long[] r : m.ranges().list()) {
                ByteBuffer data = ByteBuffer.allocate((int) (r[1] - r[0]));
                read(versions, at, r[0], data);
                data.clear();
                write(m.into(), r[0], data);
            }
        }
    }

    /** A new file for {@code head} with the first {@code length} bytes {@code source} reads. */
    private void copyInto(ObjectVersion head, ObjectVersion source, long length, List<ObjectVersion> versions)
        throws IOException {
        prepareNewFile();
        try (FileChannel out = FileChannel.open(channels.path(head.fileName()), StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE)) {
            if (source.written == null) {
                try (FileChannel in = FileChannel.open(channels.path(source.fileName()), StandardOpenOption.READ)) {
                    long n = Math.min(length, in.size());
                    long pos = 0;
                    while (pos < n) {
                        pos += in.transferTo(pos, n - pos, out);
                    }
                }
            } else {
                ByteBuffer data = ByteBuffer.allocate((int) length);
                read(versions, versions.indexOf(source), 0, data);
                data.clear();
                long pos = 0;
                while (data.hasRemaining()) {
                    pos += out.write(data, pos);
                }
            }
        }
        unsynced.written(head.fileName());
    }

    // --- durability ---

    /** fsyncs every file written since the last sync and the directories that gained files. */
    void sync() throws IOException {
        unsynced.syncAll();
        if (dirsUnsynced) {
            FileSync.directory(dir);
            FileSync.directory(dir.getParent());
            FileSync.directory(dir.getParent().getParent());
            dirsUnsynced = false;
        }
    }

    /** The file is to be deleted after the next commit: it need not be made durable before. */
    void forget(String fileName) {
        unsynced.forget(fileName);
    }

    void delete(Collection<String> fileNames) throws IOException {
        for (String f : fileNames) {
            channels.close(f);
            unsynced.forget(f);
            Files.deleteIfExists(channels.path(f));
        }
    }

    void close() throws IOException {
        channels.close();
    }

    /** Versions of {@code index} whose file is missing or longer than an object (empty when consistent). */
    List<String> problems(VersionIndex index, long objectSize) throws IOException {
        List<String> problems = new ArrayList<>();
        for (long objno : index.objnos()) {
            for (ObjectVersion v : index.versions(objno)) {
                Path file = channels.path(v.fileName());
                boolean exists = Files.exists(file);
                if (!exists && !index.releasedFiles().contains(v.fileName())) {
                    problems.add("missing file for " + v);
                }
                if (exists && Files.size(file) > objectSize) {
                    problems.add("file longer than an object: " + v);
                }
            }
        }
        return problems;
    }
}
