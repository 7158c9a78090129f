package io.mirrorhost.embedded.net;

import com.fasterxml.jackson.databind.JsonNode;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.api.cluster.Watch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Cluster} reached over the network through a {@link ClusterServer}. The Cluster and its
 * Images are dynamic proxies: each call is sent as (method, arguments) and its reply decoded with the
 * method's generic return type. The connection is dialled on connect and again on the first call
 * after it was lost; open images are reopened transparently on the new connection, retaking the
 * exclusive lock if they held it (the server released it with the old connection; if someone else
 * took it meanwhile, the call fails saying the lock was lost). While watches are registered, a lost
 * connection is redialled in the background (with backoff) and the watches registered again; an
 * image update watch is then called once, since updates may have been missed in between (as librbd
 * does after a watch error). Notifications sent while disconnected are lost, as with rados.
 */
public final class RemoteCluster {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteCluster.class);
    private static final RemoteCall WATCH_CLOSE = RemoteCall.find(Wire.TARGET_WATCH, "close").orElseThrow();
    private static final RemoteCall IMAGE_CLOSE = RemoteCall.find(Wire.TARGET_IMAGE, "close").orElseThrow();
    private static final RemoteCall LOCK_ACQUIRE = RemoteCall.find(Wire.TARGET_IMAGE, "lockAcquire").orElseThrow();
    private static final long MAX_REDIAL_MILLIS = 30_000;

    private final Vertx vertx;
    private final RemoteClusterOptions options;
    private final NetClient netClient;

    private final Set<RemoteWatch> watches = ConcurrentHashMap.newKeySet();
    private Future<ClientConnection> current;
    private boolean closed;
    private boolean redialing;
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
        return remote.connection().map(c -> remote.clusterProxy(null));
    }

    private synchronized Future<ClientConnection> connection() {
        if (closed) {
            return Future.failedFuture(new ClusterException(Errno.ESHUTDOWN, "the connection to the cluster at "
                    + options.address() + " was closed by this client"));
        }
        boolean usable = current != null && (!current.isComplete() || current.succeeded() && !current.result().isClosed());
        if (!usable) {
            current = ClientConnection.open(vertx, netClient, options).onSuccess(this::connected);
        }
        return current;
    }

    private void connected(ClientConnection connection) {
        fsid = connection.fsid();
        connection.whenClosed().onComplete(v -> redialForWatches(1000));
        watches.forEach(watch -> watch.restoreOn(connection));
    }

    /** Keeps trying to reconnect while watches wait for events; calls reconnect on their own. */
    private void redialForWatches(long delayMillis) {
        synchronized (this) {
            if (closed || redialing || watches.isEmpty()) {
                return;
            }
            redialing = true;
        }
        vertx.setTimer(delayMillis, t -> {
            synchronized (this) {
                redialing = false;
            }
            connection().onFailure(e -> redialForWatches(Math.min(2 * delayMillis, MAX_REDIAL_MILLIS)));
        });
    }

    private Future<Void> close() {
        Future<ClientConnection> last;
        synchronized (this) {
            closed = true;
            last = current;
        }
        watches.clear();
        Future<Void> closing = last == null ? Future.succeededFuture()
                : last.transform(r -> r.succeeded() ? r.result().close() : Future.succeededFuture());
        return closing.transform(r -> netClient.close());
    }

    /**
     * The cluster, or with {@code fence} its fenced view: every call of the view carries the token and the
     * server makes it through its own fenced view, which also fences the images opened through it.
     */
    private Cluster clusterProxy(FenceToken fence) {
        String description = "RemoteCluster[" + options + (fence == null ? "" : " fenced " + fence) + "]";
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return objectMethod(proxy, method, args, description);
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            return switch (method.getName()) {
                case "fsid" -> fsid;
                case "clientName" -> options.client();
                case "close" -> fence == null ? close() : Future.succeededFuture();
                case "fenced" -> clusterProxy((FenceToken) args[0]);
                default -> {
                    RemoteCall call = RemoteCall.of(method);
                    Object[] callArgs = args == null ? new Object[0] : args;
                    yield connection().compose(c -> c.send(call, 0, callArgs, fence)
                            .map(reply -> decode(call, reply, c, callArgs, null, fence)));
                }
            };
        };
        return (Cluster) Proxy.newProxyInstance(Cluster.class.getClassLoader(), new Class<?>[] {Cluster.class}, handler);
    }

    private Object decode(RemoteCall call, ClientConnection.Reply reply, ClientConnection connection, Object[] args,
                          RemoteImage owner, FenceToken fence) {
        JsonNode result = reply.frame().header().path("result");
        return switch (call.result()) {
            case VOID -> null;
            case BUFFER -> reply.frame().blobs().get(0);
            case JSON -> Wire.MAPPER.convertValue(result.isMissingNode() ? null : result, call.resultType());
            case WATCH -> registered(new RemoteWatch(call, args, owner, connection, reply.id()));
            case IMAGE -> new RemoteImage(call, args, fence, connection, result).proxy();
        };
    }

    private static Object objectMethod(Object proxy, Method method, Object[] args, String description) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> description;
        };
    }

    private Watch registered(RemoteWatch watch) {
        watches.add(watch);
        if (watch.connection().isClosed()) {
            redialForWatches(0);
        }
        return watch;
    }

    /**
     * A watch and how to register it again: the call and arguments that made it, and the image it
     * is on (null for an object watch).
     */
    private final class RemoteWatch implements Watch {
        private final RemoteCall call;
        private final Object[] args;
        private final RemoteImage image;
        private final Context context;
        private ClientConnection connection;
        private long id;
        private boolean closed;
        private boolean restoring;

        RemoteWatch(RemoteCall call, Object[] args, RemoteImage image, ClientConnection connection, long id) {
            this.call = call;
            this.args = args.clone();
            this.image = image;
            this.context = Vertx.currentContext();
            this.connection = connection;
            this.id = id;
        }

        synchronized ClientConnection connection() {
            return connection;
        }

        @Override
        public Future<Void> close() {
            ClientConnection on;
            long onId;
            synchronized (this) {
                if (closed) {
                    return Future.succeededFuture();
                }
                closed = true;
                on = connection;
                onId = id;
            }
            watches.remove(this);
            on.unsubscribe(onId);
            return on.isClosed() ? Future.succeededFuture() : on.send(WATCH_CLOSE, onId, new Object[0]).mapEmpty();
        }

        /** Registers the watch again on {@code live}, from the context that first registered it. */
        void restoreOn(ClientConnection live) {
            synchronized (this) {
                if (closed || restoring || connection == live) {
                    return;
                }
                restoring = true;
            }
            Runnable restore = () -> register(live).onComplete(done -> {
                synchronized (this) {
                    restoring = false;
                }
                if (done.failed() && !live.isClosed()) {
                    LOG.warn("could not restore a watch ({}) on the cluster at {}: {}", call.name(), options.address(),
                            done.cause().getMessage());
                }
            });
            if (context == null) {
                restore.run();
            } else {
                context.runOnContext(v -> restore.run());
            }
        }

        private Future<Void> register(ClientConnection live) {
            Future<ClientConnection.Reply> registering = image == null ? live.send(call, 0, args)
                    : image.bound().compose(b -> b.connection().send(call, b.handle(), args));
            return registering.map(reply -> {
                boolean closedMeanwhile;
                synchronized (this) {
                    closedMeanwhile = closed;
                    connection = live;
                    id = reply.id();
                }
                if (closedMeanwhile) {
                    live.unsubscribe(reply.id());
                    live.send(WATCH_CLOSE, reply.id(), new Object[0]);
                } else {
                    for (Object arg : args) {
                        if (arg instanceof Runnable onUpdate) {
                            onUpdate.run();
                        }
                    }
                }
                return null;
            });
        }
    }

    /**
     * An image handle on the server, reopened with the call that opened it (under the same fence) when
     * the connection changed.
     */
    private final class RemoteImage implements InvocationHandler {
        private final RemoteCall opener;
        private final Object[] openerArgs;
        private final FenceToken fence;
        private final ImageSpec spec;
        private final Long snapId;
        private ClientConnection connection;
        private long handle;
        private boolean closed;
        private Future<Binding> reopening;
        private ClientConnection reopeningOn;
        private boolean lockHeld;

        RemoteImage(RemoteCall opener, Object[] openerArgs, FenceToken fence, ClientConnection connection,
                    JsonNode opened) {
            this.opener = opener;
            this.openerArgs = openerArgs.clone();
            this.fence = fence;
            this.connection = connection;
            this.handle = opened.path("handle").asLong();
            this.spec = Wire.MAPPER.convertValue(opened.path("spec"), ImageSpec.class);
            this.snapId = opened.hasNonNull("snapId") ? opened.get("snapId").asLong() : null;
        }

        Image proxy() {
            return (Image) Proxy.newProxyInstance(Image.class.getClassLoader(), new Class<?>[] {Image.class}, this);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return objectMethod(proxy, method, args, "RemoteImage[" + spec + (snapId == null ? "" : "@" + snapId) + "]");
            }
            if (method.isDefault()) {
                // a convenience overload: it calls the interface's other methods, which go remote
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            return switch (method.getName()) {
                case "spec" -> spec;
                case "snapId" -> snapId;
                case "close" -> closeImage();
                default -> {
                    RemoteCall call = RemoteCall.of(method);
                    Object[] callArgs = args == null ? new Object[0] : args;
                    Future<Object> result = bound().compose(bound -> bound.connection().send(call, bound.handle(), callArgs)
                            .map(reply -> decode(call, reply, bound.connection(), callArgs, this, null)));
                    yield trackLock(method.getName(), result);
                }
            };
        }

        /** Remembers whether this handle holds the exclusive lock, to take it again after a reconnect. */
        private Future<Object> trackLock(String method, Future<Object> result) {
            if (method.equals("lockAcquire") || method.equals("lockRelease")) {
                boolean acquire = method.equals("lockAcquire");
                result.onSuccess(v -> {
                    synchronized (this) {
                        lockHeld = acquire;
                    }
                });
            }
            return result;
        }

        private record Binding(ClientConnection connection, long handle) {
        }

        /** This image's handle on the live connection, reopening it there (once) if needed. */
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
                    if (reopening != null && reopeningOn == live) {
                        return reopening;
                    }
                    Future<Binding> attempt = live.send(opener, 0, openerArgs, fence)
                            .map(reply -> new Binding(live, reply.frame().header().path("result").path("handle").asLong()))
                            .compose(this::retakeLock)
                            .map(binding -> {
                                synchronized (this) {
                                    connection = binding.connection();
                                    handle = binding.handle();
                                    return binding;
                                }
                            });
                    reopening = attempt;
                    reopeningOn = live;
                    attempt.onComplete(done -> {
                        synchronized (this) {
                            if (reopening == attempt) {
                                reopening = null;
                            }
                        }
                    });
                    return attempt;
                }
            });
        }

        /**
         * The server released this handle's exclusive lock with the old connection; take it again
         * before anything else runs, or fail saying it was lost (another client may hold it now).
         */
        private Future<Binding> retakeLock(Binding binding) {
            synchronized (this) {
                if (!lockHeld) {
                    return Future.succeededFuture(binding);
                }
            }
            return binding.connection().send(LOCK_ACQUIRE, binding.handle(), new Object[0]).map(reply -> binding)
                    .recover(failure -> {
                        synchronized (this) {
                            lockHeld = false;
                        }
                        binding.connection().send(IMAGE_CLOSE, binding.handle(), new Object[0]);
                        return Future.failedFuture(new ClusterException(ClusterException.errnoOf(failure),
                                "lost the exclusive lock of " + spec + " with the connection to " + options.address()
                                        + " and could not take it again: " + failure.getMessage()));
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
            return on.send(IMAGE_CLOSE, onHandle, new Object[0]).mapEmpty();
        }
    }
}
