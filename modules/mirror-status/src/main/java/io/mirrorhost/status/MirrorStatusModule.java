package io.mirrorhost.status;

import io.mirrorhost.api.Clock;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.OptionSpec;
import io.mirrorhost.api.RunMode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;

/**
 * Aggregates the mirroring status of every pool and namespace of the site on a timer and serves
 * it over HTTP as JSON ({@code /api/v1/mirror-status/summary}) and Prometheus metrics
 * ({@code /api/v1/mirror-status/metrics}).
 */
public final class MirrorStatusModule implements MgrModule {
    static final OptionSpec<Duration> REFRESH_INTERVAL = OptionSpec.seconds("refresh_interval", 30,
            "Seconds between two collections of the site's mirroring status").withRange(1L, 3600L);

    private final MirrorStatusMetrics metrics = new MirrorStatusMetrics();
    private volatile SiteMirrorStatus last = SiteMirrorStatus.empty();
    private ModuleContext context;
    private MirrorStatusCollector collector;
    private Clock.Timer timer;

    @Override
    public String name() {
        return "mirror-status";
    }

    @Override
    public RunMode runMode() {
        return RunMode.EVERYWHERE;
    }

    @Override
    public String description() {
        return "Mirroring status of every pool and namespace: JSON summary and Prometheus metrics";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(REFRESH_INTERVAL);
    }

    @Override
    public void routes(Router router, ModuleContext ctx) {
        router.get("/summary").handler(rc -> rc.json(toJson(last)));
        router.get("/metrics").handler(rc -> rc.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape()));
    }

    @Override
    public Future<Void> start(ModuleContext ctx) {
        this.context = ctx;
        this.collector = new MirrorStatusCollector(ctx.cluster(), ctx.clock());
        scheduleCollection();
        return refresh().mapEmpty();
    }

    @Override
    public Future<Void> stop() {
        if (timer != null) {
            timer.cancel();
        }
        return Future.succeededFuture();
    }

    @Override
    public void optionChanged(OptionSpec<?> option) {
        if (option == REFRESH_INTERVAL && timer != null) {
            timer.cancel();
            scheduleCollection();
        }
    }

    private void scheduleCollection() {
        timer = context.clock().every(context.option(REFRESH_INTERVAL), this::refresh);
    }

    /** One collection; a failure is kept as the status' last error, never thrown at the host. */
    Future<SiteMirrorStatus> refresh() {
        return collector.collect()
                .recover(failure -> {
                    context.logger().warn("collecting mirror status failed: {}", failure.getMessage());
                    return Future.succeededFuture(new SiteMirrorStatus(context.clock().now(), last.namespaces(),
                            failure.getMessage()));
                })
                .onSuccess(status -> {
                    last = status;
                    metrics.update(status);
                });
    }

    static JsonObject toJson(SiteMirrorStatus status) {
        JsonArray namespaces = new JsonArray();
        for (NamespaceMirrorStatus ns : status.namespaces()) {
            JsonObject states = new JsonObject();
            ns.states().forEach((state, count) -> {
                if (count > 0) {
                    states.put(state.label(), count);
                }
            });
            namespaces.add(new JsonObject()
                    .put("pool", ns.where().pool())
                    .put("namespace", ns.where().namespace())
                    .put("mode", ns.mode().label())
                    .put("health", ns.imageHealth().name())
                    .put("image_count", ns.imageCount())
                    .put("states", states));
        }
        return new JsonObject()
                .put("collected_at", status.collectedAt() == null ? null : status.collectedAt().toString())
                .put("health", status.health().name())
                .put("last_error", status.lastError())
                .put("namespaces", namespaces);
    }
}
