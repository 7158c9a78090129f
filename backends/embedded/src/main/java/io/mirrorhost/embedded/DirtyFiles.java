package io.mirrorhost.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The object files written since they were last fsync'ed. A file a sequential writer has filled
 * can be written back at once in the background ({@link #syncSoon}), so that a flush mostly waits
 * for writeback already under way; a flush syncs the rest in parallel. Used on the image's lane.
 */
final class DirtyFiles {
    private record Pending(String file, long writeNumber, Future<?> done) {
    }

    private final ExecutorService syncPool;
    private final Function<String, Path> pathOf;
    /** File name to the number of its latest write: a sync that began after it covers it. */
    private final Map<String, Long> dirty = new LinkedHashMap<>();
    private final List<Pending> inflight = new ArrayList<>();
    private long writes;

    DirtyFiles(ExecutorService syncPool, Function<String, Path> pathOf) {
        this.syncPool = syncPool;
        this.pathOf = pathOf;
    }

    void written(String file) {
        dirty.put(file, ++writes);
    }

    /** The file is being deleted: nothing of it needs to be durable. */
    void forget(String file) {
        dirty.remove(file);
    }

    boolean isEmpty() {
        return dirty.isEmpty() && inflight.isEmpty();
    }

    void syncSoon(String file) {
        Long writeNumber = dirty.get(file);
        if (writeNumber != null) {
            Path path = pathOf.apply(file);
            inflight.add(new Pending(file, writeNumber, syncPool.submit(() -> {
                force(path);
                return null;
            })));
        }
    }

    /** Returns once every file written so far is durable. */
    void syncAll() throws IOException {
        for (Pending p : inflight) {
            try {
                p.done().get();
                if (Objects.equals(dirty.get(p.file()), p.writeNumber())) {
                    dirty.remove(p.file());
                }
            } catch (ExecutionException e) {
                // the file stays dirty and is synced again below, which reports a lasting failure
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while syncing object files", e);
            }
        }
        inflight.clear();
        List<Future<?>> syncs = new ArrayList<>();
        for (String file : dirty.keySet()) {
            Path path = pathOf.apply(file);
            syncs.add(syncPool.submit(() -> {
                force(path);
                return null;
            }));
        }
        for (Future<?> f : syncs) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while syncing object files", e);
            }
        }
        dirty.clear();
    }

    private static void force(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.force(false);
        }
    }
}
