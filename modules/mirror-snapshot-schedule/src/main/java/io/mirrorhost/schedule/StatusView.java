package io.mirrorhost.schedule;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@code status} shows, published: one immutable row per scheduled image, replaced whole by
 * the {@link ScheduleQueue} on every change and read from any thread without waiting for it, so a
 * status is never held up by a rescan or a batch of snapshots (nor holds them up).
 */
final class StatusView {
    /** What status shows of one image. */
    private record Row(LocalDateTime at, String name, String lastRun, String lastError) {
    }

    private final Map<ImageKey, Row> rows = new ConcurrentHashMap<>();

    void show(ImageKey key, LocalDateTime nextRun, String name, RunRecord record) {
        rows.put(key, new Row(nextRun, name, record == null || record.lastRun() == null ? null
                : record.lastRun().toString(), record == null ? null : record.lastError()));
    }

    void hide(ImageKey key) {
        rows.remove(key);
    }

    /**
     * Scheduled images at or below a level, by next run then name; each row is one image's state at
     * some instant of the last changes.
     */
    List<ScheduledImage> at(LevelSpec level) {
        List<Row> matching = new ArrayList<>();
        rows.forEach((key, row) -> {
            if (level.matches(key.poolId(), key.namespace(), key.imageId())) {
                matching.add(row);
            }
        });
        matching.sort(Comparator.comparing(Row::at).thenComparing(Row::name));
        List<ScheduledImage> result = new ArrayList<>(matching.size());
        LocalDateTime formattedAt = null;
        String formatted = null;
        for (Row row : matching) {
            if (!row.at().equals(formattedAt)) {
                // rows are sorted by time, and thousands share each one
                formattedAt = row.at();
                formatted = formattedAt.format(Schedule.TIME_FORMAT);
            }
            result.add(new ScheduledImage(formatted, row.name(), row.lastRun(), row.lastError()));
        }
        return result;
    }
}
