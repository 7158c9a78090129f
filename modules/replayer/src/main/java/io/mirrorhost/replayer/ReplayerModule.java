package io.mirrorhost.replayer;

import io.mirrorhost.api.Clock;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.OptionSpec;
import io.mirrorhost.api.RunMode;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.replayer.snapshot.BandwidthLimiter;
import io.mirrorhost.replayer.snapshot.SyncThrottle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rbd-mirror daemon's job. On every refresh it reads the local pools' mirroring configuration,
 * decides which pool replayers should run ({@link PoolReplayerPlanner}) and starts, stops or
 * restarts them; their status is served at {@code /api/v1/replayer/status}.
 */
public final class ReplayerModule implements MgrModule {
    static final OptionSpec<Duration> REFRESH_INTERVAL = OptionSpec.seconds("pool_replayers_refresh_interval", 30,
            "Seconds between two reads of the pools' mirroring configuration").withRange(1L, 3600L);
    static final OptionSpec<Long> CONCURRENT_IMAGE_SYNCS = OptionSpec.integer("concurrent_image_syncs", 5,
            "Images copied at the same time (rbd_mirror_concurrent_image_syncs)").withRange(1L, 1024L);
    static final OptionSpec<Long> OBJECTS_IN_FLIGHT = OptionSpec.integer("concurrent_object_copies", 10,
            "Objects one image copy keeps in flight (rbd_concurrent_management_ops)").withRange(1L, 1024L);
    static final OptionSpec<Long> BANDWIDTH_LIMIT = OptionSpec.size("bandwidth_limit", "0",
            "Bytes per second all image copies of this site may read from peers; 0 for no limit").withRange(0L, null);
    static final OptionSpec<Long> MAX_MIRRORING_SNAPSHOTS = OptionSpec.integer("max_mirroring_snapshots", 5,
            "Mirror-snapshots an image keeps (rbd_mirroring_max_mirroring_snapshots)").withRange(3L, null);
    static final OptionSpec<String> DEFAULT_DATA_POOL = OptionSpec.text("default_data_pool", "",
            "Data pool of the images this site creates as copies (rbd_default_data_pool)");

    private final Map<String, PoolReplayer> replayers = new LinkedHashMap<>();
    private final SyncThrottle syncs = new SyncThrottle(5);
    private final BandwidthLimiter bandwidth = new BandwidthLimiter(0);
    private ReplayerShared shared;
    private ModuleContext context;
    private Clock.Timer timer;
    private String lastError;
    private boolean refreshing;
    private Future<Void> lastRefresh = Future.succeededFuture();
    private ServiceDaemonReporter serviceDaemon;

    @Override
    public String name() {
        return "replayer";
    }

    @Override
    public RunMode runMode() {
        return RunMode.SPREAD;
    }

    @Override
    public String description() {
        return "Pulls mirrored images from peer sites and replays them locally (the rbd-mirror daemon)";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(REFRESH_INTERVAL, CONCURRENT_IMAGE_SYNCS, OBJECTS_IN_FLIGHT, BANDWIDTH_LIMIT,
                MAX_MIRRORING_SNAPSHOTS, DEFAULT_DATA_POOL);
    }

    @Override
    public void routes(Router router, ModuleContext ctx) {
        router.get("/status").handler(rc -> rc.json(status()));
    }

    @Override
    public Future<Void> start(ModuleContext ctx) {
        this.context = ctx;
        applyThrottles();
        AssignedImages assigned = new AssignedImages(ctx.assignment());
        ctx.assignment().onChange(assigned::changed);
        shared = new ReplayerShared(syncs, bandwidth, () -> ctx.option(OBJECTS_IN_FLIGHT).intValue(),
                () -> ctx.option(MAX_MIRRORING_SNAPSHOTS).intValue(), () -> ctx.option(DEFAULT_DATA_POOL), assigned);
        schedule();
        serviceDaemon = ServiceDaemonReporter.start(ctx, this::status);
        return refresh();
    }

    @Override
    public Future<Void> stop() {
        if (timer != null) {
            timer.cancel();
        }
        List<Future<Void>> stops = replayers.values().stream().map(PoolReplayer::stop).toList();
        replayers.clear();
        return Future.all(stops).eventually(() -> serviceDaemon == null ? Future.succeededFuture()
                : serviceDaemon.stop()).mapEmpty();
    }

    @Override
    public void optionChanged(OptionSpec<?> option) {
        if (option == REFRESH_INTERVAL && timer != null) {
            timer.cancel();
            schedule();
        }
        if (context != null && (option == CONCURRENT_IMAGE_SYNCS || option == BANDWIDTH_LIMIT)) {
            applyThrottles();
        }
    }

    private void applyThrottles() {
        syncs.setLimit(context.option(CONCURRENT_IMAGE_SYNCS).intValue());
        bandwidth.setLimit(context.option(BANDWIDTH_LIMIT));
    }

    private void schedule() {
        timer = context.clock().every(context.option(REFRESH_INTERVAL), this::refresh);
    }

    /** One refresh; overlapping ticks are skipped, failures recorded, never thrown at the host. */
    Future<Void> refresh() {
        if (refreshing) {
            return lastRefresh;
        }
        refreshing = true;
        lastRefresh = readConfigs()
                .compose(configs -> {
                    lastError = null;
                    return reconcile(PoolReplayerPlanner.plan(configs));
                })
                .recover(failure -> {
                    lastError = failure.getMessage();
                    context.logger().warn("reading the pools' mirroring configuration failed: {}", lastError);
                    return Future.succeededFuture();
                })
                .onComplete(ar -> refreshing = false);
        return lastRefresh;
    }

    /** The image syncs running and waiting for a slot (tests wait on them). */
    SyncThrottle syncs() {
        return syncs;
    }

    /** The refresh running or last run (tests wait on it after moving the clock). */
    Future<Void> lastRefresh() {
        return lastRefresh;
    }

    private Future<List<PoolMirrorConfig>> readConfigs() {
        Cluster cluster = context.cluster();
        return cluster.listPools().compose(pools -> {
            List<Future<PoolMirrorConfig>> reads = new ArrayList<>();
            for (PoolInfo pool : pools) {
                reads.add(cluster.mirrorModeGet(PoolNamespace.of(pool.name()))
                        .compose(mode -> cluster.mirrorPeerSiteList(pool.name())
                                .map(peers -> new PoolMirrorConfig(pool.name(), mode, peers))));
            }
            return Future.all(reads).map(all -> all.<PoolMirrorConfig>list());
        });
    }

    private Future<Void> reconcile(Map<String, PoolReplayerTarget> wanted) {
        List<Future<Void>> work = new ArrayList<>();
        for (var it = replayers.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            PoolReplayerTarget target = wanted.get(entry.getKey());
            if (target == null || !target.equals(entry.getValue().target()) || !entry.getValue().running()) {
                work.add(entry.getValue().stop());
                it.remove();
            } else {
                work.add(entry.getValue().poll());
            }
        }
        for (PoolReplayerTarget target : wanted.values()) {
            if (!replayers.containsKey(target.pool())) {
                PoolReplayer replayer = new PoolReplayer(target, context, shared);
                replayers.put(target.pool(), replayer);
                work.add(replayer.start());
            }
        }
        return Future.join(work).otherwiseEmpty().mapEmpty();
    }

    JsonObject status() {
        JsonObject pools = new JsonObject();
        replayers.forEach((pool, replayer) -> pools.put(pool, replayer.status()));
        return new JsonObject().put("pools", pools).put("last_error", lastError);
    }
}
