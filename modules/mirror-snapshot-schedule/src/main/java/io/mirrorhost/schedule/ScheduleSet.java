package io.mirrorhost.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every schedule by level (Ceph's {@code Schedules} without its I/O): adding and removing items,
 * finding the schedule that governs an image (the most specific level that has one), and listing
 * a level with its parent and children as {@code schedule list} does.
 */
public final class ScheduleSet {
    private final Map<String, LevelSpec> levels = new LinkedHashMap<>();
    private final Map<String, Schedule> schedules = new LinkedHashMap<>();

    /** A copy to read elsewhere while this one may change (its schedules copied too). */
    public ScheduleSet copy() {
        ScheduleSet copy = new ScheduleSet();
        copy.levels.putAll(levels);
        schedules.forEach((id, schedule) -> copy.schedules.put(id, schedule.copy()));
        return copy;
    }

    public boolean isEmpty() {
        return schedules.isEmpty();
    }

    public Schedule get(String levelId) {
        return schedules.get(levelId);
    }

    public Map<String, Schedule> schedules() {
        return Map.copyOf(schedules);
    }

    public LevelSpec level(String levelId) {
        return levels.get(levelId);
    }

    /** Puts a loaded schedule (replacing what stood at its level); an empty one clears the level. */
    public void put(LevelSpec level, Schedule schedule) {
        if (schedule == null || schedule.isEmpty()) {
            levels.remove(level.id());
            schedules.remove(level.id());
            return;
        }
        levels.put(level.id(), level);
        schedules.put(level.id(), schedule);
    }

    /** Adds an item at a level; returns the level's schedule to store. */
    public Schedule add(LevelSpec level, ScheduleItem item) {
        Schedule schedule = schedules.computeIfAbsent(level.id(), id -> new Schedule(level.name()));
        schedule.add(item);
        levels.put(level.id(), level);
        return schedule;
    }

    /**
     * Removes one item, or every item at the level when {@code item} is null; returns what is left
     * to store, or null when the level has no schedule any more (its key is then removed).
     */
    public Schedule remove(LevelSpec level, ScheduleItem item) {
        Schedule schedule = schedules.get(level.id());
        if (schedule == null) {
            return null;
        }
        if (item != null) {
            schedule.remove(item);
        }
        if (item == null || schedule.isEmpty()) {
            schedules.remove(level.id());
            levels.remove(level.id());
            return null;
        }
        return schedule;
    }

    /** The schedule governing an image (or namespace when {@code imageId} is null): the most specific level that has one. */
    public Schedule find(String poolId, String namespace, String imageId) {
        List<String> parts = new ArrayList<>(List.of(poolId, namespace));
        if (imageId != null) {
            parts.add(imageId);
        }
        for (int n = parts.size(); n >= 0; n--) {
            Schedule found = schedules.get(String.join("/", parts.subList(0, n)));
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Whether any schedule stands at, above or below {@code level}. */
    public boolean intersects(LevelSpec level) {
        for (LevelSpec l : levels.values()) {
            if (l.intersects(level)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What {@code schedule list} answers for a level, by level id: the level itself or its nearest
     * ancestor that has a schedule, and every level below it.
     */
    public Map<String, Schedule> list(LevelSpec level) {
        LevelSpec parent = schedules.containsKey(level.id()) ? level : nearestAncestor(level);
        Map<String, Schedule> result = new LinkedHashMap<>();
        schedules.forEach((id, schedule) -> {
            LevelSpec l = levels.get(id);
            if (l.sameLevel(parent) || l.sameLevel(level) || l.isChildOf(level)) {
                result.put(id, schedule);
            }
        });
        return result;
    }

    private LevelSpec nearestAncestor(LevelSpec level) {
        LevelSpec parent = null;
        for (LevelSpec l : levels.values()) {
            if (l.sameLevel(level)) {
                return l;
            }
            if (level.isChildOf(l) && (parent == null || l.isChildOf(parent))) {
                parent = l;
            }
        }
        return parent == null ? level : parent;
    }
}
