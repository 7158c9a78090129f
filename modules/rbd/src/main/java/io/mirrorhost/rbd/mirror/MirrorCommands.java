package io.mirrorhost.rbd.mirror;

import io.mirrorhost.api.ArgSpec;
import io.mirrorhost.api.ArgType;
import io.mirrorhost.api.CommandSpec;
import io.mirrorhost.api.ModuleContext;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code rbd mirror pool ...}, {@code rbd mirror pool peer ...} and {@code rbd mirror image ...}
 * commands, with rbd 16.2's arguments, outputs and messages. The rbd module lists them among its
 * commands: {@code MirrorCommands.commands(() -> context)}, the supplier giving the started module's
 * context (handlers only call it when they run).
 *
 * <p>Positional arguments are all optional here and are read the way rbd reads them (one ordered list),
 * so that a missing one gets rbd's own message ({@code rbd: must specify 'image' or 'pool' mode.}).
 */
public final class MirrorCommands {

    private MirrorCommands() {
    }

    public static List<CommandSpec> commands(Supplier<ModuleContext> context) {
        return commands(context, new ServiceMapDaemons(() -> context.get().cluster()), ZoneId.systemDefault());
    }

    /**
     * @param daemons where the mirror daemons' service status comes from (rbd reads Ceph's service map)
     * @param zone    the time zone of status timestamps (rbd prints local time)
     */
    public static List<CommandSpec> commands(Supplier<ModuleContext> context, MirrorDaemons daemons, ZoneId zone) {
        MirrorPoolCommands pool = new MirrorPoolCommands(context, daemons, zone);
        MirrorPeerCommands peer = new MirrorPeerCommands(context);
        MirrorImageCommands image = new MirrorImageCommands(context, daemons, zone);
        return List.of(
                CommandSpec.of("mirror pool enable", "Enable RBD mirroring by default within a pool.", pool::enable,
                        poolOption(), namespaceOption(), siteName(),
                        ArgSpec.option("remote-namespace", ArgType.STRING, "remote namespace name"),
                        poolSpec(), positional(MirrorPoolCommands.MODE, "mirror mode [image or pool]")),
                CommandSpec.of("mirror pool disable", "Disable RBD mirroring by default within a pool.", pool::disable,
                        poolOption(), namespaceOption(), poolSpec()),
                CommandSpec.of("mirror pool info", "Show information about the pool mirroring configuration.",
                        pool::info, poolOption(), namespaceOption(), ArgSpec.flag("all", "list all attributes"),
                        poolSpec()),
                CommandSpec.of("mirror pool status", "Show status for all mirrored images in the pool.", pool::status,
                        poolOption(), namespaceOption(), ArgSpec.flag("verbose", "be verbose"), poolSpec()),
                CommandSpec.of("mirror pool promote", "Promote all non-primary images in the pool.", pool::promote,
                        ArgSpec.flag("force", "promote even if not cleanly demoted by remote cluster"),
                        poolOption(), namespaceOption(), poolSpec()),
                CommandSpec.of("mirror pool demote", "Demote all primary images in the pool.", pool::demote,
                        poolOption(), namespaceOption(), poolSpec()),
                CommandSpec.of("mirror pool peer bootstrap create",
                        "Create a peer bootstrap token to import in a remote cluster", peer::bootstrapCreate,
                        poolOption(), siteName(), poolName()),
                CommandSpec.of("mirror pool peer bootstrap import",
                        "Import a peer bootstrap token created from a remote cluster", peer::bootstrapImport,
                        poolOption(), siteName(),
                        ArgSpec.option("token-path-option", ArgType.PATH, "bootstrap token file (or '-' for stdin)")
                                .withAliases("--token-path"),
                        direction(), poolName(),
                        ArgSpec.positional(MirrorPeerCommands.TOKEN_PATH, ArgType.PATH,
                                "bootstrap token file (or '-' for stdin)").optional()),
                CommandSpec.of("mirror pool peer add", "Add a mirroring peer to a pool.", peer::add,
                        poolOption(),
                        ArgSpec.option("remote-client-name", ArgType.STRING, "remote client name"),
                        ArgSpec.option("remote-cluster", ArgType.STRING, "remote cluster name"),
                        ArgSpec.option("remote-mon-host", ArgType.STRING, "remote mon host(s)"),
                        ArgSpec.option("remote-key-file", ArgType.PATH, "path to file containing remote key"),
                        direction(), poolName(),
                        positional(MirrorPeerCommands.REMOTE_CLUSTER_SPEC,
                                "remote cluster spec\n(example: [<client name>@]<cluster name>)")),
                CommandSpec.of("mirror pool peer remove", "Remove a mirroring peer from a pool.", peer::remove,
                        poolOption(), poolName(), positional(MirrorPeerCommands.UUID, "peer uuid")),
                CommandSpec.of("mirror pool peer set", "Update mirroring peer settings.", peer::set,
                        poolOption(), poolName(), positional(MirrorPeerCommands.UUID, "peer uuid"),
                        positional(MirrorPeerCommands.KEY,
                                "peer parameter\n(direction, site-name, client, mon-host, key-file)"),
                        positional(MirrorPeerCommands.VALUE,
                                "new value for specified key\n(rx-only, tx-only, or rx-tx for direction)")),
                CommandSpec.of("mirror image enable", "Enable RBD mirroring for an image.", image::enable,
                        imageArgs(List.of(), positional(MirrorImageCommands.MODE,
                                "mirror image mode (journal or snapshot) [default: journal]"))),
                CommandSpec.of("mirror image disable", "Disable RBD mirroring for an image.", image::disable,
                        imageArgs(List.of(ArgSpec.flag("force", "disable even if not primary")))),
                CommandSpec.of("mirror image promote", "Promote an image to primary for RBD mirroring.",
                        image::promote, imageArgs(List.of(
                                ArgSpec.flag("force", "promote even if not cleanly demoted by remote cluster")))),
                CommandSpec.of("mirror image demote", "Demote an image to non-primary for RBD mirroring.",
                        image::demote, imageArgs(List.of())),
                CommandSpec.of("mirror image resync", "Force resync to primary image for RBD mirroring.",
                        image::resync, imageArgs(List.of())),
                CommandSpec.of("mirror image status", "Show RBD mirroring status for an image.", image::status,
                        imageArgs(List.of())),
                new CommandSpec("mirror image snapshot", List.of(poolOption(), namespaceOption(), imageOption(),
                        ArgSpec.flag("skip-quiesce", "do not run quiesce hooks"),
                        ArgSpec.flag("ignore-quiesce-error", "ignore quiesce hook error"), imageSpec()),
                        "Create RBD mirroring image snapshot.", image::snapshot));
    }

