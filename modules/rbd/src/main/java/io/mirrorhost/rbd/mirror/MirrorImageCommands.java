package io.mirrorhost.rbd.mirror;

import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageMode;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeers;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import io.mirrorhost.api.format.TreeWriter;
import io.mirrorhost.rbd.spec.CommandArgs;
import io.mirrorhost.rbd.spec.ImageRef;
import io.mirrorhost.rbd.spec.SpecParser;
import io.vertx.core.Future;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** The {@code rbd mirror image ...} commands (MirrorImage.cc, 16.2). */
final class MirrorImageCommands {
    static final String IMAGE_SPEC = "image-spec";
    static final String MODE = "mode";

    private final Supplier<ModuleContext> context;
    private final MirrorDaemons daemons;
    private final ZoneId zone;

    MirrorImageCommands(Supplier<ModuleContext> context, MirrorDaemons daemons, ZoneId zone) {
        this.context = context;
        this.daemons = daemons;
        this.zone = zone;
    }

    Future<CommandResult> enable(CommandRequest request) {
        MirrorOutput output = new MirrorOutput();
        return output.finish(run(() -> {
            CommandArgs args = new CommandArgs(request, IMAGE_SPEC, MODE);
            ImageRef ref = imageRef(args);
            return MirrorTargets.withImage(cluster(), ref.imageSpec(), image -> {
                String word = args.takePositional();
                MirrorImageMode mode = switch (word) {
                    case "", "journal" -> MirrorImageMode.JOURNAL;
                    case "snapshot" -> MirrorImageMode.SNAPSHOT;
                    default -> null;
                };
                if (mode == null) {
                    return Future.failedFuture(MirrorErrors.invalid("rbd: invalid mode name: " + word));
                }
                return image.mirrorEnable(mode).recover(failure -> Future.failedFuture(MirrorErrors.silent(failure)));
            }).onSuccess(ignored -> output.out("Mirroring enabled\n"));
        }));
    }

    Future<CommandResult> disable(CommandRequest request) {
        MirrorOutput output = new MirrorOutput();
        return output.finish(run(() -> {
            ImageRef ref = imageRef(new CommandArgs(request, IMAGE_SPEC));
            return MirrorTargets.withImage(cluster(), ref.imageSpec(), image -> image.mirrorDisable(request.flag("force"))
                            .recover(failure -> Future.failedFuture(MirrorErrors.silent(failure))))
                    .onSuccess(ignored -> output.out("Mirroring disabled\n"));
        }));
    }

    Future<CommandResult> promote(CommandRequest request) {
        boolean force = request.flag("force");
        return simpleAction(request, image -> image.mirrorPromote(force),
                "rbd: error promoting image to primary", "Image promoted to primary\n");
    }

    Future<CommandResult> demote(CommandRequest request) {
        return simpleAction(request, Image::mirrorDemote,
                "rbd: error demoting image to non-primary", "Image demoted to non-primary\n");
    }

    Future<CommandResult> resync(CommandRequest request) {
        return simpleAction(request, Image::mirrorResync,
                "rbd: error flagging image resync", "Flagged image for resync from primary\n");
    }

    Future<CommandResult> snapshot(CommandRequest request) {
        MirrorOutput output = new MirrorOutput();
        return output.finish(run(() -> {
            ImageRef ref = imageRef(new CommandArgs(request, IMAGE_SPEC));
            return MirrorTargets.withImage(cluster(), ref.imageSpec(), image -> validateEnabled(image, true)
                    .compose(info -> image.mirrorCreateSnapshot().recover(failure -> Future.failedFuture(
                            MirrorErrors.afterWithErrno("rbd: error creating snapshot", failure))))
                    .onSuccess(id -> output.out("Snapshot ID: " + Long.toUnsignedString(id) + "\n")));
        }));
    }

