package io.mirrorhost.embedded.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.FenceToken;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated connection of a {@link RemoteCluster}: sends calls with ids, matches replies,
 * delivers pushed watch events. Many calls may be in flight; when the connection drops they all fail
 * with ESHUTDOWN naming the address, and the cluster dials a new connection on the next call.
 */
final class ClientConnection {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

    /** A reply to a call; {@code id} doubles as the id of a watch the call registered. */
    record Reply(long id, Frame frame) {
    }

    private record Pending(Promise<Reply> promise, Context context, String call) {
    }

    private record Subscription(Context context, Consumer<List<Buffer>> handler) {
    }

    private final Vertx vertx;
    private final NetSocket socket;
    private final RemoteClusterOptions options;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Map<Long, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final Promise<ClientConnection> ready = Promise.promise();
    private final Promise<Void> lost = Promise.promise();
    private volatile long lastHeard = System.nanoTime();
    private long keepaliveTimer = -1;
    private volatile boolean authenticated;
    private volatile boolean closed;
    private volatile String fsid;

    private ClientConnection(Vertx vertx, NetSocket socket, RemoteClusterOptions options) {
        this.vertx = vertx;
        this.socket = socket;
        this.options = options;
    }

    static Future<ClientConnection> open(Vertx vertx, NetClient client, RemoteClusterOptions options) {
        // Connect from a Vert.x context: the socket then completes on that context after this task,
        // so its handler is in place before the server's hello can arrive. Connecting from a plain
        // thread would race with the event loop and could lose the hello.
        Promise<ClientConnection> opened = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> client.connect(options.port(), options.host())
                .recover(failure -> Future.failedFuture(connectFailure(options, failure)))
                .compose(socket -> new ClientConnection(vertx, socket, options).handshake())
                .onComplete(opened));
        return opened.future();
    }

    String fsid() {
        return fsid;
    }

    boolean isClosed() {
        return closed;
    }

    Future<Void> close() {
        return socket.close();
    }

    /** Completes when the connection is gone, however it ended. */
    Future<Void> whenClosed() {
        return lost.future();
    }

    /**
     * Sends a call; callback arguments become subscriptions keyed by the call's id, so that events
     * the server pushes before the reply are not lost.
     */
    Future<Reply> send(RemoteCall call, long handle, Object[] args) {
        return send(call, handle, args, null);
    }

    /** Sends a call of a fenced view: the server makes it under {@code fence} (null: unfenced). */
    Future<Reply> send(RemoteCall call, long handle, Object[] args, FenceToken fence) {
        long id = nextId.getAndIncrement();
        Context caller = Vertx.currentContext();
        Promise<Reply> promise = Promise.promise();
        if (closed) {
            return Future.failedFuture(lost(call.name()));
        }
        Buffer encoded;
        try {
            encoded = FrameCodec.encode(request(id, call, handle, args, fence, caller));
        } catch (RuntimeException e) {
            subscriptions.remove(id);
            return Future.failedFuture(e);
        }
        pending.put(id, new Pending(promise, caller, call.name()));
        if (closed) {
            failPending();
        }
        socket.write(encoded);
        return promise.future();
    }

    void unsubscribe(long id) {
        subscriptions.remove(id);
    }

    private Frame request(long id, RemoteCall call, long handle, Object[] args, FenceToken fence, Context caller) {
        ObjectNode header = Wire.header(Wire.CALL);
        header.put("id", id);
        header.put("target", call.target());
        header.put("h", handle);
        header.put("m", call.method().getName());
        if (fence != null) {
            header.set("fence", Wire.MAPPER.valueToTree(fence));
        }
        ArrayNode json = header.putArray("args");
        List<Buffer> blobs = new ArrayList<>();
        for (int i = 0; i < call.params().size(); i++) {
            Object arg = args[i];
            switch (call.params().get(i)) {
                case BUFFER -> {
                    blobs.add(arg == null ? Buffer.buffer() : (Buffer) arg);
                    json.addNull();
                }
                case NOTIFY_CALLBACK -> {
                    @SuppressWarnings("unchecked")
                    Consumer<Buffer> onNotify = (Consumer<Buffer>) arg;
                    subscriptions.put(id, new Subscription(caller, payloads -> onNotify.accept(payloads.get(0))));
                    json.add(id);
                }
                case UPDATE_CALLBACK -> {
                    Runnable onUpdate = (Runnable) arg;
                    subscriptions.put(id, new Subscription(caller, payloads -> onUpdate.run()));
                    json.add(id);
                }
                case JSON -> json.add(Wire.MAPPER.<JsonNode>valueToTree(arg));
            }
        }
        return new Frame(header, blobs);
    }

    private Future<ClientConnection> handshake() {
        socket.handler(FrameCodec.parser(this::onFrame, problem -> {
            failHandshake(new ClusterException(Errno.EIO, "protocol error from the cluster at " + options.address()
                    + ": " + problem));
            socket.close();
        }));
        socket.closeHandler(v -> onClosed());
        socket.exceptionHandler(failure -> {
            if (!authenticated) {
                failHandshake(connectFailure(options, failure));
            }
        });
        long timer = vertx.setTimer(options.handshakeTimeoutMillis(), t -> {
            if (failHandshake(new ClusterException(Errno.ETIMEDOUT, "no handshake from the cluster at "
                    + options.address() + " within " + options.handshakeTimeoutMillis()
                    + " ms (is TLS set the same way on both ends?)"))) {
                socket.close();
            }
        });
        return ready.future().onComplete(r -> vertx.cancelTimer(timer));
    }

    private boolean failHandshake(Throwable failure) {
        return ready.tryFail(failure);
    }

    private void onFrame(Frame frame) {
        lastHeard = System.nanoTime();
        switch (frame.type()) {
            case Wire.HELLO -> answerChallenge(frame.header());
            case Wire.AUTH_OK -> {
                fsid = frame.header().path("fsid").asText();
                authenticated = true;
                startKeepalive();
                ready.tryComplete(this);
            }
            case Wire.PONG -> { }
            case Wire.AUTH_FAILED -> failHandshake(new ClusterException(Errno.EACCES, "cannot connect to the cluster at "
                    + options.address() + " as " + options.client() + ": authentication failed (unknown client or wrong key)"));
            case Wire.RESULT -> complete(frame);
            case Wire.EVENT -> deliver(frame);
            default -> { }
        }
    }

    private void answerChallenge(ObjectNode hello) {
        if (hello.path("version").asInt() != Wire.VERSION) {
            failHandshake(new ClusterException(Errno.EOPNOTSUPP, "the cluster at " + options.address()
                    + " speaks protocol version " + hello.path("version").asInt() + ", this client " + Wire.VERSION));
            socket.close();
            return;
        }
        byte[] nonce = Base64.getDecoder().decode(hello.path("nonce").asText());
        ObjectNode auth = Wire.header(Wire.AUTH);
        auth.put("client", options.client());
        auth.put("proof", Base64.getEncoder().encodeToString(Handshake.proof(options.key(), nonce, options.client())));
        socket.write(FrameCodec.encode(Frame.of(auth)));
    }

    private void complete(Frame frame) {
        Pending call = pending.remove(frame.id());
        if (call == null) {
            return;
        }
        ObjectNode header = frame.header();
        if (header.path("ok").asBoolean(false)) {
            onContext(call.context(), () -> call.promise().complete(new Reply(frame.id(), frame)));
        } else {
            subscriptions.remove(frame.id());
            ClusterException failure = new ClusterException(Errno.valueOf(errnoName(header.path("errno"))),
                    header.path("message").asText(""));
            onContext(call.context(), () -> call.promise().fail(failure));
        }
    }

    private static String errnoName(JsonNode errno) {
        try {
            return Errno.valueOf(errno.asText()).name();
        } catch (IllegalArgumentException e) {
            return Errno.EIO.name();
        }
    }

    private void deliver(Frame frame) {
        Subscription subscription = subscriptions.get(frame.header().path("watch").asLong());
        if (subscription != null) {
            onContext(subscription.context(), () -> subscription.handler().accept(frame.blobs()));
        }
    }

    /**
     * Pings the server every interval; a connection silent for three intervals is declared dead and
     * closed, so calls on a half-open connection fail instead of hanging.
     */
    private void startKeepalive() {
        long interval = options.keepaliveMillis();
        keepaliveTimer = vertx.setPeriodic(interval, t -> {
            if (System.nanoTime() - lastHeard > TimeUnit.MILLISECONDS.toNanos(3 * interval)) {
                socket.close();
            } else {
                socket.write(FrameCodec.encode(Frame.of(Wire.header(Wire.PING))));
            }
        });
    }

    private void onClosed() {
        closed = true;
        if (keepaliveTimer >= 0) {
            vertx.cancelTimer(keepaliveTimer);
        }
        failHandshake(new ClusterException(Errno.ECONNREFUSED, "the cluster at " + options.address()
                + " closed the connection during the handshake (TLS mismatch or server shutting down?)"));
        failPending();
        subscriptions.clear();
        lost.tryComplete();
    }

    private void failPending() {
        for (Long id : List.copyOf(pending.keySet())) {
            Pending call = pending.remove(id);
            if (call != null) {
                ClusterException failure = lost(call.call());
                onContext(call.context(), () -> call.promise().tryFail(failure));
            }
        }
    }

    private ClusterException lost(String call) {
        return new ClusterException(Errno.ESHUTDOWN, "lost the connection to the cluster at " + options.address()
                + " during " + call);
    }

    /** Runs a completion or a watch callback; what it throws must not derail the frame parser. */
    private static void onContext(Context context, Runnable action) {
        Runnable guarded = () -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("a cluster callback failed", e);
            }
        };
        if (context == null || context == Vertx.currentContext()) {
            guarded.run();
        } else {
            context.runOnContext(v -> guarded.run());
        }
    }

    static ClusterException connectFailure(RemoteClusterOptions options, Throwable failure) {
        String where = "the cluster at " + options.address();
        if (failure instanceof ClusterException ce) {
            return ce;
        }
        String text = String.valueOf(failure.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (failure.getClass().getSimpleName().contains("Timeout") || text.contains("timed out")) {
            return new ClusterException(Errno.ETIMEDOUT, "cannot connect to " + where + ": connection timed out", failure);
        }
        if (failure instanceof SSLException) {
            return new ClusterException(Errno.ECONNREFUSED, "TLS handshake with " + where + " failed: "
                    + failure.getMessage(), failure);
        }
        if (failure instanceof ConnectException) {
            return new ClusterException(Errno.ECONNREFUSED, "cannot connect to " + where + ": connection refused", failure);
        }
        return new ClusterException(Errno.ECONNREFUSED, "cannot connect to " + where + ": " + failure.getMessage(), failure);
    }
}
