package io.mirrorhost.schedule;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * {@code GET status} (every scheduled image with its next run, last run and last error; optional
 * {@code pool}, {@code namespace}, {@code image} query parameters) and {@code GET schedules} (every
 * schedule, as the manager's {@code schedule list} answers).
 */
final class ScheduleRoutes {
    private final Supplier<ScheduleRuntime> runtime;

    ScheduleRoutes(Supplier<ScheduleRuntime> runtime) {
        this.runtime = runtime;
    }

    void mount(Router router) {
        router.get("/status").handler(this::status);
        router.get("/schedules").handler(this::schedules);
    }

    private void status(RoutingContext ctx) {
        ScheduleRuntime r = runtime.get();
        if (r == null) {
            notRunning(ctx);
            return;
        }
        String name;
        try {
            name = LevelArgs.levelName(new io.mirrorhost.api.CommandRequest("status", queryArgs(ctx)));
        } catch (io.mirrorhost.api.CommandException e) {
            reply(ctx, 400, new JsonObject().put("code", -22).put("error", e.getMessage()));
            return;
        }
        // Built inside map() so that a failure while building still answers instead of leaving the request open.
        r.store().resolveName(name).map(level -> {
            JsonArray images = new JsonArray();
            r.scheduler().status(level).forEach(i -> images.add(new JsonObject(i.toMap())));
            return new JsonObject().put("scheduled_images", images).put("leader", r.scheduler().isLeader());
        }).onSuccess(body -> reply(ctx, 200, body)).onFailure(e -> reply(ctx, e instanceof ScheduleException ? 400 : 500,
                new JsonObject().put("code", -22).put("error", e.getMessage())));
    }

    private void schedules(RoutingContext ctx) {
        ScheduleRuntime r = runtime.get();
        if (r == null) {
            notRunning(ctx);
            return;
        }
        // Built inside map() so that a failure while building still answers instead of leaving the request open.
        r.scheduler().withSchedules(set -> {
            java.util.Map<String, Schedule> copies = new java.util.TreeMap<>();
            set.list(LevelSpec.global()).forEach((id, s) -> copies.put(id, s.copy()));
            return copies;
        }).map(listed -> {
            JsonObject result = new JsonObject();
            listed.forEach((id, schedule) -> {
                JsonArray items = new JsonArray();
                schedule.items().forEach(item -> items.add(new JsonObject().put("interval", item.interval().toString())
                        .put("start_time", item.startTime() == null ? null : item.startTime().toString())));
                result.put(id, new JsonObject().put("name", schedule.name()).put("schedule", items));
            });
            return result;
        }).onSuccess(body -> reply(ctx, 200, body)).onFailure(e -> reply(ctx, 500,
                new JsonObject().put("code", -5).put("error", String.valueOf(e.getMessage()))));
    }

    private static java.util.Map<String, Object> queryArgs(RoutingContext ctx) {
        java.util.Map<String, Object> args = new java.util.HashMap<>();
        for (String key : new String[] {"pool", "namespace", "image"}) {
            String value = ctx.request().getParam(key);
            if (value != null) {
                args.put(key, value);
            }
        }
        return args;
    }

    private static void notRunning(RoutingContext ctx) {
        reply(ctx, 503, new JsonObject().put("code", -11).put("error", "mirror-snapshot-schedule is not running"));
    }

    private static void reply(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}
