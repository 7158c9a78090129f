package io.mirrorhost.status;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mirrorhost.api.cluster.MirrorImageStatusState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Publishes the last collected status as Prometheus metrics. */
public final class MirrorStatusMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge images;
    private final AtomicReference<SiteMirrorStatus> last = new AtomicReference<>(SiteMirrorStatus.empty());

    public MirrorStatusMetrics() {
        images = MultiGauge.builder("mirrorhost_mirror_images")
                .description("Mirrored images by pool, namespace and replay state")
                .register(registry);
        Gauge.builder("mirrorhost_mirror_health", last, s -> s.get().health().ordinal())
                .description("Worst image health of the site: 0 OK, 1 WARNING, 2 ERROR")
                .register(registry);
        Gauge.builder("mirrorhost_mirror_status_collect_errors", last, s -> s.get().lastError() == null ? 0 : 1)
                .description("1 when the last status collection failed")
                .register(registry);
    }

    public void update(SiteMirrorStatus status) {
        last.set(status);
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (NamespaceMirrorStatus ns : status.namespaces()) {
            for (MirrorImageStatusState state : MirrorImageStatusState.values()) {
                int count = ns.states().getOrDefault(state, 0);
                rows.add(MultiGauge.Row.of(Tags.of("pool", ns.where().pool(), "namespace", ns.where().namespace(),
                        "state", state.label()), count));
            }
        }
        images.register(rows, true);
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }
}
