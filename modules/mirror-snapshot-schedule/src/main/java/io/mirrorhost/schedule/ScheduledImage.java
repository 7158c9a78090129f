package io.mirrorhost.schedule;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An image in the schedule queue, as {@code status} shows it.
 *
 * @param scheduleTime its next run, {@code 2026-01-01 14:00:00} (UTC)
 * @param image        {@code pool/image} or {@code pool/namespace/image}
 * @param lastRun      when the last scheduled snapshot was taken or tried (ISO 8601), or null
 * @param lastError    why the last try failed, or null
 */
public record ScheduledImage(String scheduleTime, String image, String lastRun, String lastError) {

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("schedule_time", scheduleTime);
        map.put("image", image);
        map.put("last_run", lastRun);
        map.put("last_error", lastError);
        return map;
    }
}
