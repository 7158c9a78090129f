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

    static JsonObject object(String json) {
        return new JsonObject(json);
    }

    static JsonArray array(String json) {
        return new JsonArray(json);
    }
}
