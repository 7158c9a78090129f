package io.mirrorhost.rbd.mirror;

import io.mirrorhost.rbd.command.FileErrors;

import static io.mirrorhost.rbd.mirror.MirrorImageCommands.run;

import io.mirrorhost.api.CommandException;
import io.mirrorhost.api.CommandRequest;
import io.mirrorhost.api.CommandResult;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.ModuleContext;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.MirrorPeer;
import io.mirrorhost.api.cluster.MirrorPeerDirection;
import io.mirrorhost.api.cluster.MirrorPeers;
import io.mirrorhost.api.cluster.MirrorSettings;
import io.mirrorhost.api.cluster.PoolNamespace;
import io.mirrorhost.rbd.spec.CommandArgs;
import io.mirrorhost.rbd.spec.SpecParser;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code rbd mirror pool peer ...} commands (MirrorPool.cc, 16.2). */
final class MirrorPeerCommands {
    static final String POOL_NAME = "pool-name";
    static final String TOKEN_PATH = "token-path";
    static final String REMOTE_CLUSTER_SPEC = "remote-cluster-spec";
    static final String UUID = "uuid";
    static final String KEY = "key";
    static final String VALUE = "value";
    /** rbd reads at most this many bytes of a token ({@code char token[1024]}, one kept for the NUL). */
    static final int TOKEN_MAX_BYTES = 1023;

    private static final Pattern UUID_PATTERN = Pattern.compile(
            "^[A-F0-9]{8}-[A-F0-9]{4}-[A-F0-9]{4}-[A-F0-9]{4}-[A-F0-9]{12}$", Pattern.CASE_INSENSITIVE);
    private static final Pattern REMOTE_SPEC = Pattern.compile("^(?:(client\\.[^@]+)@)?([^/@]+)$");
    private static final TreeSet<String> SET_KEYS = new TreeSet<>(
            List.of("direction", "site-name", "cluster", "client", "mon-host", "key-file"));

    private final Supplier<ModuleContext> context;

    MirrorPeerCommands(Supplier<ModuleContext> context) {
        this.context = context;
    }

    Future<CommandResult> bootstrapCreate(CommandRequest request) {
        MirrorOutput output = new MirrorOutput();
        return output.finish(run(() -> {
            PoolNamespace where = pool(new CommandArgs(request, POOL_NAME));
            Cluster cluster = cluster();
            return MirrorTargets.pool(cluster, where)
                    .compose(ignored -> MirrorPoolCommands.validateEnabled(cluster, where))
                    .compose(ignored -> siteNameOption(cluster, request))
                    .compose(ignored -> cluster.mirrorPeerBootstrapCreate(where.pool()).recover(failure -> {
                        if (MirrorErrors.errno(failure) == Errno.EEXIST) {
                            // rbd reports the caps mismatch but goes on, printing an empty token
                            output.err("rbd: mismatch with pre-existing RBD mirroring peer user caps");
                            return Future.succeededFuture("");
                        }
                        return Future.failedFuture(
                                MirrorErrors.withErrno("rbd: failed to create mirroring bootstrap token", failure));
                    }))
                    .onSuccess(token -> output.out(token + "\n"));
        }));
    }

    Future<CommandResult> bootstrapImport(CommandRequest request) {
        MirrorOutput output = new MirrorOutput();
        return output.finish(run(() -> {
            MirrorPeerDirection direction = directionOption(request);
            CommandArgs args = new CommandArgs(request, POOL_NAME, TOKEN_PATH);
            PoolNamespace where = pool(args);
            String tokenPath = args.option("token-path-option");
            if (tokenPath.isEmpty()) {
                tokenPath = args.takePositional();
            }
            if (tokenPath.isEmpty()) {
                throw MirrorErrors.invalid("rbd: token path was not specified");
            }
            Cluster cluster = cluster();
            return readToken(tokenPath, request)
                    .compose(token -> MirrorTargets.pool(cluster, where)
                            .compose(ignored -> siteNameOption(cluster, request))
                            .compose(ignored -> cluster.mirrorPeerBootstrapImport(where.pool(), direction, token))
                            .recover(failure -> Future.failedFuture(MirrorErrors.errno(failure) == Errno.ENOSYS
                                    ? MirrorErrors.after("rbd: mirroring is not enabled on remote peer", failure)
                                    : MirrorErrors.after("rbd: failed to import peer bootstrap token", failure))));
        }));
    }