    private static ArgSpec positional(String name, String help) {
        return ArgSpec.positional(name, ArgType.STRING, help).optional();
    }

    private static ArgSpec poolSpec() {
        return positional(MirrorPoolCommands.POOL_SPEC, "pool specification\n(example: <pool-name>[/<namespace>]");
    }

    private static ArgSpec poolName() {
        return positional(MirrorPeerCommands.POOL_NAME, "pool name");
    }

    private static ArgSpec poolOption() {
        return ArgSpec.option("pool", ArgType.STRING, "pool name").withAliases("-p", "--pool");
    }

    private static ArgSpec namespaceOption() {
        return ArgSpec.option("namespace", ArgType.STRING, "namespace name");
    }

    private static ArgSpec imageOption() {
        return ArgSpec.option("image", ArgType.STRING, "image name");
    }

    private static ArgSpec imageSpec() {
        return positional(MirrorImageCommands.IMAGE_SPEC,
                "image specification\n(example: [<pool-name>/[<namespace>/]]<image-name>)");
    }

    private static ArgSpec siteName() {
        return ArgSpec.option("site-name", ArgType.STRING, "local site name");
    }

    /** Checked by the handler, so that a bad word gets boost::program_options' wording and exit status. */
    private static ArgSpec direction() {
        return ArgSpec.option("direction", ArgType.STRING, "mirroring direction (rx-only, rx-tx)\n[default: rx-tx]");
    }

    /** {@code [leading options] -p --namespace --image <image-spec> [trailing positionals]}, in rbd's help order. */
    private static ArgSpec[] imageArgs(List<ArgSpec> leading, ArgSpec... trailing) {
        List<ArgSpec> args = new java.util.ArrayList<>(leading);
        args.addAll(List.of(poolOption(), namespaceOption(), imageOption(), imageSpec()));
        args.addAll(List.of(trailing));
        return args.toArray(ArgSpec[]::new);
    }
}
