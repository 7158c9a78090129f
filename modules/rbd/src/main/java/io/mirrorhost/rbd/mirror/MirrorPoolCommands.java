package io.mirrorhost.rbd.mirror;

import static io.mirrorhost.rbd.mirror.MirrorImageCommands.run;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageEntry;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.Images;
import io.mirrorhost.api.cluster.MirrorImageGlobalStatus;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorMode;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeers;
import io.mirrorhost.api.cluster.MirrorSettings;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.api.format.TreeWriter;
import io.mirrorhost.rbd.spec.CommandArgs;
import io.mirrorhost.rbd.spec.PoolRef;
import io.mirrorhost.rbd.spec.SpecParser;
import io.vertx.core.Future;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** The {@code rbd mirror pool enable|disable|info|status|promote|demote} commands (MirrorPool.cc, 16.2). */
final class MirrorPoolCommands {
    static final String POOL_SPEC = "pool-spec";
    static final String MODE = "mode";

    private final Supplier<ModuleContext> context;
    private final MirrorDaemons daemons;
    private final ZoneId zone;

    MirrorPoolCommands(Supplier<ModuleContext> context, MirrorDaemons daemons, ZoneId zone) {
        this.context = context;
        this.daemons = daemons;
        this.zone = zone;
    }

    Future<CommandResult> enable(CommandRequest request) {
        MirrorOutput output = new MirrorOutput();
        return output.finish(run(() -> {
            CommandArgs args = new CommandArgs(request, POOL_SPEC, MODE);
            PoolNamespace where = SpecParser.pool(args, true).poolNamespace();
            String word = args.takePositional();
            MirrorMode mode = switch (word) {
                case "image" -> MirrorMode.IMAGE;
                case "pool" -> MirrorMode.POOL;
                default -> throw MirrorErrors.invalid("rbd: must specify 'image' or 'pool' mode.");
            };
            Cluster cluster = cluster();
            return MirrorTargets.pool(cluster, where)
                    .compose(ignored -> remoteNamespace(cluster, where, request))
                    .compose(ignored -> request.string("site-name")
                            .map(name -> cluster.mirrorSiteNameGet()
                                    .map(original -> !original.equals(name))
                                    .otherwise(false)
                                    .compose(updated -> MirrorPeerCommands.setSiteName(cluster, name).map(updated)))
                            .orElse(Future.succeededFuture(false)))
                    .compose(updated -> setMode(cluster, where, mode, updated, output));
        }));
    }

    Future<CommandResult> disable(CommandRequest request) {
        MirrorOutput output = new MirrorOutput();
        return output.finish(run(() -> {
            PoolNamespace where = SpecParser.pool(new CommandArgs(request, POOL_SPEC), true).poolNamespace();
            Cluster cluster = cluster();
            return MirrorTargets.pool(cluster, where)
                    .compose(ignored -> setMode(cluster, where, MirrorMode.DISABLED, false, output));
        }));
    }

    Future<CommandResult> info(CommandRequest request) {
        MirrorOutput output = new MirrorOutput();
        return output.finish(run(() -> {
            PoolNamespace where = SpecParser.pool(new CommandArgs(request, POOL_SPEC), true).poolNamespace();
            MirrorOutput.checkFormat(request);
            boolean all = request.flag("all");
            Cluster cluster = cluster();
            return MirrorTargets.pool(cluster, where)
                    .compose(ignored -> poolInfo(cluster, where, all))
                    .onSuccess(info -> {
                        TreeWriter writer = MirrorOutput.writer(request);
                        output.out(writer != null ? MirrorPoolInfoFormatter.structured(info, writer)
                                : MirrorPoolInfoFormatter.plain(info));
                    });
        }));
    }

