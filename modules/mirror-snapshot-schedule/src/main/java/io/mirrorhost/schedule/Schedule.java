package io.mirrorhost.schedule;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The schedule items standing at one level (Ceph's {@code Schedule}), in the order they were added.
 * Stored as Ceph stores it: a JSON list of {@code {"interval": .., "start_time": ..}} objects.
 */
public final class Schedule {
    /** How Ceph writes schedule times ({@code %Y-%m-%d %H:%M:00}). */
    public static final DateTimeFormatter TIME_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final String name;
    private final Set<ScheduleItem> items = new LinkedHashSet<>();

    public Schedule(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** An independent copy (to store or print while the original may still change on the module's context). */
    public Schedule copy() {
        Schedule copy = new Schedule(name);
        copy.items.addAll(items);
        return copy;
    }

    public List<ScheduleItem> items() {
        return List.copyOf(items);
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public void add(ScheduleItem item) {
        items.add(item);
    }

    public void remove(ScheduleItem item) {
        items.remove(item);
    }

    public boolean contains(ScheduleItem item) {
        return items.contains(item);
    }

    /** The earliest next run of any item, strictly after {@code now}. */
    public LocalDateTime nextRunAfter(LocalDateTime now) {
        LocalDateTime best = null;
        for (ScheduleItem item : items) {
            LocalDateTime t = item.nextRunAfter(now);
            if (best == null || t.isBefore(best)) {
                best = t;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no items is added");
        }
        return best;
    }

    /** The latest run of any item at or before {@code now}, or null. */
    public LocalDateTime lastRunAtOrBefore(LocalDateTime now) {
        LocalDateTime best = null;
        for (ScheduleItem item : items) {
            LocalDateTime t = item.lastRunAtOrBefore(now);
            if (t != null && (best == null || t.isAfter(best))) {
                best = t;
            }
        }
        return best;
    }

    /** {@code every 1d starting at 14:00:00-05:00, every 6h}, as rbd prints a schedule. */
    public String describe() {
        return items.stream().map(ScheduleItem::describe).collect(Collectors.joining(", "));
    }

    /** The stored form, byte for byte what Ceph's {@code json.dumps(indent=4, sort_keys=True)} writes. */
    public String toStoredJson() {
        List<Object> list = new ArrayList<>();
        for (ScheduleItem item : items) {
            java.util.Map<String, Object> entry = new java.util.TreeMap<>();
            entry.put("interval", item.interval().toString());
            entry.put("start_time", item.startTime() == null ? null : item.startTime().toString());
            list.add(entry);
        }
        return PythonJson.dumps(list);
    }

    /** Reads the stored form (Ceph's {@code Schedule.from_json}), with Ceph's error texts. */
    public static Schedule fromStoredJson(String name, String json) {
        JsonArray array;
        try {
            array = new JsonArray(json);
        } catch (DecodeException | ClassCastException e) {
            throw new ScheduleException("Invalid JSON (" + e.getMessage() + ")");
        }
        Schedule schedule = new Schedule(name);
        for (Object element : array) {
            if (!(element instanceof JsonObject item)) {
                throw new ScheduleException("Invalid schedule format (list item is not an object)");
            }
            if (!item.containsKey("interval")) {
                throw new ScheduleException("Invalid schedule format (missing key 'interval')");
            }
            if (!item.containsKey("start_time")) {
                throw new ScheduleException("Invalid schedule format (missing key 'start_time')");
            }
            Object interval = item.getValue("interval");
            Object start = item.getValue("start_time");
            if (!(interval instanceof String) || (start != null && !(start instanceof String))) {
                throw new ScheduleException("Invalid schedule format (interval and start_time must be strings)");
            }
            schedule.add(ScheduleItem.parse((String) interval, (String) start));
        }
        return schedule;
    }
}
