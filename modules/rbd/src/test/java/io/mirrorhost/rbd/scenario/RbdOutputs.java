package io.mirrorhost.rbd.scenario;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** What the scenarios compare outputs without: the times rbd prints ({@code Wed Nov 25 14:00:14 2026}). */
final class RbdOutputs {
    static final String TIME = "<time>";

    private RbdOutputs() {
    }

    /** {@code text} with every ctime-formatted timestamp replaced by {@value #TIME}. */
    static String withoutTimes(String text) {
        return text.replaceAll("[A-Z][a-z]{2} [A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} \\d{4}", TIME);
    }

    /**
     * Standard error with only the last of its progress updates (and the lines before them, librbd's log):
     * how many updates there are depends on the backend's progress callbacks (librbd reports per object),
     * what the operator is left with does not.
     */
    static String withoutProgress(String stderr) {
        return stderr.replaceAll("\r[^\r\n]*(?=\r)", "").replace("\r", "");
    }

    static JsonObject object(String json) {
        return new JsonObject(json);
    }

    static JsonArray array(String json) {
        return new JsonArray(json);
    }
}