    /** {@code execute_info}: mode, site name, and for a pool (not a namespace) its peers. */
    private static Future<MirrorPoolInfoFormatter.PoolInfo> poolInfo(Cluster cluster, PoolNamespace where,
                                                                     boolean all) {
        boolean namespaceLevel = !where.namespace().isEmpty();
        Future<String> siteName = cluster.mirrorSiteNameGet().recover(failure ->
                MirrorErrors.errno(failure) == Errno.EOPNOTSUPP ? Future.succeededFuture("")
                        : Future.failedFuture(MirrorErrors.silent(failure)));
        return cluster.mirrorModeGet(where).recover(silently()).compose(mode -> siteName.compose(site ->
                (namespaceLevel ? Future.succeededFuture(List.<MirrorPeer>of())
                        : cluster.mirrorPeerSiteList(where.pool()).recover(MirrorPoolCommands.<List<MirrorPeer>>silently()))
                        .compose(peers -> {
                            boolean showsSecrets = all && mode != MirrorMode.DISABLED && !namespaceLevel;
                            return attributes(cluster, where.pool(), showsSecrets ? peers : null)
                                    .compose(attributes -> renamedRemote(cluster, where, mode)
                                            .map(remote -> new MirrorPoolInfoFormatter.PoolInfo(mode, site,
                                                    namespaceLevel, peers, all ? attributes : null, remote)));
                        })));
    }

    /** A mirrored namespace's remote namespace when {@code --remote-namespace} gave it another name, else null. */
    private static Future<String> renamedRemote(MirrorSettings cluster, PoolNamespace where, MirrorMode mode) {
        if (where.namespace().isEmpty() || mode == MirrorMode.DISABLED) {
            return Future.succeededFuture(null);
        }
        return cluster.mirrorRemoteNamespaceGet(where).map(remote -> remote.equals(where.namespace()) ? null : remote)
                .otherwise((String) null);
    }

    Future<CommandResult> status(CommandRequest request) {
        MirrorOutput output = new MirrorOutput();
        return output.finish(run(() -> {
            PoolNamespace where = SpecParser.pool(new CommandArgs(request, POOL_SPEC), true).poolNamespace();
            MirrorOutput.checkFormat(request);
            boolean verbose = request.flag("verbose");
            Cluster cluster = cluster();
            return MirrorTargets.pool(cluster, where)
                    .compose(ignored -> validateEnabled(cluster, where))
                    .compose(ignored -> cluster.mirrorImageStatusSummary(where).recover(failure -> Future.failedFuture(
                            MirrorErrors.withErrno("rbd: failed to get status summary for mirrored images", failure))))
                    .compose(states -> daemons.report(where)
                            .recover(ignored -> Future.succeededFuture(MirrorDaemons.Report.NONE))
                            .compose(report -> (verbose ? images(cluster, where, report, output)
                                    : Future.<List<MirrorStatusFormatter.ImageStatus>>succeededFuture(null))
                                    .map(images -> new MirrorStatusFormatter.PoolStatus(states, report, images))))
                    .onSuccess(pool -> {
                        MirrorStatusFormatter formatter = new MirrorStatusFormatter(zone);
                        TreeWriter writer = MirrorOutput.writer(request);
                        output.out(writer != null ? formatter.poolStructured(pool, writer) : formatter.poolPlain(pool));
                    });
        }));
    }

    Future<CommandResult> promote(CommandRequest request) {
        boolean force = request.flag("force");
        return eachImage(request, "promote", "Promoted",
                info -> info.state() == MirrorImageState.ENABLED && !info.primary(),
                image -> image.mirrorPromote(force));
    }

    Future<CommandResult> demote(CommandRequest request) {
        return eachImage(request, "demote", "Demoted",
                info -> info.state() == MirrorImageState.ENABLED && info.primary(),
                Image::mirrorDemote);
    }

