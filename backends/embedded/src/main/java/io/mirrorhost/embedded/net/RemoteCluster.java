package io.mirrorhost.embedded.net;

import com.fasterxml.jackson.databind.JsonNode;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.Watch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A {@link Cluster} reached over the network through a {@link ClusterServer}. The Cluster and its
 * Images are dynamic proxies: each call is sent as (method, arguments) and its reply decoded with the
 * method's generic return type. The connection is dialled on connect and again on the first call
 * after it was lost; open images are reopened transparently on the new connection (their exclusive
 * lock is not: the server released it with the old connection). Watches end with their connection.
 */
public final class RemoteCluster {
    private final Vertx vertx;
    private final RemoteClusterOptions options;
    private final NetClient netClient;
    private Future<ClientConnection> current;
    private boolean closed;
    private volatile String fsid;

    private RemoteCluster(Vertx vertx, RemoteClusterOptions options, NetClient netClient) {
        this.vertx = vertx;
        this.options = options;
        this.netClient = netClient;
    }

    /** Connects and authenticates; fails with ECONNREFUSED, ETIMEDOUT or EACCES naming the address. */
    public static Future<Cluster> connect(Vertx vertx, RemoteClusterOptions options) {
        NetClientOptions netOptions = new NetClientOptions()
                .setConnectTimeout((int) options.connectTimeoutMillis())
                .setTcpNoDelay(true);
        try {
            options.tls().applyTo(netOptions);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        RemoteCluster remote = new RemoteCluster(vertx, options, vertx.createNetClient(netOptions));
        return remote.connection().map(c -> remote.clusterProxy());
    }

    private synchronized Future<ClientConnection> connection() {
        if (closed) {
            return Future.failedFuture(new ClusterException(Errno.ESHUTDOWN, "the connection to the cluster at "
                    + options.address() + " was closed by this client"));
        }
        boolean usable = current != null && (!current.isComplete() || current.succeeded() && !current.result().isClosed());
        if (!usable) {
            current = ClientConnection.open(vertx, netClient, options).onSuccess(c -> fsid = c.fsid());
        }
        return current;
    }

    private Future<Void> close() {
        Future<ClientConnection> last;
        synchronized (this) {
            closed = true;
            last = current;
        }
        Future<Void> closing = last == null ? Future.succeededFuture()
                : last.transform(r -> r.succeeded() ? r.result().close() : Future.succeededFuture());
        return closing.transform(r -> netClient.close());
    }

    private Cluster clusterProxy() {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return objectMethod(proxy, method, args, "RemoteCluster[" + options + "]");
            }
            return switch (method.getName()) {
                case "fsid" -> fsid;
                case "clientName" -> options.client();
                case "close" -> close();
                default -> {
                    RemoteCall call = RemoteCall.of(method);
                    Object[] callArgs = args == null ? new Object[0] : args;
                    yield connection().compose(c -> c.send(call, 0, callArgs)
                            .map(reply -> decode(call, reply, c, callArgs)));
                }
            };
        };
        return (Cluster) Proxy.newProxyInstance(Cluster.class.getClassLoader(), new Class<?>[] {Cluster.class}, handler);
    }

    private Object decode(RemoteCall call, ClientConnection.Reply reply, ClientConnection connection, Object[] args) {
        JsonNode result = reply.frame().header().path("result");
        return switch (call.result()) {
            case VOID -> null;
            case BUFFER -> reply.frame().blobs().get(0);
            case JSON -> Wire.MAPPER.convertValue(result.isMissingNode() ? null : result, call.resultType());
            case WATCH -> new RemoteWatch(connection, reply.id());
            case IMAGE -> new RemoteImage(call, args, connection, result).proxy();
        };
    }

    private static Object objectMethod(Object proxy, Method method, Object[] args, String description) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> description;
        };
    }

    /** A watch registered on one connection; it ends when that connection does. */
    private record RemoteWatch(ClientConnection connection, long id) implements Watch {
        private static final RemoteCall CLOSE = RemoteCall.find(Wire.TARGET_WATCH, "close").orElseThrow();

        @Override
        public Future<Void> close() {
            connection.unsubscribe(id);
            if (connection.isClosed()) {
                return Future.succeededFuture();
            }
            return connection.send(CLOSE, id, new Object[0]).mapEmpty();
        }
    }

    /** An image handle on the server, reopened with the call that opened it when the connection changed. */
    private final class RemoteImage implements InvocationHandler {
        private final RemoteCall opener;
        private final Object[] openerArgs;
        private final ImageSpec spec;
        private final Long snapId;
        private ClientConnection connection;
        private long handle;
        private boolean closed;

        RemoteImage(RemoteCall opener, Object[] openerArgs, ClientConnection connection, JsonNode opened) {
            this.opener = opener;
            this.openerArgs = openerArgs.clone();
            this.connection = connection;
            this.handle = opened.path("handle").asLong();
            this.spec = Wire.MAPPER.convertValue(opened.path("spec"), ImageSpec.class);
            this.snapId = opened.hasNonNull("snapId") ? opened.get("snapId").asLong() : null;
        }

        Image proxy() {
            return (Image) Proxy.newProxyInstance(Image.class.getClassLoader(), new Class<?>[] {Image.class}, this);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            if (method.getDeclaringClass() == Object.class) {
                return objectMethod(proxy, method, args, "RemoteImage[" + spec + (snapId == null ? "" : "@" + snapId) + "]");
            }
            return switch (method.getName()) {
                case "spec" -> spec;
                case "snapId" -> snapId;
                case "close" -> closeImage();
                default -> {
                    RemoteCall call = RemoteCall.of(method);
                    Object[] callArgs = args == null ? new Object[0] : args;
                    yield bound().compose(bound -> bound.connection().send(call, bound.handle(), callArgs)
                            .map(reply -> decode(call, reply, bound.connection(), callArgs)));
                }
            };
        }

        private record Binding(ClientConnection connection, long handle) {
        }

        /** This image's handle on the live connection, reopening it there if needed. */
        private Future<Binding> bound() {
            synchronized (this) {
                if (closed) {
                    return Future.failedFuture(ClusterException.invalid("image " + spec + " is closed"));
                }
            }
            return connection().compose(live -> {
                synchronized (this) {
                    if (live == connection) {
                        return Future.succeededFuture(new Binding(live, handle));
                    }
                }
                return live.send(opener, 0, openerArgs).map(reply -> {
                    synchronized (this) {
                        connection = live;
                        handle = reply.frame().header().path("result").path("handle").asLong();
                        return new Binding(live, handle);
                    }
                });
            });
        }

        private Future<Void> closeImage() {
            ClientConnection on;
            long onHandle;
            synchronized (this) {
                if (closed) {
                    return Future.succeededFuture();
                }
                closed = true;
                on = connection;
                onHandle = handle;
            }
            if (on.isClosed()) {
                return Future.succeededFuture();
            }
            return on.send(RemoteCall.find(Wire.TARGET_IMAGE, "close").orElseThrow(), onHandle, new Object[0]).mapEmpty();
        }
    }
}
