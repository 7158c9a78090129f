package io.mirrorhost.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The open object files of one image, least recently used closed first. Closing loses nothing:
 * a later fsync through a new descriptor still flushes the file's dirty pages.
 */
final class ChannelCache implements AutoCloseable {
    private static final int CAPACITY = 64;

    private final Path dir;
    private final LinkedHashMap<String, FileChannel> open = new LinkedHashMap<>(16, 0.75f, true);

    ChannelCache(Path dir) {
        this.dir = dir;
    }

    Path path(String fileName) {
        return dir.resolve(fileName);
    }

    /** The file's channel, creating the file if {@code create}. */
    FileChannel get(String fileName, boolean create) throws IOException {
        FileChannel ch = open.get(fileName);
        if (ch != null) {
            return ch;
        }
        ch = create
            ? FileChannel.open(path(fileName), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
            : FileChannel.open(path(fileName), StandardOpenOption.READ, StandardOpenOption.WRITE);
        open.put(fileName, ch);
        if (open.size() > CAPACITY) {
            Map.Entry<String, FileChannel> eldest = open.entrySet().iterator().next();
            open.remove(eldest.getKey());
            eldest.getValue().close();
        }
        return ch;
    }

    void close(String fileName) throws IOException {
        FileChannel ch = open.remove(fileName);
        if (ch != null) {
            ch.close();
        }
    }

    @Override
    public void close() throws IOException {
        for (FileChannel ch : open.values()) {
            ch.close();
        }
        open.clear();
    }
}
