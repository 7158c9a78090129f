package io.mirrorhost.schedule;

import io.mirrorhost.api.OutputFormat;
import io.mirrorhost.api.format.TextTable;
import io.mirrorhost.api.format.TreeWriter;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code rbd mirror snapshot schedule ls|status} print, plain, JSON and XML, as rbd prints them. */
final class ScheduleOutput {
    /** rbd's {@code parse_schedule_name}: unlike the manager's, a namespace here is never empty. */
    private static final Pattern CLI_NAME = Pattern.compile("^(?:([^/]+)/(?:(?:([^/]+)/|)(?:([^/@]+))?)?)?$");

    private ScheduleOutput() {
    }

    /** One level's schedule ({@code ls} without {@code --recursive}). */
    static String level(Schedule schedule, OutputFormat format, boolean pretty) {
        if (format == OutputFormat.PLAIN) {
            return schedule.describe() + "\n";
        }
        TreeWriter w = TreeWriter.of(format, pretty);
        items(w, schedule);
        return w.finish();
    }

    /** Every listed level, by name in rbd's order ({@code ls --recursive}). */
    static String levels(SortedMap<String, Schedule> byName, OutputFormat format, boolean pretty) {
        if (format == OutputFormat.PLAIN) {
            TextTable table = TextTable.leftAligned("POOL", "NAMESPACE", "IMAGE", "SCHEDULE");
            byName.forEach((name, schedule) -> {
                String[] parts = cliName(name);
                if (parts != null) {
                    table.row(parts[0], parts[1], parts[2], schedule.describe());
                }
            });
            return table.render();
        }
        TreeWriter w = TreeWriter.of(format, pretty);
        w.openArray("schedules");
        byName.forEach((name, schedule) -> {
            String[] parts = cliName(name);
            if (parts != null) {
                w.openObject("schedule").string("pool", parts[0]).string("namespace", parts[1])
                        .string("image", parts[2]);
                items(w, schedule);
                w.close();
            }
        });
        return w.close().finish();
    }

    private static void items(TreeWriter w, Schedule schedule) {
        w.openArray("items");
        for (ScheduleItem item : schedule.items()) {
            w.openObject("item").string("interval", item.interval().toString())
                    .string("start_time", item.startTime() == null ? "" : item.startTime().toString()).close();
        }
        w.close();
    }

    /** Pool, namespace and image columns of a level name, {@code -} where the level does not reach. */
    private static String[] cliName(String name) {
        Matcher m = CLI_NAME.matcher(name);
        if (!m.matches()) {
            return null;
        }
        String pool = m.group(1) != null ? m.group(1) : "-";
        String namespace = m.group(2) != null ? m.group(2) : m.group(3) != null ? "" : "-";
        String image = m.group(3) != null ? m.group(3) : "-";
        return new String[] {pool, namespace, image};
    }

    /**
     * The scheduled images ({@code status}). Beyond rbd, the structured formats add
     * {@code last_run} and {@code last_error} to an image once the scheduler has run it.
     */
    static String status(List<ScheduledImage> images, OutputFormat format, boolean pretty) {
        if (format == OutputFormat.PLAIN) {
            TextTable table = TextTable.leftAligned("SCHEDULE TIME", "IMAGE");
            images.forEach(i -> table.row(i.scheduleTime(), i.image()));
            return table.render();
        }
        TreeWriter w = TreeWriter.of(format, pretty);
        w.openArray("scheduled_images");
        for (ScheduledImage i : images) {
            w.openObject("image").string("schedule_time", i.scheduleTime()).string("image", i.image());
            if (i.lastRun() != null) {
                w.string("last_run", i.lastRun());
            }
            if (i.lastError() != null) {
                w.string("last_error", i.lastError());
            }
            w.close();
        }
        return w.close().finish();
    }

    /** The structured form of status for the HTTP API. */
    static Map<String, Object> statusJson(List<ScheduledImage> images) {
        return Map.of("scheduled_images", images.stream().map(ScheduledImage::toMap).toList());
    }
}