    Future<CommandResult> add(CommandRequest request) {
        MirrorOutput output = new MirrorOutput();
        return output.finish(run(() -> {
            MirrorPeerDirection direction = directionOption(request);
            CommandArgs args = new CommandArgs(request, POOL_NAME, REMOTE_CLUSTER_SPEC);
            PoolNamespace where = pool(args);
            String spec = args.takePositional();
            Cluster cluster = cluster();
            Map<String, String> attributes = new HashMap<>();
            request.string("remote-mon-host").ifPresent(host -> attributes.put("mon_host", host));
            Future<Void> keyRead = request.string("remote-key-file")
                    .map(path -> readKeyFile(path).map(key -> {
                        attributes.put("key", key);
                        return (Void) null;
                    }))
                    .orElse(Future.succeededFuture());
            return keyRead.compose(ignored -> {
                String clientName = request.string("remote-client-name").orElse(cluster.clientName());
                String remoteCluster = request.string("remote-cluster").orElse("");
                if (!spec.isEmpty()) {
                    Matcher m = REMOTE_SPEC.matcher(spec);
                    if (!m.matches()) {
                        return Future.failedFuture(MirrorErrors.invalid("rbd: invalid spec '" + spec + "'"));
                    }
                    if (m.group(1) != null) {
                        clientName = m.group(1);
                    }
                    remoteCluster = m.group(2);
                }
                if (remoteCluster.isEmpty()) {
                    return Future.failedFuture(MirrorErrors.invalid("rbd: remote cluster was not specified"));
                }
                String client = clientName;
                String siteName = remoteCluster;
                return MirrorTargets.pool(cluster, where)
                        .compose(x -> MirrorPoolCommands.validateEnabled(cluster, where))
                        .compose(x -> rejectSecondRxPeer(cluster, where.pool(), null))
                        .compose(x -> cluster.mirrorPeerSiteAdd(where.pool(), siteName, client, direction)
                                .recover(failure -> Future.failedFuture(MirrorErrors.errno(failure) == Errno.EEXIST
                                        ? MirrorErrors.after("rbd: mirror peer already exists", failure)
                                        : MirrorErrors.after("rbd: error adding mirror peer", failure))))
                        .compose(uuid -> (attributes.isEmpty() ? Future.<Void>succeededFuture()
                                : setAttributes(cluster, where.pool(), uuid, attributes)).map(uuid));
            }).onSuccess(uuid -> output.out(uuid + "\n"));
        }));
    }

    Future<CommandResult> remove(CommandRequest request) {
        MirrorOutput output = new MirrorOutput();
        return output.finish(run(() -> {
            CommandArgs args = new CommandArgs(request, POOL_NAME, UUID);
            PoolNamespace where = pool(args);
            String uuid = uuid(args);
            Cluster cluster = cluster();
            return MirrorTargets.pool(cluster, where)
                    .compose(x -> MirrorPoolCommands.validateEnabled(cluster, where))
                    .compose(x -> cluster.mirrorPeerSiteRemove(where.pool(), uuid)
                            .recover(failure -> Future.failedFuture(
                                    MirrorErrors.after("rbd: error removing mirror peer", failure))));
        }));
    }

    Future<CommandResult> set(CommandRequest request) {
        MirrorOutput output = new MirrorOutput();
        return output.finish(run(() -> {
            CommandArgs args = new CommandArgs(request, POOL_NAME, UUID, KEY, VALUE);
            PoolNamespace where = pool(args);
            String uuid = uuid(args);
            String key = args.takePositional();
            if (!SET_KEYS.contains(key)) {
                StringBuilder message = new StringBuilder("rbd: must specify ");
                SET_KEYS.forEach(k -> message.append('\'').append(k).append("', "));
                message.setLength(message.length() - 2);
                throw MirrorErrors.invalid(message.append(" key.").toString());
            }
            String value = args.takePositional();
            if (value.isEmpty() && (key.equals("client") || key.equals("cluster"))) {
                // rbd complains but carries on with the empty value
                output.err("rbd: must specify new " + key + " value.");
            }
            Future<String[]> keyValue = switch (key) {
                case "key-file" -> {
                    request.files().check(VALUE, value);
                    yield readKeyFile(value).map(k -> new String[] {"key", k});
                }
                case "mon-host" -> Future.succeededFuture(new String[] {"mon_host", value});
                default -> Future.succeededFuture(new String[] {key, value});
            };
            Cluster cluster = cluster();
            return keyValue.compose(kv -> MirrorTargets.pool(cluster, where)
                    .compose(x -> MirrorPoolCommands.validateEnabled(cluster, where))
                    .compose(x -> setPeerValue(cluster, where.pool(), uuid, kv[0], kv[1])));
        }));
    }