    /**
     * rbd's {@code ImageRequestGenerator}: every image of the pool in name order is opened, its mirror
     * info read, and the action run on those it applies to; failures are reported per image, counted
     * images are those where the action succeeded, and the first failure is the exit status.
     */
    private Future<CommandResult> eachImage(CommandRequest request, String action, String done,
                                            Predicate<MirrorImageInfo> applies,
                                            Function<Image, Future<Void>> run) {
        MirrorOutput output = new MirrorOutput();
        return output.finish(run(() -> {
            PoolNamespace where = SpecParser.pool(new CommandArgs(request, POOL_SPEC), true).poolNamespace();
            Cluster cluster = cluster();
            int[] count = {0};
            return MirrorTargets.pool(cluster, where)
                    .compose(ignored -> validateEnabled(cluster, where))
                    .compose(ignored -> listImages(cluster, where))
                    .compose(images -> {
                        Future<Void> chain = Future.succeededFuture();
                        for (ImageEntry entry : images) {
                            chain = chain.compose(ignored -> oneImage(cluster, new ImageSpec(where, entry.name()),
                                    action, applies, run, output).map(counted -> {
                                        count[0] += counted ? 1 : 0;
                                        return null;
                                    }));
                        }
                        return chain;
                    })
                    .onSuccess(ignored -> output.out(done + " " + count[0] + " mirrored images\n"));
        }));
    }

    private static Future<Boolean> oneImage(Images cluster, ImageSpec spec, String action,
                                            Predicate<MirrorImageInfo> applies,
                                            Function<Image, Future<Void>> run,
                                            MirrorOutput output) {
        return cluster.openImage(spec).compose(image -> image.mirrorInfo()
                        .compose(info -> applies.test(info) ? run.apply(image).map(true)
                                        .recover(failure -> {
                                            if (!MirrorTargets.isNotFound(failure)) {
                                                report(output, failure, "rbd: failed to " + action + " image "
                                                        + spec.name(), true);
                                            }
                                            return Future.succeededFuture(false);
                                        })
                                        : Future.succeededFuture(false),
                                failure -> {
                                    if (!MirrorTargets.isNotFound(failure)) {
                                        report(output, failure, "rbd: failed to retrieve mirror image info for "
                                                + spec.name());
                                    }
                                    return Future.succeededFuture(false);
                                })
                        .eventually(() -> image.close().recover(ignored -> Future.succeededFuture())),
                failure -> {
                    report(output, failure, "rbd: failed to open image " + spec.name());
                    return Future.succeededFuture(false);
                });
    }

    private static void report(MirrorOutput output, Throwable failure, String text) {
        report(output, failure, text, false);
    }

    /** A per-image failure: printed, remembered for the exit status, and the iteration goes on. */
    private static void report(MirrorOutput output, Throwable failure, String text, boolean withLibrbdLine) {
        Throwable mapped = withLibrbdLine ? MirrorErrors.afterWithErrno(text, failure)
                : MirrorErrors.withErrno(text, failure);
        if (mapped instanceof CommandException ce) {
            output.failed(ce);
        } else {
            output.failed(new CommandException(Errno.EIO, text + ": " + Errno.EIO.describe()));
        }
    }

    private Future<List<MirrorStatusFormatter.ImageStatus>> images(Cluster cluster, PoolNamespace where,
                                                                   MirrorDaemons.Report report, MirrorOutput output) {
        return MirrorImageCommands.poolPeers(cluster, where.pool(), output)
                .compose(peers -> cluster.mirrorImageGlobalStatusList(where)
                        .recover(failure -> Future.failedFuture(
                                MirrorErrors.withErrno("rbd: failed to list images within pool", failure)))
                        .map(statuses -> statuses.stream()
                                .filter(status -> !status.info().globalId().isEmpty())
                                .sorted(Comparator.comparing(MirrorImageGlobalStatus::name))
                                .map(status -> imageStatus(status, peers, report))
                                .toList()));
    }

    private static MirrorStatusFormatter.ImageStatus imageStatus(MirrorImageGlobalStatus status, List<MirrorPeer> peers,
                                                                 MirrorDaemons.Report report) {
        SiteStatuses sites = SiteStatuses.of(status, peers);
        boolean up = sites.local().map(s -> s.up()).orElse(false);
        MirrorService service = up ? report.serviceOfInstance(report.imageInstanceIds().get(status.imageId())) : null;
        return new MirrorStatusFormatter.ImageStatus(status.name(), status.info().globalId(), sites,
                SiteStatuses.peerNames(peers), service, List.of());
    }