    Future<CommandResult> status(CommandRequest request) {
        MirrorOutput output = new MirrorOutput();
        return output.finish(run(() -> {
            MirrorOutput.checkFormat(request);
            ImageRef ref = imageRef(new CommandArgs(request, IMAGE_SPEC));
            Cluster cluster = cluster();
            return MirrorTargets.withImage(cluster, ref.imageSpec(), image -> validateEnabled(image, false)
                    .compose(info -> poolPeers(cluster, ref.effectivePool(), output))
                    .compose(peers -> image.mirrorGlobalStatus()
                            .recover(failure -> Future.failedFuture(MirrorErrors.withErrno(
                                    "rbd: failed to get status for image " + ref.image(), failure)))
                            .compose(status -> mirrorSnapshots(image, status.info())
                                    .compose(snaps -> daemons.report(ref.poolNamespace())
                                            .recover(ignored -> Future.succeededFuture(MirrorDaemons.Report.NONE))
                                            .map(report -> {
                                                SiteStatuses sites = SiteStatuses.of(status, peers);
                                                boolean up = sites.local().map(s -> s.up()).orElse(false);
                                                MirrorService service = up ? report.serviceOfInstance(
                                                        report.imageInstanceIds().get(status.imageId())) : null;
                                                return new MirrorStatusFormatter.ImageStatus(ref.image(),
                                                        status.info().globalId(), sites, SiteStatuses.peerNames(peers),
                                                        service, snaps);
                                            })))))
                    .onSuccess(view -> {
                        MirrorStatusFormatter formatter = new MirrorStatusFormatter(zone);
                        TreeWriter writer = MirrorOutput.writer(request);
                        output.out(writer != null ? formatter.imageStructured(view, writer)
                                : formatter.imagePlain(view));
                    });
        }));
    }

    /** The pool's peers (of its default namespace); a failure is reported and treated as none, as rbd does. */
    static Future<List<MirrorPeer>> poolPeers(MirrorPeers cluster, String pool, MirrorOutput output) {
        return cluster.mirrorPeerSiteList(pool).recover(failure -> {
            if (!MirrorTargets.isNotFound(failure)) {
                output.err("rbd: failed to list mirror peers");
            }
            return Future.succeededFuture(List.of());
        });
    }

    /** The primary mirror-snapshots rbd lists for a primary snapshot-mode image; none if they cannot be read. */
    private static Future<List<SnapInfo>> mirrorSnapshots(Image image, MirrorImageInfo info) {
        if (!info.primary() || info.state() != MirrorImageState.ENABLED || info.mode() != MirrorImageMode.SNAPSHOT) {
            return Future.succeededFuture(List.of());
        }
        return image.listSnaps().map(snaps -> snaps.stream()
                .filter(s -> s.namespace() == SnapNamespace.MIRROR && s.mirror() != null
                        && s.mirror().state().isPrimary())
                .toList()).recover(ignored -> Future.succeededFuture(List.of()));
    }

    /** Open, check mirroring is enabled, act, and print rbd's fixed line for the outcome. */
    private Future<CommandResult> simpleAction(CommandRequest request, Function<Image, Future<Void>> action,
                                               String errorText, String doneText) {
        MirrorOutput output = new MirrorOutput();
        return output.finish(run(() -> {
            ImageRef ref = imageRef(new CommandArgs(request, IMAGE_SPEC));
            return MirrorTargets.withImage(cluster(), ref.imageSpec(), image -> validateEnabled(image, false)
                    .compose(info -> action.apply(image)
                            .recover(failure -> Future.failedFuture(MirrorErrors.after(errorText, failure))))
                    .onSuccess(ignored -> output.out(doneText)));
        }));
    }

    /** {@code validate_mirroring_enabled} of MirrorImage.cc. */
    private static Future<MirrorImageInfo> validateEnabled(Image image, boolean snapshot) {
        return image.mirrorInfo()
                .recover(failure -> Future.failedFuture(
                        MirrorErrors.withErrno("rbd: failed to retrieve mirror info", failure)))
                .compose(info -> {
                    if (info.state() != MirrorImageState.ENABLED) {
                        return Future.failedFuture(MirrorErrors.invalid("rbd: mirroring not enabled on the image"));
                    }
                    if (snapshot && info.mode() != MirrorImageMode.SNAPSHOT) {
                        return Future.failedFuture(
                                MirrorErrors.invalid("rbd: snapshot based mirroring not enabled on the image"));
                    }
                    return Future.succeededFuture(info);
                });
    }

    static ImageRef imageRef(CommandArgs args) {
        return SpecParser.image(args, SpecParser.Modifier.NONE, true, SpecParser.SnapshotPresence.NONE,
                SpecParser.Validation.NONE);
    }

    private Cluster cluster() {
        return MirrorTargets.running(context).cluster();
    }

    /** Runs {@code body}, turning an exception thrown while parsing into a failed future. */
    static <T> Future<T> run(Supplier<Future<T>> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }
}