    private Future<Void> setPeerValue(Cluster cluster, String pool, String uuid, String key, String value) {
        Future<Void> result = switch (key) {
            case "client" -> cluster.mirrorPeerSiteSetClientName(pool, uuid, value);
            case "site-name", "cluster" -> cluster.mirrorPeerSiteSetName(pool, uuid, value);
            case "direction" -> {
                MirrorPeerDirection direction;
                try {
                    direction = MirrorPeerDirection.parse(value);
                } catch (RuntimeException e) {
                    yield Future.failedFuture(MirrorErrors.invalid("rbd: invalid direction"));
                }
                Future<Void> allowed = direction == MirrorPeerDirection.TX_ONLY ? Future.succeededFuture()
                        : rejectSecondRxPeer(cluster, pool, uuid);
                yield allowed.compose(x -> cluster.mirrorPeerSiteSetDirection(pool, uuid, direction));
            }
            default -> updatePeerConfigKey(cluster, pool, uuid, key, value);
        };
        return result.recover(failure -> {
            if (MirrorTargets.isNotFound(failure)) {
                return Future.failedFuture(new CommandException(Errno.ENOENT,
                        "rbd: mirror peer " + uuid + " does not exist"));
            }
            return Future.failedFuture(failure);
        });
    }

    /** {@code update_peer_config_key}: merge one attribute into the peer's config-key attributes. */
    private static Future<Void> updatePeerConfigKey(MirrorPeers cluster, String pool, String uuid, String key,
                                                    String value) {
        return peerAttributes(cluster, pool, uuid).compose(current -> {
            Map<String, String> next = new HashMap<>(current.orElse(Map.of()));
            if (current.isPresent() && value.isEmpty()) {
                next.remove(key);
            } else {
                next.put(key, value);
            }
            return setAttributes(cluster, pool, uuid, next);
        });
    }

    /** {@code get_peer_config_key}: the attributes, empty if none are stored, or rbd's error. */
    static Future<Optional<Map<String, String>>> peerAttributes(MirrorPeers cluster, String pool, String uuid) {
        return cluster.mirrorPeerSiteGetAttributes(pool, uuid)
                .map(Optional::of)
                .recover(failure -> switch (MirrorErrors.errno(failure)) {
                    case ENOENT -> Future.succeededFuture(Optional.empty());
                    case EPERM -> Future.failedFuture(new CommandException(Errno.EPERM,
                            "rbd: permission denied attempting to access peer config-key secrets from the monitor"));
                    case EINVAL -> Future.failedFuture(MirrorErrors.invalid("rbd: corrupt mirroring peer config"));
                    default -> Future.failedFuture(
                            MirrorErrors.withErrno("rbd: error reading mirroring peer config", failure));
                });
    }

    /** {@code set_peer_config_key}. */
    private static Future<Void> setAttributes(MirrorPeers cluster, String pool, String uuid,
                                              Map<String, String> attributes) {
        return cluster.mirrorPeerSiteSetAttributes(pool, uuid, attributes).recover(failure -> {
            Errno errno = MirrorErrors.errno(failure);
            if (errno == Errno.EPERM) {
                return Future.failedFuture(new CommandException(Errno.EPERM,
                        "rbd: permission denied attempting to set peer config-key secrets in the monitor"));
            }
            if (errno == Errno.ENOENT) {
                return Future.failedFuture(failure);
            }
            return Future.failedFuture(MirrorErrors.withErrno("rbd: failed to update mirroring peer config", failure));
        });
    }

