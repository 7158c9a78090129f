package io.mirrorhost.replayer;

import io.mirrorhost.api.ArgType;
import io.mirrorhost.api.Clock;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.OptionSpec;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.PoolInfo;
import io.mirrorhost.api.cluster.PoolNamespace;
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
    static final String REFRESH_INTERVAL = "pool_replayers_refresh_interval";

    private final Map<String, PoolReplayer> replayers = new LinkedHashMap<>();
    private ModuleContext context;
    private Clock.Timer timer;
    private String lastError;
    private boolean refreshing;

    @Override
    public String name() {
        return "replayer";
    }

    @Override
    public String description() {
        return "Pulls mirrored images from peer sites and replays them locally (the rbd-mirror daemon)";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(OptionSpec.of(REFRESH_INTERVAL, ArgType.INT, "30",
                "Seconds between two reads of the pools' mirroring configuration").withRange(1L, 3600L));
    }

    @Override
    public void routes(Router router, ModuleContext ctx) {
        router.get("/status").handler(rc -> rc.json(status()));
    }

    @Override
    public Future<Void> start(ModuleContext ctx) {
        this.context = ctx;
        schedule();
        return refresh();
    }

    @Override
    public Future<Void> stop() {
        if (timer != null) {
            timer.cancel();
        }
        List<Future<Void>> stops = replayers.values().stream().map(PoolReplayer::stop).toList();
        replayers.clear();
        return Future.all(stops).mapEmpty();
    }

    @Override
    public void optionChanged(String option) {
        if (REFRESH_INTERVAL.equals(option) && timer != null) {
            timer.cancel();
            schedule();
        }
    }

    private void schedule() {
        timer = context.clock().every(Duration.ofSeconds(context.longOption(REFRESH_INTERVAL)), this::refresh);
    }

    /** One refresh; overlapping ticks are skipped, failures recorded, never thrown at the host. */
    Future<Void> refresh() {
        if (refreshing) {
            return Future.succeededFuture();
        }
        refreshing = true;
        return readConfigs()
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
                PoolReplayer replayer = new PoolReplayer(target, context);
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
