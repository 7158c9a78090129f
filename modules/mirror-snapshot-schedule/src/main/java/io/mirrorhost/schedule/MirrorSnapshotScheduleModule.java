package io.mirrorhost.schedule;

import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.MgrModule;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.OptionSpec;
import io.mirrorhost.api.RunMode;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Mirror-snapshot schedules (Ceph's {@code rbd_support} mirror_snapshot_schedule handler): the
 * {@code mirror snapshot schedule} commands, the scheduler that takes the snapshots, and
 * {@code /api/v1/mirror-snapshot-schedule/} routes for status.
 *
 * <p>Where things are: the schedule data model, pure ({@link LevelSpec}, {@link Interval},
 * {@link StartTime}, {@link ScheduleItem}, {@link Schedule}, {@link ScheduleSet}), and its storage
 * where Ceph keeps it ({@link ScheduleStore}); the scheduler's decisions, pure, in
 * {@link ScheduleQueue} (events in, {@link ScheduleAction}s out, tested as tables); its I/O in
 * {@link SnapshotScheduler} (scans, watches, {@link RunRecord}s through {@link RunRecordStore},
 * snapshots), confined to the module's context ({@link ModuleLoop}) with heavy steps
 * {@link OffLoop off it}, acting only while the host says this instance leads the site, its writes
 * fenced with the leader's term ({@link LeaderWrites});
 * the commands in {@link ScheduleCommands}, the routes in {@link ScheduleRoutes}, both reading
 * status from the queue's published {@link StatusView}.
 */
public final class MirrorSnapshotScheduleModule implements MgrModule {
    static final OptionSpec<Long> MAX_CONCURRENT = OptionSpec.integer("max_concurrent_snap_create", 10,
            "snapshots created at the same time at most").withRange(1L, 1000L);
    static final OptionSpec<Duration> REFRESH_INTERVAL = OptionSpec.seconds("refresh_interval", 60,
            "seconds between rescans of pools and images").withRange(1L, 86400L);

    private final Function<ModuleContext, ModuleLoop> loop;
    private final Function<ModuleContext, OffLoop> offLoop;
    private volatile ScheduleRuntime runtime;
    private volatile SnapshotScheduler scheduler;

    /** On the context it is started on (the module verticle's, in a host), heavy steps on Vert.x's worker pool. */
    public MirrorSnapshotScheduleModule() {
        this.loop = context -> ModuleLoop.on(context.vertx().getOrCreateContext());
        this.offLoop = context -> OffLoop.workersOf(context.vertx());
    }

    /**
     * For tests that drive the module from one thread (a FakeClock, a cluster that answers at once):
     * its steps run on the calling thread, its heavy steps by {@code offLoop}.
     */
    MirrorSnapshotScheduleModule(Function<ModuleContext, OffLoop> offLoop) {
        this.loop = context -> ModuleLoop.inline();
        this.offLoop = offLoop;
    }

    @Override
    public String name() {
        return "mirror-snapshot-schedule";
    }

    /** Snapshots are taken by the site's leader only. */
    @Override
    public RunMode runMode() {
        return RunMode.LEADER;
    }

    @Override
    public String description() {
        return "Creates mirror-snapshots of snapshot-mirrored images on schedules";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(MAX_CONCURRENT, REFRESH_INTERVAL);
    }

    @Override
    public List<CommandSpec> commands() {
        return new ScheduleCommands(() -> runtime).specs();
    }

    @Override
    public void routes(Router router, ModuleContext context) {
        new ScheduleRoutes(() -> runtime).mount(router);
    }

    @Override
    public Future<Void> start(ModuleContext context) {
        String owner = context.siteName() + "/" + UUID.randomUUID();
        ScheduleStore store = new ScheduleStore(context.cluster(), context.store(), context.logger());
        RunRecordStore runs = new RunRecordStore(context.cluster(), context.logger());
        SnapshotScheduler s = new SnapshotScheduler(context.cluster(), context.clock(), store, runs,
                context.leadership(), owner,
                context.logger(), () -> context.option(MAX_CONCURRENT).intValue(),
                context.option(REFRESH_INTERVAL), loop.apply(context), offLoop.apply(context));
        scheduler = s;
        return s.start().map(v -> {
            runtime = new ScheduleRuntime(context.cluster(), store, s);
            return null;
        });
    }

    @Override
    public Future<Void> stop() {
        SnapshotScheduler s = scheduler;
        runtime = null;
        scheduler = null;
        return s == null ? Future.succeededFuture() : s.stop();
    }

    /** Stops as a crash would (claims stay unsettled); for failover tests. */
    void crash() {
        SnapshotScheduler s = scheduler;
        runtime = null;
        scheduler = null;
        if (s != null) {
            s.crash();
        }
    }

    int queueLength() {
        SnapshotScheduler s = scheduler;
        return s == null ? 0 : s.queueLength();
    }

    boolean isLeader() {
        SnapshotScheduler s = scheduler;
        return s != null && s.isLeader();
    }
}