    /** rbd refuses a second peer that receives (tx-only peers and the peer being changed do not count). */
    private static Future<Void> rejectSecondRxPeer(MirrorPeers cluster, String pool, String exceptUuid) {
        return cluster.mirrorPeerSiteList(pool)
                .recover(failure -> Future.failedFuture(
                        new CommandException(MirrorErrors.errno(failure), "rbd: failed to list mirror peers")))
                .compose(peers -> {
                    for (MirrorPeer peer : peers) {
                        if (peer.direction() != MirrorPeerDirection.TX_ONLY && !peer.uuid().equals(exceptUuid)) {
                            return Future.failedFuture(
                                    MirrorErrors.invalid("rbd: multiple RX peers are not currently supported"));
                        }
                    }
                    return Future.succeededFuture();
                });
    }

    static Future<Void> setSiteName(MirrorSettings cluster, String siteName) {
        return cluster.mirrorSiteNameSet(siteName).recover(failure -> {
            Errno errno = MirrorErrors.errno(failure);
            if (errno == Errno.EOPNOTSUPP) {
                return Future.failedFuture(new CommandException(errno, "rbd: cluster does not support site names"));
            }
            // rbd prints no separator between its text and the error here
            return Future.failedFuture(failure instanceof ClusterException
                    ? new CommandException(errno, "rbd: failed to set site name" + errno.describe()) : failure);
        });
    }

    private static Future<Void> siteNameOption(MirrorSettings cluster, CommandRequest request) {
        return request.string("site-name").map(name -> setSiteName(cluster, name)).orElse(Future.succeededFuture());
    }

    /** The token: standard input for {@code -}, else the file (read here, on the host); at most 1023 bytes. */
    private Future<String> readToken(String path, CommandRequest request) {
        Future<Buffer> bytes = path.equals("-")
                ? Future.succeededFuture(Buffer.buffer(request.input() == null ? new byte[0] : request.input()))
                : MirrorTargets.running(context).vertx().fileSystem().readFile(path).recover(failure -> Future.failedFuture(
                        new CommandException(FileErrors.errno(failure), "rbd: error opening " + path)));
        return bytes.map(buffer -> {
            byte[] data = buffer.getBytes(0, Math.min(buffer.length(), TOKEN_MAX_BYTES));
            int end = 0;
            while (end < data.length && data[end] != 0) {
                end++;
            }
            return new String(data, 0, end, StandardCharsets.UTF_8);
        });
    }

    /** {@code read_key_file}: the file's first line. */
    private Future<String> readKeyFile(String path) {
        return MirrorTargets.running(context).vertx().fileSystem().readFile(path)
                .recover(failure -> Future.failedFuture(MirrorErrors.invalid("rbd: failed to open " + path)))
                .map(buffer -> {
                    String text = buffer.toString(StandardCharsets.UTF_8);
                    int newline = text.indexOf('\n');
                    return newline < 0 ? text : text.substring(0, newline);
                });
    }

    /** The pool of a peer command: a pool only, no namespace ({@code rbd: invalid pool 'a/b'}). */
    private static PoolNamespace pool(CommandArgs args) {
        return SpecParser.pool(args, false).poolNamespace();
    }

    /**
     * {@code --direction}: rx-only or rx-tx (tx-only only through {@code peer set}); any other word is a
     * usage error, for which rbd exits 1 (EPERM's number).
     */
    private static MirrorPeerDirection directionOption(CommandRequest request) {
        String word = request.string("direction").orElse("rx-tx");
        return switch (word) {
            case "rx-only" -> MirrorPeerDirection.RX_ONLY;
            case "rx-tx" -> MirrorPeerDirection.RX_TX;
            default -> throw new CommandException(Errno.EPERM, "rbd: the argument for option '--direction' is invalid");
        };
    }

    private static String uuid(CommandArgs args) {
        String uuid = args.takePositional();
        if (uuid.isEmpty()) {
            throw MirrorErrors.invalid("rbd: must specify peer uuid");
        }
        if (!UUID_PATTERN.matcher(uuid).matches()) {
            throw MirrorErrors.invalid("rbd: invalid uuid '" + uuid + "'");
        }
        return uuid;
    }

    private Cluster cluster() {
        return MirrorTargets.running(context).cluster();
    }
}
