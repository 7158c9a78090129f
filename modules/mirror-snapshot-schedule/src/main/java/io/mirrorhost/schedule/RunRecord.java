package io.mirrorhost.schedule;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDateTime;

/**
 * What the cluster remembers of one image's scheduled snapshots, so that any host instance can
 * take over: runs due up to {@code lastDue} are accounted for (taken, failed, or not owed because
 * the image was first seen then); a {@code claim} says an instance started the run due at
 * {@code claim.due} and may have died before recording it.
 *
 * @param lastDue   schedule time (UTC wall time) of the last run accounted for
 * @param lastRun   when the last snapshot was taken or tried, or null
 * @param lastError why the last try failed, or null
 * @param snapId    the last snapshot taken, or null
 * @param claim     a run in progress, or null
 */
public record RunRecord(LocalDateTime lastDue, Instant lastRun, String lastError, Long snapId, Claim claim) {

    /** An instance started the run due at {@code due}, at {@code at}. */
    public record Claim(LocalDateTime due, String owner, Instant at) {
    }

    static RunRecord baseline(LocalDateTime due) {
        return new RunRecord(due, null, null, null, null);
    }

    RunRecord claimed(Claim c) {
        return new RunRecord(lastDue, lastRun, lastError, snapId, c);
    }

    RunRecord succeeded(LocalDateTime due, Instant at, long snap) {
        return new RunRecord(due, at, null, snap, null);
    }

    RunRecord failed(LocalDateTime due, Instant at, String error) {
        return new RunRecord(due, at, error, snapId, null);
    }

    RunRecord skipped(LocalDateTime due) {
        return new RunRecord(due, lastRun, lastError, snapId, null);
    }

    String toJson() {
        JsonObject json = new JsonObject().put("last_due", lastDue.toString());
        if (lastRun != null) {
            json.put("last_run", lastRun.toString());
        }
        if (lastError != null) {
            json.put("last_error", lastError);
        }
        if (snapId != null) {
            json.put("snap_id", snapId);
        }
        if (claim != null) {
            json.put("claim", new JsonObject().put("due", claim.due().toString()).put("owner", claim.owner())
                    .put("at", claim.at().toString()));
        }
        return json.encode();
    }

    static RunRecord fromJson(String text) {
        JsonObject json = new JsonObject(text);
        JsonObject c = json.getJsonObject("claim");
        Claim claim = c == null ? null
                : new Claim(LocalDateTime.parse(c.getString("due")), c.getString("owner"), Instant.parse(c.getString("at")));
        String lastRun = json.getString("last_run");
        return new RunRecord(LocalDateTime.parse(json.getString("last_due")),
                lastRun == null ? null : Instant.parse(lastRun), json.getString("last_error"),
                json.getLong("snap_id"), claim);
    }
}