    private static Future<List<ImageEntry>> listImages(Images cluster, PoolNamespace where) {
        return cluster.listImages(where)
                .recover(failure -> MirrorTargets.isNotFound(failure) ? Future.succeededFuture(List.of())
                        : Future.failedFuture(new CommandException(MirrorErrors.errno(failure),
                                "rbd: failed to list images within pool")))
                .map(images -> images.stream().sorted(Comparator.comparing(ImageEntry::name)).toList());
    }

    /** {@code validate_mirroring_enabled} of MirrorPool.cc. */
    static Future<Void> validateEnabled(MirrorSettings cluster, PoolNamespace where) {
        return cluster.mirrorModeGet(where)
                .recover(failure -> Future.failedFuture(
                        MirrorErrors.withErrno("rbd: failed to retrieve mirror mode", failure)))
                .compose(mode -> mode == MirrorMode.DISABLED
                        ? Future.failedFuture(MirrorErrors.invalid("rbd: mirroring not enabled on the pool"))
                        : Future.succeededFuture());
    }

    /** {@code execute_enable_disable} of MirrorPool.cc. */
    private static Future<Void> setMode(MirrorSettings cluster, PoolNamespace where, MirrorMode next,
                                        boolean siteNameUpdated, MirrorOutput output) {
        return cluster.mirrorModeGet(where)
                .recover(failure -> Future.failedFuture(
                        MirrorErrors.withErrno("rbd: failed to retrieve mirror mode", failure)))
                .compose(current -> {
                    if (current == next) {
                        if (!siteNameUpdated) {
                            output.out(next == MirrorMode.DISABLED ? "rbd: mirroring is already disabled\n"
                                    : "rbd: mirroring is already configured for " + next.label() + " mode\n");
                        }
                        return Future.succeededFuture();
                    }
                    if (next == MirrorMode.IMAGE && current == MirrorMode.POOL) {
                        output.out("note: changing mirroring mode from pool to image\n");
                    } else if (next == MirrorMode.POOL && current == MirrorMode.IMAGE) {
                        output.out("note: changing mirroring mode from image to pool\n");
                    }
                    return cluster.mirrorModeSet(where, next).recover(silently());
                });
    }

    /**
     * {@code --remote-namespace} (rbd after 16.2): set only when given and different from the current one,
     * so a backend without remote namespaces serves the 16.2 syntax unchanged.
     */
    private static Future<Void> remoteNamespace(MirrorSettings cluster, PoolNamespace where, CommandRequest request) {
        return request.string("remote-namespace").map(remote -> cluster.mirrorRemoteNamespaceGet(where)
                        .recover(failure -> Future.failedFuture(after("rbd: failed to get the current remote namespace.",
                                failure)))
                        .compose(original -> original.equals(remote) ? Future.<Void>succeededFuture()
                                : cluster.mirrorRemoteNamespaceSet(where, remote).recover(failure -> Future.failedFuture(
                                        after("rbd: failed to set the remote namespace.", failure)))))
                .orElse(Future.succeededFuture());
    }

    private static Future<Map<String, Map<String, String>>> attributes(MirrorPeers cluster, String pool,
                                                                       List<MirrorPeer> peers) {
        Map<String, Map<String, String>> attributes = new HashMap<>();
        if (peers == null) {
            return Future.succeededFuture(attributes);
        }
        Future<Void> chain = Future.succeededFuture();
        for (MirrorPeer peer : peers) {
            chain = chain.compose(ignored -> MirrorPeerCommands.peerAttributes(cluster, pool, peer.uuid())
                    .map(found -> {
                        attributes.put(peer.uuid(), found.orElse(Map.of()));
                        return null;
                    }));
        }
        return chain.map(attributes);
    }

    private static Throwable after(String text, Throwable failure) {
        return MirrorErrors.after(text, failure);
    }

    private static <T> Function<Throwable, Future<T>> silently() {
        return failure -> Future.failedFuture(MirrorErrors.silent(failure));
    }

    private Cluster cluster() {
        return MirrorTargets.running(context).cluster();
    }
}
